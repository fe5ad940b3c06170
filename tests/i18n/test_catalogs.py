"""extract/update/compile/init/check on a tiny project tree in tmp_path."""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.config import PACKAGE_ROOT
from bot.i18n import catalogs
from bot.i18n.plurals import plural_forms
from bot.i18n.po import read_catalog

SOURCE = '''\
def greet(_, ngettext, n):
    # Translators: the first thing a person sees
    return _("Hello"), ngettext("{n} place near you", "{n} places near you", n)


LABELS = {"legal": N_("Legal status")}
'''

PLACES = ("{n} place near you", "{n} places near you")
SR = {
    "Hello": "Здраво",
    PLACES: ("{n} место у близини", "{n} места у близини", "{n} места у близини"),
    "Legal status": "Правни статус",
}


@pytest.fixture
def root(tmp_path) -> Path:
    """bot/screens.py with three strings, a test file whose strings are not UI, and the project's babel.cfg."""
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "screens.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_screens.py").write_text('_("Not a UI string")\n', encoding="utf-8")
    (tmp_path / "locales").mkdir()
    shutil.copy(PACKAGE_ROOT / "locales" / "babel.cfg", tmp_path / "locales" / "babel.cfg")
    return tmp_path


def po(root: Path, language: str) -> Path:
    return root / "locales" / language / "LC_MESSAGES" / "messages.po"


def translate(root: Path, language: str, strings: dict) -> None:
    """What a translator does: fill msgstrs in the catalog file."""
    catalog = read_catalog(po(root, language))
    for msgid, msgstr in strings.items():
        catalog[msgid].string = msgstr
    with po(root, language).open("wb") as file:
        write_po(file, catalog)


def found(root: Path) -> list[tuple[str, str]]:
    return [(problem.path, problem.message) for problem in catalogs.check(root)]


def add_source_line(root: Path, line: str) -> None:
    path = root / "bot" / "screens.py"
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


@pytest.fixture
def translated(root) -> Path:
    """A project whose template is fresh and whose en and sr catalogs are complete."""
    catalogs.extract(root)
    catalogs.init(root, "en")
    catalogs.init(root, "sr")
    translate(root, "sr", SR)
    return root


def test_extract_writes_the_marked_strings_of_bot_only(root):
    path = catalogs.extract(root)
    template = read_catalog(path)
    assert [(message.id, message.locations, message.auto_comments) for message in template if message.id] == [
        ("Hello", [("bot/screens.py", None)], ["the first thing a person sees"]),
        (PLACES, [("bot/screens.py", None)], []),
        ("Legal status", [("bot/screens.py", None)], []),
    ]


def test_the_template_has_no_line_numbers(root):
    text = catalogs.extract(root).read_text(encoding="utf-8")
    assert re.findall(r"^#: .*$", text, re.MULTILINE) == ["#: bot/screens.py"] * 3


def test_a_complete_project_has_no_problems(translated):
    assert catalogs.check(translated) == []


def test_check_ignores_the_creation_date(translated):
    template = translated / "locales" / "messages.pot"
    text = template.read_text(encoding="utf-8")
    template.write_text(re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 2001-01-01 00:00+0000", text),
                        encoding="utf-8")
    assert catalogs.check(translated) == []


def test_check_finds_a_template_older_than_the_code(translated):
    add_source_line(translated, 'BYE = _("Goodbye")')
    assert found(translated) == [
        ("locales/messages.pot", "out of date with the code (new in the code: 'Goodbye'); "
                                 "run `putokaz i18n extract`, then `putokaz i18n update`"),
        ("locales/sr/LC_MESSAGES/messages.po", "missing, run `putokaz i18n update`: 'Goodbye'"),
    ]


def test_check_finds_a_template_with_a_string_the_code_dropped(translated):
    source = translated / "bot" / "screens.py"
    source.write_text(SOURCE.replace('LABELS = {"legal": N_("Legal status")}', ""), encoding="utf-8")
    assert found(translated)[0] == (
        "locales/messages.pot", "out of date with the code (no longer in the code: 'Legal status'); "
                                "run `putokaz i18n extract`, then `putokaz i18n update`")


def test_check_finds_a_missing_template(translated):
    (translated / "locales" / "messages.pot").unlink()
    assert found(translated) == [("locales/messages.pot", "missing; run `putokaz i18n extract`")]


def test_check_finds_untranslated_strings_but_not_in_english(root):
    catalogs.extract(root)
    catalogs.init(root, "en")
    catalogs.init(root, "sr")
    translate(root, "sr", {"Hello": "Здраво"})
    problems = catalogs.check(root)
    assert [(p.path, p.message) for p in problems] == [
        ("locales/sr/LC_MESSAGES/messages.po", "untranslated: '{n} place near you'"),
        ("locales/sr/LC_MESSAGES/messages.po", "untranslated: 'Legal status'"),
    ]
    assert all(problem.line > 0 for problem in problems)


def test_check_treats_a_plural_with_an_empty_form_and_a_fuzzy_entry_as_unusable(translated):
    catalog = read_catalog(po(translated, "sr"))
    catalog["{n} place near you"].string = ("{n} место у близини", "{n} места у близини", "")
    catalog["Legal status"].flags.add("fuzzy")
    with po(translated, "sr").open("wb") as file:
        write_po(file, catalog)
    assert found(translated) == [
        ("locales/sr/LC_MESSAGES/messages.po", "untranslated: '{n} place near you'"),
        ("locales/sr/LC_MESSAGES/messages.po", "fuzzy, so not used: 'Legal status'"),
    ]


