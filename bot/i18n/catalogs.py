"""Keeping the catalogs in step with the code: `putokaz i18n extract|update|compile|check`, and `init` for a language.

`root` is the project folder: strings come from the files locales/babel.cfg maps (bot/**.py), the template is
locales/messages.pot and each language's catalog is locales/<lang>/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from bot.i18n import languages as cldr
from bot.i18n.plurals import SAMPLE, plural_forms, plural_problem
from bot.i18n.po import CatalogError, is_translated, plural_strings, read_catalog, to_mo

LOCALES = "locales"
TEMPLATE = f"{LOCALES}/messages.pot"
MAPPING = f"{LOCALES}/babel.cfg"
CATALOG = "LC_MESSAGES/messages.po"

# The marking functions (SPEC: `_("...")`, `ngettext(...)`; screens.py marks tables with N_). Anything else, e.g.
# pgettext, is not extracted on purpose: the runtime Messages protocol has no contexts.
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("Translators:",)

# Lines of the template that change without any string changing.
_VOLATILE = re.compile(r'^"(POT-Creation-Date|Generated-By): .*\n', re.MULTILINE)
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[sdif]")

HEADER = """\
# Translations template for Putokaz.
# This file is distributed under the same license as the Putokaz project (AGPL-3.0-or-later).
#"""


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding in a catalog. `path` is relative to the project root; `line` 0 means the file as a whole."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def extract(root: Path) -> Path:
    """Write locales/messages.pot from the strings marked in the code."""
    path = root / TEMPLATE
    _write(path, _po_text(_extract_catalog(root)))
    return path


def update(root: Path) -> list[Path]:
    """Merge the template into every catalog: translations kept, new strings added empty, dropped ones obsolete."""
    template = read_catalog(_existing(root / TEMPLATE, "run `putokaz i18n extract`"))
    paths = _catalog_paths(root)
    for path in paths:
        catalog = read_catalog(path, path.parent.parent.name)
        # No fuzzy matching: a guessed translation of a similar string is never served, and an empty one is
        # what `check` and translators look for.
        catalog.update(template, no_fuzzy_matching=True)
        _write(path, _po_text(catalog))
    return paths


def compile(root: Path) -> list[Path]:  # noqa: A001  (the CLI action's name)
    """Write messages.mo next to every catalog, for tools that want one; the bot itself never reads them."""
    written = []
    for path in _catalog_paths(root):
        mo = path.with_suffix(".mo")
        _write(mo, to_mo(read_catalog(path, path.parent.parent.name)))
        written.append(mo)
    return written


def init(root: Path, language: str) -> Path:
    """Start the catalog of a new language from the template, with CLDR's plural rule in its header."""
    language = cldr.canonical(language)
    path = root / LOCALES / language / CATALOG
    if path.exists():
        raise FileExistsError(f"{path} already exists; `update` merges new strings into it")
    template_path = root / TEMPLATE
    catalog = read_catalog(template_path, language) if template_path.exists() else _new_catalog(language)
    catalog.locale = language
    catalog.fuzzy = False
    catalog.header_comment = HEADER  # the catalog turns "Translations template" into "<Language> translations"
    catalog.mime_headers = [("Plural-Forms", plural_forms(language))]
    _write(path, _po_text(catalog))
    return path


def check(root: Path) -> list[Problem]:
    """Everything that keeps the catalogs from matching the code: a stale template, untranslated strings."""
    try:
        code = _extract_catalog(root)
    except CatalogError as error:
        return [Problem(MAPPING, 0, str(error))]
    problems = _check_template(root, code)
    for path in _catalog_paths(root):
        problems.extend(_check_catalog(root, path, code))
    return problems


def _check_template(root: Path, code: Catalog) -> list[Problem]:
    path = root / TEMPLATE
    if not path.exists():
        return [Problem(TEMPLATE, 0, "missing; run `putokaz i18n extract`")]
    actual = _VOLATILE.sub("", path.read_bytes().decode("utf-8", "replace"))
    if actual == _VOLATILE.sub("", _po_text(code).decode("utf-8")):
        return []
    try:
        template = read_catalog(path)
    except CatalogError as error:
        return [Problem(TEMPLATE, 0, f"{error.__cause__ or error}; run `putokaz i18n extract`")]
    changes = [f"new in the code: {_id(m)!r}" for m in code if m.id and m.id not in template]
    changes += [f"no longer in the code: {_id(m)!r}" for m in template if m.id and m.id not in code]
    if not changes:
        changes = ["where strings are or their comments"]
    return [Problem(TEMPLATE, 0, f"out of date with the code ({'; '.join(changes)}); "
                                 "run `putokaz i18n extract`, then `putokaz i18n update`")]


