"""Plural-Forms headers against CLDR, for every picker language and for the catalogs the project ships."""

from __future__ import annotations

import gettext

import pytest

from bot.config import PACKAGE_ROOT
from bot.i18n.languages import PICKER_ORDER
from bot.i18n.plurals import plural_forms, plural_problem
from bot.i18n.po import read_catalog

# The Arabic header babel's table gave before 2.19: 11..99 and 100..102 swap forms 4 and 5.
OLD_BABEL_ARABIC = (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5)")


def _parse(header: str) -> tuple[int, str]:
    nplurals, plural = (part.strip().split("=", 1)[1] for part in header.rstrip(";").split(";"))
    return int(nplurals), plural


@pytest.mark.parametrize("language", PICKER_ORDER)
def test_plural_forms_agree_with_cldr(language):
    assert plural_problem(language, *_parse(plural_forms(language))) is None


@pytest.mark.parametrize(("language", "counts", "forms"), [
    ("sr", (0, 1, 2, 3, 5, 11, 21, 100, 101), [2, 0, 1, 1, 2, 2, 0, 2, 0]),
    ("ar", (0, 1, 2, 3, 5, 11, 21, 100, 101), [0, 1, 2, 3, 3, 4, 4, 5, 5]),
    ("mk", (1, 11, 21, 111), [0, 1, 0, 1]),
    ("fa", (0, 1, 2), [0, 0, 1]),
])
def test_plural_forms_pick(language, counts, forms):
    nplurals, expression = _parse(plural_forms(language))
    assert [gettext.c2py(expression)(n) for n in counts] == forms


def test_babels_old_arabic_rule_is_caught():
    # the reason for bot.i18n.plurals.CORRECTIONS: babel before 2.19 gave 11 the form CLDR gives 100
    assert plural_problem("ar", *OLD_BABEL_ARABIC) == (
        'the plural expression picks form 5 for n=11, but CLDR says "many", which is form 4')


def test_babels_newer_third_french_form_is_corrected():
    # babel 2.18+ counts exact millions as a third form; a chat bot's counts stay below, so the catalogs keep two
    assert plural_forms("fr") == "nplurals=2; plural=(n > 1);"


def test_a_wrong_count_of_forms_is_caught():
    assert plural_problem("sr", 2, "(n != 1)") == "nplurals=2, but CLDR has 3 forms for counts (one, few, other)"


@pytest.mark.parametrize("path", sorted((PACKAGE_ROOT / "locales").glob("*/LC_MESSAGES/messages.po")),
                         ids=lambda path: path.parent.parent.name)
def test_shipped_catalogs_have_cldr_headers(path):
    language = path.parent.parent.name
    catalog = read_catalog(path, language)
    assert (catalog.locale_identifier, plural_problem(language, catalog.num_plurals, catalog.plural_expr)) == (
        language, None)


def test_english_serbian_and_arabic_are_shipped():
    shipped = {path.parent.parent.name for path in (PACKAGE_ROOT / "locales").glob("*/LC_MESSAGES/messages.po")}
    assert {"en", "sr", "ar"} <= shipped