def test_check_finds_a_lost_placeholder(translated):
    translate(translated, "sr", {PLACES: (
        "{n} место у близини", "места у близини", "{n} места у {city}")})
    assert found(translated) == [
        ("locales/sr/LC_MESSAGES/messages.po", "form 1 of the translation of '{n} place near you' leaves out {n}"),
        ("locales/sr/LC_MESSAGES/messages.po", "form 2 of the translation of '{n} place near you' has unknown {city}"),
    ]


def test_a_form_used_for_one_count_may_leave_the_number_out(root):
    catalogs.extract(root)
    catalogs.init(root, "ar")
    translate(root, "ar", {
        "Hello": "مرحبا",
        "Legal status": "الوضع القانوني",
        PLACES: ("0", "1", "2", "{n} few", "{n} many", "{n} other"),
    })
    assert found(root) == []


def test_check_finds_a_plural_header_that_disagrees_with_cldr(translated):
    catalog = Catalog(locale="ar", fuzzy=False)
    po(translated, "ar").parent.mkdir(parents=True)
    with po(translated, "ar").open("wb") as file:
        write_po(file, catalog)
    # the Arabic header of babel's table before 2.19, which gives 11..99 and 100..102 each other's forms
    old = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5);"
    text = po(translated, "ar").read_text(encoding="utf-8")
    po(translated, "ar").write_text(re.sub(r'"Plural-Forms: [^"\\]*', f'"Plural-Forms: {old}', text), encoding="utf-8")
    assert found(translated) == [
        ("locales/ar/LC_MESSAGES/messages.po",
         'Plural-Forms: the plural expression picks form 5 for n=11, but CLDR says "many", which is form 4; '
         f'CLDR\'s is "{plural_forms("ar")}"'),
    ] + [("locales/ar/LC_MESSAGES/messages.po", f"missing, run `putokaz i18n update`: {text!r}")
         for text in ("Hello", "{n} place near you", "Legal status")]


def test_update_keeps_translations_and_adds_new_strings_empty_not_fuzzy(translated):
    add_source_line(translated, 'HI = _("Hello there")')  # close to "Hello": babel would guess a fuzzy match
    catalogs.extract(translated)
    catalogs.update(translated)
    catalog = read_catalog(po(translated, "sr"))
    assert [(message.id, message.string, message.fuzzy) for message in catalog if message.id] == [
        ("Hello", "Здраво", False),
        (PLACES, SR[PLACES], False),
        ("Legal status", "Правни статус", False),
        ("Hello there", "", False),
    ]


def test_update_gives_a_new_plural_every_arabic_form(root):
    catalogs.init(root, "ar")  # before any template: an empty catalog
    catalogs.extract(root)
    catalogs.update(root)
    text = po(root, "ar").read_text(encoding="utf-8")
    assert re.findall(r"^msgstr\[(\d)\]", text, re.MULTILINE) == ["0", "1", "2", "3", "4", "5"]


def test_update_keeps_a_dropped_translation_as_obsolete(translated):
    source = translated / "bot" / "screens.py"
    source.write_text(SOURCE.replace('LABELS = {"legal": N_("Legal status")}', ""), encoding="utf-8")
    catalogs.extract(translated)
    catalogs.update(translated)
    catalog = read_catalog(po(translated, "sr"))
    assert ("Legal status" in catalog, catalog.obsolete["Legal status"].string) == (False, "Правни статус")


def test_update_without_a_template_says_what_to_run(root):
    with pytest.raises(ValueError, match="run `putokaz i18n extract`"):
        catalogs.update(root)


def test_compile_writes_mo_files_gettext_reads(translated):
    written = catalogs.compile(translated)
    with written[-1].open("rb") as file:
        translations = gettext.GNUTranslations(file)
    assert ([path.relative_to(translated).as_posix() for path in written],
            translations.gettext("Hello"), translations.ngettext(*PLACES, 21)) == (
        ["locales/en/LC_MESSAGES/messages.mo", "locales/sr/LC_MESSAGES/messages.mo"], "Здраво",
        "{n} место у близини")


@pytest.mark.parametrize("language", ["sr", "sr_Latn", "ar", "fa", "uk"])
def test_init_writes_the_language_and_cldr_plural_header(root, language):
    catalog = read_catalog(catalogs.init(root, language))
    assert (catalog.locale_identifier, f"nplurals={catalog.num_plurals}; plural={catalog.plural_expr};",
            catalog.fuzzy) == (language, plural_forms(language), False)


def test_init_copies_the_template_strings_empty(root):
    catalogs.extract(root)
    catalog = read_catalog(catalogs.init(root, "sr_Latn"))
    assert [(message.id, message.string) for message in catalog if message.id] == [
        ("Hello", ""), (PLACES, ("", "", "")), ("Legal status", "")]


def test_init_refuses_an_existing_catalog(root):
    catalogs.init(root, "sr")
    with pytest.raises(FileExistsError, match="sr/LC_MESSAGES/messages.po already exists"):
        catalogs.init(root, "sr")


def test_init_refuses_an_unknown_language(root):
    with pytest.raises(ValueError, match='"xx_Nope" is not a language'):
        catalogs.init(root, "xx_Nope")
