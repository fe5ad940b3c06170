"""The shipped catalogs match the code: every UI string extracted and translated in every shipped locale."""

from __future__ import annotations

from bot.config import PACKAGE_ROOT
from bot.core.transliterate import to_latin
from bot.i18n import catalogs
from bot.i18n.translator import BabelTranslator


def test_catalogs_are_up_to_date_and_complete():
    problems = [str(p) for p in catalogs.check(PACKAGE_ROOT)]
    assert problems == []


def test_menu_reads_in_arabic_and_serbian():
    translator = BabelTranslator(PACKAGE_ROOT / "locales")
    assert translator.messages("ar").gettext("🆘 Emergency") != "🆘 Emergency"
    assert translator.messages("sr").gettext("🆘 Emergency") != "🆘 Emergency"


def test_shipped_serbian_latin_is_the_cyrillic_catalog_transliterated():
    translator = BabelTranslator(PACKAGE_ROOT / "locales")
    assert not (PACKAGE_ROOT / "locales" / "sr_Latn").exists()  # made at load time, nothing to keep in step
    assert translator.languages()[1:3] == ("sr", "sr_Latn")
    assert translator.language_name("sr_Latn") == "Srpski"
    for message in ("🏠 Menu", "I do not know the command /{name}."):
        cyrillic = translator.messages("sr").gettext(message)
        assert (cyrillic != message, translator.messages("sr_Latn").gettext(message)) == (True, to_latin(cyrillic))
    assert translator.messages("sr_Latn").gettext("I do not know the command /{name}.") == "Ne znam komandu /{name}."


def test_the_catalog_check_does_not_ask_for_a_serbian_latin_catalog():
    assert not [p for p in catalogs.check(PACKAGE_ROOT) if "sr_Latn" in p.path or "sr_Latn" in p.message]
