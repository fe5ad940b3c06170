"""The shipped catalogs match the code: every UI string extracted and translated in every shipped locale."""

from __future__ import annotations

from bot.config import PACKAGE_ROOT
from bot.i18n import catalogs
from bot.i18n.translator import BabelTranslator


def test_catalogs_are_up_to_date_and_complete():
    problems = [str(p) for p in catalogs.check(PACKAGE_ROOT)]
    assert problems == []


def test_menu_reads_in_arabic_and_serbian():
    translator = BabelTranslator(PACKAGE_ROOT / "locales")
    assert translator.messages("ar").gettext("🆘 Emergency") != "🆘 Emergency"
    assert translator.messages("sr").gettext("🆘 Emergency") != "🆘 Emergency"
