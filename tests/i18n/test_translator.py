"""BabelTranslator over catalogs in a temporary locales folder: strings, fallbacks, plurals and CLDR facts."""

from __future__ import annotations

import io

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.core.ports import Translator
from bot.i18n.languages import PICKER_ORDER
from bot.i18n.po import CatalogError
from bot.i18n.translator import BabelTranslator

HOURS = ("{n} hour", "{n} hours")


@pytest.fixture
def locales(tmp_path, write):
    """Catalogs of en, sr, sr_Latn, ar and fa, written in an order unlike the picker's."""
    locales = tmp_path / "locales"
    write(locales, "fa", {"Hello": "سلام"})
    write(locales, "ar", {
        "Hello": "مرحبا",
        HOURS: ("zero {n}", "one {n}", "two {n}", "few {n}", "many {n}", "other {n}"),
        ("{n} day", "{n} days"): ("zero {n}", "one {n}", "", "few {n}", "many {n}", "other {n}"),  # one form empty
    })
    write(locales, "sr_Latn", {"Hello": "Zdravo"})
    write(locales, "sr", {
        "Hello": "Здраво",
        "Only in Serbian Cyrillic": "Само ћирилицом",
        "Fuzzy one": "Нејасно",
        HOURS: ("one {n}", "few {n}", "other {n}"),
    }, fuzzy={"Fuzzy one"})
    write(locales, "en", {"Hello": ""})
    (locales / "notes").mkdir()  # a folder without a catalog is not a language
    return locales


@pytest.fixture
def translator(locales) -> BabelTranslator:
    return BabelTranslator(locales)


@pytest.fixture
def everything(tmp_path, write) -> BabelTranslator:
    """A translator with an (empty) catalog for every language of the picker."""
    for language in PICKER_ORDER:
        write(tmp_path / "all", language, {})
    return BabelTranslator(tmp_path / "all")


def test_is_a_translator(translator):
    typed: Translator = translator
    assert typed.languages() == ("en", "sr", "sr_Latn", "ar", "fa")


def test_languages_are_in_picker_order(everything):
    assert list(everything.languages()) == list(PICKER_ORDER)


def test_languages_given_are_put_in_picker_order_with_english_first(locales):
    assert BabelTranslator(locales, languages=["ar", "sr"]).languages() == ("en", "sr", "ar")


def test_a_given_language_needs_a_catalog(locales):
    with pytest.raises(CatalogError, match="no catalog for tr"):
        BabelTranslator(locales, languages=["sr", "tr"])


def test_english_needs_no_catalog_file(tmp_path, write):
    write(tmp_path, "sr", {"Hello": "Здраво"})
    translator = BabelTranslator(tmp_path)
    assert (translator.languages(), translator.messages("en").gettext("Hello")) == (("en", "sr", "sr_Latn"), "Hello")


@pytest.mark.parametrize(("language", "message", "expected"), [
    ("sr", "Hello", "Здраво"),
    ("sr_Latn", "Hello", "Zdravo"),
    ("sr_Latn", "Only in Serbian Cyrillic", "Само ћирилицом"),  # sr_Latn -> sr
    ("ar", "Hello", "مرحبا"),
    ("ar", "Only in Serbian Cyrillic", "Only in Serbian Cyrillic"),  # ar -> en, not sr
    ("en", "Hello", "Hello"),  # an empty English msgstr is the msgid
    ("sr_Latn", "Not in any catalog", "Not in any catalog"),  # sr_Latn -> sr -> en
    ("sr", "Fuzzy one", "Fuzzy one"),  # fuzzy entries are not used
])
def test_gettext_follows_the_fallback_chain(translator, language, message, expected):
    assert translator.messages(language).gettext(message) == expected


COUNTS = (0, 1, 2, 3, 5, 11, 21, 100, 101)


@pytest.mark.parametrize(("language", "expected"), [
    ("sr", ["other", "one", "few", "few", "other", "other", "one", "other", "one"]),
    ("sr_Latn", ["other", "one", "few", "few", "other", "other", "one", "other", "one"]),  # sr's forms, via fallback
    ("ar", ["zero", "one", "two", "few", "few", "many", "many", "other", "other"]),
    ("fa", ["other", "one", "other", "other", "other", "other", "other", "other", "other"]),  # en's rule, via fallback
])
def test_ngettext_picks_the_cldr_plural_form(translator, language, expected):
    messages = translator.messages(language)
    chosen = [messages.ngettext(*HOURS, n).removesuffix(" {n}") for n in COUNTS]
    english = {"{n} hour": "one", "{n} hours": "other"}
    assert [english.get(form, form) for form in chosen] == expected


