"""The pack Putokaz ships: clean for `content check`, complete for `content coverage --strict`, and whole for every
language the interface speaks."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import PACKAGE_ROOT
from bot.content.check import check
from bot.content.coverage import catalog_locales, coverage
from bot.content.loader import load_content

CONTENT = PACKAGE_ROOT / "content"
LOCALES = PACKAGE_ROOT / "locales"
# Editorial states, not defects: review dates age with the calendar, machine translations await review, and a
# translation goes stale when its English page changes. `content check` and `coverage` show them to editors; CI must
# not turn red on the day a date passes 180 days or an English page is improved.
EDITORIAL = ("days old (more than", "machine translation", "changed since this translation", "it is no longer shown")
# Languages with every legal, emergency and privacy page: they must stay complete. Add a language here when its
# translations are in; `putokaz content coverage --strict` shows the others.
COMPLETE = ("en", "ar", "bg", "es", "fa", "fr", "mk", "ps", "ru", "sr", "tr", "uk", "ur")


@pytest.fixture(scope="module")
def today() -> dt.date:
    return dt.date.today()


def test_the_shipped_pack_has_no_errors_and_no_warnings_but_editorial_ones(today):
    problems = check(CONTENT, today=today)
    assert [str(p) for p in problems if not any(text in p.message for text in EDITORIAL)] == []


def test_complete_languages_keep_every_legal_emergency_and_privacy_page():
    found = coverage(CONTENT, [language for language in COMPLETE if language != "en"])
    assert found.required_missing() == {}


def test_every_place_is_named_in_every_ui_language(today):
    pack, _ = load_content(CONTENT, today=today)
    languages = [*catalog_locales(LOCALES), "sr_Latn"]
    assert {p.id: [lang for lang in languages if lang not in p.names] for p in pack.places()
            if any(lang not in p.names for lang in languages)} == {}


def test_the_places_of_the_brief_are_all_there(today):
    pack, _ = load_content(CONTENT, today=today)
    assert {p.id for p in pack.places()} == {
        "rs-beograd", "rs-subotica", "rs-sid", "rs-sremska-mitrovica", "rs-vranje", "rs-presevo",
        "mk-skopje", "mk-gevgelija", "mk-kumanovo", "bg-sofia", "bg-harmanli"}


def test_every_country_can_be_called_for_police_ambulance_and_fire(today):
    pack, _ = load_content(CONTENT, today=today)
    for country in pack.countries():
        kinds = {h.kind for h in country.numbers}
        assert "emergency" in kinds or {"police", "ambulance", "fire"} <= kinds, country.code
        assert pack.articles("emergency", country.code, None), f"no emergency page for {country.code}"


def test_every_helpline_is_named_in_every_ui_language(today):
    pack, _ = load_content(CONTENT, today=today)
    languages = [*catalog_locales(LOCALES), "sr_Latn"]
    missing = {f"{c.code} {h.number} {field}": [lang for lang in languages if lang not in values]
               for c in pack.countries() for h in c.numbers
               for field, values in (("names", h.names), ("notes", h.notes)) if values}
    assert {line: langs for line, langs in missing.items() if langs} == {}