def _check_catalog(root: Path, path: Path, code: Catalog) -> list[Problem]:
    name = path.relative_to(root).as_posix()
    folder = path.parent.parent.name
    try:
        catalog = read_catalog(path, folder)
    except CatalogError as error:
        return [Problem(name, 0, str(error.__cause__ or error))]
    problems = []
    if catalog.locale_identifier != folder:
        problems.append(Problem(name, 0, f'Language header is "{catalog.locale_identifier}", the folder is '
                                         f'"{folder}"'))
    plural = plural_problem(folder, catalog.num_plurals, catalog.plural_expr)
    if plural:
        problems.append(Problem(name, 0, f"Plural-Forms: {plural}{_cldr_header(folder)}"))
        single_forms: set[int] = set()
    else:
        single_forms = _single_forms(catalog.plural_expr)
    source = folder == cldr.SOURCE  # English msgids are the English text: an empty msgstr is served as the msgid
    for message in catalog:
        if not message.id:
            continue
        line = message.lineno or 0
        if message.fuzzy:
            problems.append(Problem(name, line, f"fuzzy, so not used: {_id(message)!r}"))
        elif is_translated(message, catalog.num_plurals):
            problems.extend(Problem(name, line, text) for text in _placeholder_problems(message, single_forms))
        elif not source:
            problems.append(Problem(name, line, f"untranslated: {_id(message)!r}"))
    if not source:
        problems.extend(Problem(name, 0, f"missing, run `putokaz i18n update`: {_id(m)!r}")
                        for m in code if m.id and m.id not in catalog)
    return problems


def _cldr_header(language: str) -> str:
    try:
        return f'; CLDR\'s is "{plural_forms(language)}"'
    except ValueError:
        return ""


def _single_forms(expression: str) -> set[int]:
    """Plural forms used for one count only (English "one", Arabic "zero"/"one"/"two"): they may omit the number."""
    choose = gettext.c2py(expression)
    uses = Counter(choose(n) for n in SAMPLE)
    return {form for form, count in uses.items() if count == 1}


def _placeholder_problems(message: Message, single_forms: set[int]) -> list[str]:
    """The engine fills "{place}" and "%(n)d" after translation: a translation that drops one loses the value."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    wanted = set().union(*(_PLACEHOLDER.findall(text) for text in ids))
    problems = []
    for form, string in enumerate(plural_strings(message)):
        found = set(_PLACEHOLDER.findall(string))
        lost = set() if message.pluralizable and form in single_forms else wanted - found
        where = f"form {form} of the " if message.pluralizable else "the "
        if lost:
            problems.append(f"{where}translation of {_id(message)!r} leaves out {', '.join(sorted(lost))}")
        if found - wanted:
            problems.append(f"{where}translation of {_id(message)!r} has unknown {', '.join(sorted(found - wanted))}")
    return problems


def _id(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def _extract_catalog(root: Path) -> Catalog:
    mapping = _existing(root / MAPPING, "it maps source files to extractors, e.g. [python: bot/**.py]")
    with mapping.open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file, filename=str(mapping))
    catalog = _new_catalog(None)
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True):
        catalog.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    return catalog


def _po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # Locations without line numbers: moving code around must not make the template (and `check`) go stale.
    write_po(buffer, catalog, include_lineno=False)
    return buffer.getvalue()


def _catalog_paths(root: Path) -> list[Path]:
    return sorted((root / LOCALES).glob(f"*/{CATALOG}"))


def _existing(path: Path, hint: str) -> Path:
    if not path.is_file():
        raise CatalogError(f"{path} does not exist; {hint}")
    return path


def _new_catalog(language: str | None) -> Catalog:
    try:
        version = metadata.version("putokaz")
    except metadata.PackageNotFoundError:
        version = "0"
    return Catalog(locale=language, project="Putokaz", version=version, header_comment=HEADER, charset="utf-8")


def _write(path: Path, data: bytes) -> None:
    """Replace a file whole, so an interrupted run never leaves half a catalog."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