def test_a_plural_with_an_empty_form_falls_back_for_every_count(translator):
    messages = translator.messages("ar")
    assert [messages.ngettext("{n} day", "{n} days", n) for n in (0, 1, 2, 11)] == [
        "{n} days", "{n} day", "{n} days", "{n} days"]


def test_messages_are_made_once_per_language(translator):
    messages = translator.messages("sr_Latn")
    assert (messages is translator.messages("sr_Latn"), messages.language) == (True, "sr_Latn")


def test_messages_of_a_language_without_a_catalog_is_an_error(translator):
    with pytest.raises(ValueError, match='"de" is not a UI language'):
        translator.messages("de")


@pytest.mark.parametrize(("code", "expected"), [
    ("ar", "ar"),
    ("AR", "ar"),
    ("ar-EG", "ar"),
    (" uk ", "uk"),
    ("en-US", "en"),
    ("en-US-u-ca-buddhist", "en"),
    ("sr", "sr"),
    ("sr-RS", "sr"),
    ("sr-Cyrl", "sr"),
    ("sr-Latn", "sr_Latn"),
    ("sr_latn", "sr_Latn"),
    ("sr_Latn", "sr_Latn"),
    ("sr-Latn-RS", "sr_Latn"),
    ("sr-ME", "sr_Latn"),  # CLDR likely subtags: Serbian in Montenegro is Latin
    ("sh", "sr_Latn"),  # CLDR alias for Serbo-Croatian
    ("sr_RS.UTF-8@latin", "sr_Latn"),  # glibc locale name
    ("fa-AF", "fa"),
    ("prs", "fa"),  # Dari
    ("prs-AF", "fa"),
    ("pt-BR", None),
    ("de", None),
    ("zh-Hant", None),
    ("*", None),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_resolve(everything, code, expected):
    assert everything.resolve(code) == expected


@pytest.mark.parametrize(("code", "expected"), [("sr-Latn", "sr"), ("sh", "sr"), ("ps", None), ("ar-SA", "ar"),
                                               ("EN", "en")])
def test_resolve_only_gives_languages_offered(tmp_path, write, code, expected):
    write(tmp_path, "sr", {})
    write(tmp_path, "ar", {})
    assert BabelTranslator(tmp_path, languages=["sr", "ar"]).resolve(code) == expected


# sr_Latn made from the sr catalog when locales/sr_Latn does not exist

@pytest.fixture
def cyrillic_only(tmp_path, write) -> BabelTranslator:
    write(tmp_path, "sr", {
        "Hello": "Здраво",
        "Hello, {name}!": "Здраво, {name}!",
        "Fuzzy one": "Нејасно",
        HOURS: ("{n} сат", "{n} сата", "{n} сати"),
    }, fuzzy={"Fuzzy one"})
    write(tmp_path, "ar", {"Hello": "مرحبا"})
    return BabelTranslator(tmp_path)


def test_sr_latn_is_offered_right_after_sr(cyrillic_only):
    assert cyrillic_only.languages() == ("en", "sr", "sr_Latn", "ar")


def test_sr_latn_may_be_asked_for_without_a_catalog(tmp_path, write):
    write(tmp_path, "sr", {"Hello": "Здраво"})
    assert BabelTranslator(tmp_path, languages=["sr_Latn"]).languages() == ("en", "sr_Latn")


@pytest.mark.parametrize(("message", "expected"), [
    ("Hello", "Zdravo"),
    ("Hello, {name}!", "Zdravo, {name}!"),
    ("Not in any catalog", "Not in any catalog"),  # sr_Latn -> en
    ("Fuzzy one", "Fuzzy one"),  # fuzzy in sr, so not used in sr_Latn either, and never the Cyrillic
])
def test_sr_latn_is_the_sr_catalog_in_latin(cyrillic_only, message, expected):
    assert cyrillic_only.messages("sr_Latn").gettext(message) == expected


def test_sr_latn_from_sr_keeps_the_serbian_plural_forms(cyrillic_only):
    messages = cyrillic_only.messages("sr_Latn")
    assert [messages.ngettext(*HOURS, n) for n in (1, 2, 5, 21)] == ["{n} sat", "{n} sata", "{n} sati", "{n} sat"]


def test_sr_latn_from_sr_leaves_the_sr_messages_in_cyrillic(cyrillic_only):
    assert (cyrillic_only.messages("sr").gettext("Hello"), cyrillic_only.messages("sr_Latn").gettext("Hello")) == (
        "Здраво", "Zdravo")


@pytest.mark.parametrize("code", ["sr-Latn", "sr_Latn", "sr-Latn-RS", "sh", "sr_RS.UTF-8@latin"])
def test_latin_codes_resolve_to_sr_latn_made_from_sr(cyrillic_only, code):
    assert cyrillic_only.resolve(code) == "sr_Latn"


def test_sr_latn_made_from_sr_has_its_latin_name(cyrillic_only):
    assert (cyrillic_only.language_name("sr"), cyrillic_only.language_name("sr_Latn")) == ("Српски", "Srpski")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "English"),
    ("sr", "Српски"),
    ("sr_Latn", "Srpski"),
    ("mk", "Македонски"),
    ("bg", "Български"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("ur", "اردو"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("fr", "Français"),
    ("es", "Español"),
    ("tr", "Türkçe"),
])
def test_language_name_is_the_name_in_itself(everything, language, expected):
    assert everything.language_name(language) == expected


@pytest.mark.parametrize(("country", "language", "expected"), [
    ("rs", "ar", "صربيا"),
    ("RS", "sr_Latn", "Srbija"),
    ("mk", "en", "North Macedonia"),
    ("bg", "sr", "Бугарска"),
])
def test_country_name_comes_from_cldr(translator, country, language, expected):
    assert translator.country_name(country, language) == expected


def test_country_name_of_an_unknown_code_names_it(translator):
    with pytest.raises(ValueError, match='"xx" is not a country'):
        translator.country_name("xx", "en")


@pytest.mark.parametrize(("language", "expected"), [
    ("ar", True), ("fa", True), ("ps", True), ("ur", True),
    ("en", False), ("sr", False), ("sr_Latn", False), ("mk", False), ("bg", False), ("uk", False), ("tr", False),
])
def test_is_rtl(everything, language, expected):
    assert everything.is_rtl(language) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("sr_Latn", ("sr_Latn", "sr", "en")),
    ("sr", ("sr", "en")),
    ("ar", ("ar", "en")),
    ("en", ("en",)),
])
def test_fallbacks_end_in_english(translator, language, expected):
    assert tuple(translator.fallbacks(language)) == expected


