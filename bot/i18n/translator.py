"""The bot's Translator: gettext catalogs from locales/, compiled in memory, and CLDR for names and directions."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog

from bot import stored as stored_files
from bot.core.transliterate import DERIVED
from bot.i18n import languages as cldr
from bot.i18n.detect import detect
from bot.i18n.po import CatalogError, load_translations, read_catalog, to_mo

CATALOG = Path("LC_MESSAGES") / "messages.po"


# Language tags remembered by resolve(); clients send a few dozen distinct ones, an attacker could send more.
RESOLVED_LIMIT = 4096
# Compiled catalogs kept between starts, in the data folder, under the hash of the .po they came from.
COMPILED_FILE = "catalogs-compiled.pickle"
_CODE = (Path(__file__).resolve().parent / "po.py", Path(__file__).resolve().parents[1] / "core" / "transliterate.py")


class CatalogMessages:
    """The UI strings of one language, falling back along its chain to the English msgids."""

    __slots__ = ("language", "_translations")

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def __repr__(self) -> str:
        return f"CatalogMessages({self.language!r})"


class BabelTranslator:
    """Implements bot.core.ports.Translator over `<locales_dir>/<lang>/LC_MESSAGES/messages.po`.

    A language in transliterate.DERIVED without a catalog of its own is made from its source's catalog: with only
    locales/sr, "sr_Latn" is offered too, its strings the sr ones in Latin letters.

    Every catalog is read and compiled when the translator is built, never from a .mo file, so an edited .po is what
    a restarted bot serves and a broken one stops the start with its file name. With a `cache_dir`, what a .po
    compiled to is kept there under the hash of its bytes (and of the compiling code), so an unchanged catalog is
    not parsed again at the next start; a changed one always is.
    """

    def __init__(self, locales_dir: Path, languages: Sequence[str] | None = None, *,
                 cache_dir: Path | None = None) -> None:
        self._locales_dir = locales_dir
        kept = stored_files.read(cache_dir / COMPILED_FILE) if cache_dir is not None else None
        self._stored: dict[str, tuple[str, bytes]] = kept if isinstance(kept, dict) else {}
        stored_before = dict(self._stored)
        if not locales_dir.is_dir():
            raise CatalogError(f'locales folder "{locales_dir}" does not exist')
        found = _catalog_languages(locales_dir)
        # language -> the language whose catalog it is made from, for derived languages only
        self._sources = {language: source for language, (source, _) in DERIVED.items()
                         if source in found and language not in found}
        available = [*found, *self._sources]
        wanted = available if languages is None else [cldr.canonical(language) for language in languages]
        missing = [language for language in wanted if language != cldr.SOURCE and language not in available]
        if missing:
            raise CatalogError(f"no catalog for {', '.join(missing)} in {locales_dir} "
                               f"(expected {locales_dir / missing[0] / CATALOG})")
        self._languages = tuple(cldr.picker_order([cldr.SOURCE, *wanted]))
        self._compiled = {language: self._compile(language) for language in self._languages
                          if language in available}
        if cache_dir is not None and self._stored != stored_before:
            stored_files.write(cache_dir / COMPILED_FILE, self._stored)
        self._messages = {language: self._build(language) for language in self._languages}
        self._resolved: dict[str | None, str | None] = {}

    def _compile(self, language: str) -> bytes:
        source = self._sources.get(language, language)
        path = self._locales_dir / source / CATALOG
        try:
            key = _key(language, source, path.read_bytes())
        except OSError:
            key = None  # read_catalog names the problem
        stored = self._stored.get(language)
        if key is not None and stored is not None and stored[0] == key:
            return stored[1]
        catalog = read_catalog(path, source)
        if source != language:
            _convert(catalog, language)
        mo = to_mo(catalog)
        load_translations(mo, path)  # a plural expression gettext cannot parse fails here, at start
        if key is not None:
            self._stored[language] = (key, mo)
        return mo

    def _build(self, language: str) -> CatalogMessages:
        # Fresh GNUTranslations per chain: add_fallback mutates, so sharing "sr" between the "sr" and "sr_Latn"
        # chains would hang one chain's fallback onto the other.
        # A derived language skips its source: a string sr lacks is lacking in sr_Latn too, and a Latin reader
        # should get English rather than Cyrillic.
        chain: gettext.NullTranslations | None = None
        for link in reversed(self.fallbacks(language)):
            if link in self._compiled and link != self._sources.get(language):
                path = self._locales_dir / self._sources.get(link, link) / CATALOG
                translations = load_translations(self._compiled[link], path)
                if chain is not None:
                    translations.add_fallback(chain)
                chain = translations
        return CatalogMessages(language, chain or gettext.NullTranslations())

    def languages(self) -> Sequence[str]:
        return self._languages

    def messages(self, language: str) -> CatalogMessages:
        try:
            return self._messages[language]
        except KeyError:
            raise ValueError(f'"{language}" is not a UI language; have {", ".join(self._languages)}') from None

    def resolve(self, code: str | None) -> str | None:
        # Asked on every update (the stored language, the client's hint): remembered, as catalogs do not change.
        try:
            return self._resolved[code]
        except KeyError:
            pass
        resolved = cldr.resolve(code, self._languages)
        if len(self._resolved) < RESOLVED_LIMIT:  # hints come from clients: keep the memory bounded
            self._resolved[code] = resolved
        return resolved

    def load_cldr(self) -> None:
        """Read the CLDR data of every UI language now rather than on somebody's first answer."""
        cldr.load(self._languages)

    def language_name(self, language: str) -> str:
        return cldr.language_name(language)

    def country_name(self, country: str, language: str) -> str:
        return cldr.country_name(country, language)

    def is_rtl(self, language: str) -> bool:
        return cldr.is_rtl(language)

    def fallbacks(self, language: str) -> Sequence[str]:
        return cldr.fallbacks(language)

    def detect(self, text: str, current: str) -> str | None:
        return detect(text, self._languages, current)

    def weekday_names(self, language: str) -> Sequence[str]:
        return cldr.weekday_names(language)

    def time_range(self, opens: dt.time, closes: dt.time, language: str) -> str:
        return cldr.time_range(opens, closes, language)

    def event_when(self, starts: dt.datetime, ends: dt.datetime, language: str) -> str:
        return cldr.event_when(starts, ends, language)


def _convert(catalog: Catalog, language: str) -> None:
    """Turn a source language's catalog into the derived `language`'s, in place: every msgstr converted."""
    convert = DERIVED[language][1]
    catalog.locale = language
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, (list, tuple)):
            message.string = tuple(convert(form) for form in message.string)
        elif message.string:
            message.string = convert(message.string)


def _catalog_languages(locales_dir: Path) -> list[str]:
    found = []
    for folder in sorted(locales_dir.iterdir()):
        if not (folder / CATALOG).is_file():
            continue
        try:
            language = cldr.canonical(folder.name.replace("-", "_"))
        except ValueError as error:
            raise CatalogError(f"{folder}: {error}") from None
        if language != folder.name:
            raise CatalogError(f'{folder}: a catalog folder is named by its babel locale, "{language}", '
                               f'not "{folder.name}"')
        found.append(language)
    return found


def _key(language: str, source: str, po: bytes) -> str:
    return hashlib.sha256(f"{language}\0{source}\0{_code_digest()}\0".encode() + po).hexdigest()


@functools.cache
def _code_digest() -> str:
    """The compiling code's hash, read once however many catalogs there are."""
    return hashlib.sha256(b"".join(code.read_bytes() for code in _CODE)).hexdigest()
