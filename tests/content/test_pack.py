"""Lookups on the clean fixture pack: what the engine asks of a ContentIndex."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content.pack import ContentPack
from bot.core.model import Location, OpeningHours


def test_countries_in_file_order_with_their_lines(pack):
    rs = pack.country("rs")

    assert [c.code for c in pack.countries()] == ["rs", "mk"]
    assert [(h.kind, h.number, h.names) for h in rs.numbers] == [
        ("police", "100", {}), ("women", "0800 000 001", {"en": "Test line for women", "ar": "خط تجريبي للنساء"})]
    assert pack.country("bg") is None


def test_places_by_country(pack):
    assert [p.id for p in pack.places()] == ["rs-beograd", "rs-sid", "mk-skopje"]
    assert [p.id for p in pack.places("rs")] == ["rs-beograd", "rs-sid"]
    assert (pack.places("bg"), pack.place("rs-sid").names["sr"], pack.place("nowhere")) == ((), "Шид", None)


@pytest.mark.parametrize(("languages", "expected"), [
    (["ar", "en"], ("ar", "كيف تطلب اللجوء في صربيا")),
    (["sr_Latn", "sr", "en"], ("sr_Latn", "Kako tražiti azil u Srbiji")),
    (["fa", "en"], ("en", "How to ask for asylum in Serbia")),
])
def test_article_in_the_first_language_it_exists_in(pack, languages, expected):
    article = pack.article("asylum-steps-rs", languages)

    assert (article.language, article.title) == expected


def test_article_missing_in_every_language(pack):
    assert (pack.article("rights-rs", ["ar"]), pack.article("nope", ["ar", "en"])) == (None, None)


def test_article_falls_back_to_english_when_arabic_is_missing(pack):
    assert pack.article("rights-rs", ["ar", "en"]).language == "en"


def test_translation_takes_its_place_from_english(pack):
    arabic = pack.article("asylum-steps-rs", ["ar"])

    assert (arabic.section, arabic.countries, arabic.related, arabic.order, arabic.translation, arabic.sources,
            arabic.path) == ("legal", ("rs",), ("rights-rs",), 10, "human", ("test fixture",),
                             "content/articles/ar/legal/asylum-steps-rs.md")


@pytest.mark.parametrize(("country", "place", "expected"), [
    ("rs", "rs-sid", ["camp-sid", "asylum-steps-rs", "rights-rs", "documents"]),
    ("rs", "rs-beograd", ["asylum-steps-rs", "rights-rs", "documents"]),
    ("mk", "mk-skopje", ["asylum-steps-mk", "documents"]),
    ("rs", None, ["asylum-steps-rs", "rights-rs", "documents"]),
    (None, None, ["documents"]),
    ("mk", "rs-sid", ["camp-sid", "asylum-steps-mk", "documents"]),  # not a real pair: filtered on demand
])
def test_articles_of_a_section_for_a_place_in_display_order(pack, country, place, expected):
    found = pack.articles("legal", country, place)

    assert ([a.id for a in found], {a.language for a in found}) == (expected, {"en"})


def test_articles_of_an_empty_section(pack):
    assert pack.articles("integration", "rs", "rs-sid") == ()


def test_nearest_place_and_its_distance(pack):
    # One degree of latitude north of Skopje is 111.2 km away on a sphere of radius 6371 km.
    place, km = pack.nearest_place(Location(41.9961 + 1, 21.4317))

    assert (place.id, km) == ("mk-skopje", pytest.approx(111.195, abs=0.01))


def test_nearest_place_prefers_the_closer_town(pack):
    place, km = pack.nearest_place(Location(45.0, 19.5))  # between Šid and Belgrade, nearer Šid

    assert (place.id, round(km)) == ("rs-sid", 26)


def test_nearest_place_in_an_empty_pack():
    assert ContentPack().nearest_place(Location(45.0, 19.5)) is None


def test_services_confirmed_first_then_by_name(pack):
    assert [s.id for s in pack.services("rs-beograd", "legal-aid")] == ["zeta-legal", "alpha-legal", "beta-closed"]
    assert [s.id for s in pack.services("rs-beograd")] == ["gamma-health", "zeta-legal", "alpha-legal",
                                                           "beta-closed"]


def test_services_by_category_and_place(pack):
    assert [s.id for s in pack.services("rs-beograd", "psychosocial")] == ["zeta-legal"]
    assert (pack.services("rs-sid", "legal-aid"), pack.services("nowhere")) == ((), ())


def test_service_fields(pack):
    zeta = pack.service("zeta-legal")

    assert (zeta.phones, zeta.languages, zeta.hours, zeta.location, zeta.url, zeta.descriptions) == (
        ("+381 11 555-0100",), ("sr", "en"),
        (OpeningHours((0, 1, 2, 3, 4), dt.time(9), dt.time(15)), OpeningHours((5,), dt.time(10), dt.time(13))),
        Location(44.81, 20.46),
        "https://example.org", {"en": "A confirmed test service."})
    assert (pack.service("sid-health").location, pack.service("nope")) == (None, None)


def test_pack_is_immutable(pack):
    with pytest.raises(AttributeError):
        pack._places = ()
    assert isinstance(pack.places(), tuple) and isinstance(pack.articles("legal", "rs", None), tuple)