def test_a_stale_mo_file_is_never_served(locales, write):
    po = locales / "sr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as file:
        catalog = read_po(file)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    po.with_suffix(".mo").write_bytes(buffer.getvalue())  # compiled from the old text
    before = BabelTranslator(locales)

    write(locales, "sr", {"Hello": "Ћао"})  # edited after the first translator compiled it

    assert (before.messages("sr").gettext("Hello"), BabelTranslator(locales).messages("sr").gettext("Hello")) == (
        "Здраво", "Ћао")


def test_a_mo_file_alone_is_not_a_language(locales):
    (locales / "tr" / "LC_MESSAGES").mkdir(parents=True)
    (locales / "tr" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    assert "tr" not in BabelTranslator(locales).languages()


def test_a_broken_catalog_stops_the_start_with_its_path(locales):
    po = locales / "ar" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "Unclosed\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=str(po)):
        BabelTranslator(locales)


def test_an_unparsable_plural_rule_stops_the_start(tmp_path, write):
    write(tmp_path, "sr", {"Hello": "Здраво"}, header="nplurals=3; plural=(n %% ;")
    with pytest.raises(CatalogError, match="cannot be compiled"):
        BabelTranslator(tmp_path)


def test_a_catalog_folder_must_use_babel_spelling(tmp_path, write):
    write(tmp_path, "sr_Latn", {}).parent.parent.rename(tmp_path / "sr-Latn")
    with pytest.raises(CatalogError, match='named by its babel locale, "sr_Latn", not "sr-Latn"'):
        BabelTranslator(tmp_path)


def test_a_missing_locales_folder_is_named(tmp_path):
    with pytest.raises(CatalogError, match="absent"):
        BabelTranslator(tmp_path / "absent")


def test_compiled_catalogs_are_kept_between_starts_and_an_edit_is_compiled_anew(locales, tmp_path, write):
    data = tmp_path / "var"
    first = BabelTranslator(locales, cache_dir=data)
    assert (data / "catalogs-compiled.pickle").stat().st_mode & 0o777 == 0o600
    again = BabelTranslator(locales, cache_dir=data)  # from what was kept
    assert again.messages("ar").gettext("Hello") == first.messages("ar").gettext("Hello") == "مرحبا"
    write(locales, "ar", {"Hello": "أهلا"})
    assert BabelTranslator(locales, cache_dir=data).messages("ar").gettext("Hello") == "أهلا"


def test_a_broken_catalog_is_refused_even_after_a_good_one_was_kept(locales, tmp_path):
    data = tmp_path / "var"
    BabelTranslator(locales, cache_dir=data)
    po = locales / "fa" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="fa"):
        BabelTranslator(locales, cache_dir=data)


def test_a_damaged_kept_file_only_costs_compiling(locales, tmp_path):
    data = tmp_path / "var"
    data.mkdir()
    (data / "catalogs-compiled.pickle").write_bytes(b"\x80\x05 not really")
    assert BabelTranslator(locales, cache_dir=data).messages("fa").gettext("Hello") == "سلام"
