"""Small catalogs written with babel's own write_po into a temporary locales folder."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.i18n.plurals import plural_forms

WriteCatalog = Callable[..., Path]


def write_catalog(locales: Path, language: str, messages: Mapping[str | tuple[str, str], str | tuple[str, ...]],
                  *, fuzzy: Collection[str | tuple[str, str]] = (), header: str | None = None) -> Path:
    """Write locales/<language>/LC_MESSAGES/messages.po; Plural-Forms is CLDR's unless `header` is given."""
    catalog = Catalog(locale=language, fuzzy=False)
    catalog.mime_headers = [("Plural-Forms", header or plural_forms(language))]
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path = locales / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog)
    return path


@pytest.fixture
def write() -> WriteCatalog:
    return write_catalog
