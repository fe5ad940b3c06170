"""Reading a .po catalog and compiling it in memory: one definition of "translated" for the bot and the CLI."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po


class CatalogError(ValueError):
    """A catalog file that cannot be read or compiled; the message names the file."""


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """Parse a .po/.pot file strictly; `language` is used when the file has no Language header."""
    try:
        with path.open("rb") as file:
            return read_po(file, locale=language, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, UnknownLocaleError, ValueError) as error:
        raise CatalogError(f"{path}: {error}") from error


def plural_strings(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (list, tuple)) else (string or "",)


def is_translated(message: Message, num_plurals: int) -> bool:
    """Whether the bot may serve this entry: not fuzzy, and every form filled in.

    A plural entry with a missing form is left out whole, so ngettext falls back to the next language for every count
    instead of answering "" for some counts.
    """
    if not message.id or message.fuzzy:
        return False
    if message.pluralizable:
        forms = plural_strings(message)
        return len(forms) == num_plurals and all(forms)
    return bool(message.string)


def to_mo(catalog: Catalog) -> bytes:
    """The GNU .mo bytes of the translated entries of a catalog (fuzzy and incomplete ones left out)."""
    served = Catalog(fuzzy=False)
    served.mime_headers = catalog.mime_headers  # Language, Plural-Forms and charset come across with these
    for message in catalog:
        if is_translated(message, catalog.num_plurals):
            served[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, served)
    return buffer.getvalue()


def load_translations(mo: bytes, path: Path) -> gettext.GNUTranslations:
    """A fresh GNUTranslations over compiled bytes; `path` only names the source in errors."""
    try:
        return gettext.GNUTranslations(io.BytesIO(mo))
    except (OSError, ValueError, SyntaxError) as error:
        # a Plural-Forms expression gettext cannot parse ends up here
        raise CatalogError(f"{path}: cannot be compiled: {error}") from error
