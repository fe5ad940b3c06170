"""`putokaz content coverage`: how much of the English articles each language has, by section.

A count of files, not a validation (`putokaz content check` does that): a translation counts as present
as soon as its file exists, so editors see the gaps even while a page still has errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.articles import ENGLISH, source_hash
from bot.content.schema import SECTIONS
from bot.content.yamlfile import LineDict, YamlError, load_front_matter

CATALOG = Path("LC_MESSAGES") / "messages.po"
# A shipped UI language must not leave a person without these: their rights, whom to call in danger, and what
# happens to their data.
REQUIRED_SECTIONS = ("legal", "emergency", "privacy")
LEGEND = ("N/T: N of the T English articles have a file; m: machine translations awaiting review; "
          "s: stale, the English page changed since; -: no English articles")


@dataclass
class Cell:
    """One language × one section."""

    total: int = 0
    machine: int = 0
    human: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def present(self) -> int:
        return self.machine + self.human

    def as_json(self) -> dict[str, Any]:
        return {"total": self.total, "present": self.present, "machine": self.machine, "human": self.human,
                "missing": self.missing, "stale": self.stale}

    def __str__(self) -> str:
        if not self.total:
            return "-"
        notes = [f"{n}{mark}" for n, mark in ((self.machine, "m"), (len(self.stale), "s")) if n]
        return f"{self.present}/{self.total}" + (f" ({', '.join(notes)})" if notes else "")


@dataclass(frozen=True)
class Coverage:
    locales: dict[str, dict[str, Cell]]  # locale -> section -> cell; English first, then by name
    ui_locales: tuple[str, ...]  # the languages the bot ships a UI catalog for

    def as_json(self) -> dict[str, Any]:
        return {"locales": {locale: {section: cell.as_json() for section, cell in sections.items()}
                            for locale, sections in self.locales.items()}}

    def table(self) -> str:
        """Plain aligned text: one row per language, one column per section, then the legend."""
        rows = [["locale", *SECTIONS]]
        rows += [[locale, *(str(cells[s]) for s in SECTIONS)] for locale, cells in self.locales.items()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip() for row in rows]
        return "\n".join([*lines, "", LEGEND])

    def required_missing(self) -> dict[str, list[str]]:
        """For each shipped UI language, the legal, emergency and privacy articles it has no file for ("legal/id")."""
        gaps = {}
        for locale in self.ui_locales:
            missing = [f"{section}/{article_id}" for section in REQUIRED_SECTIONS
                       for article_id in self.locales[locale][section].missing]
            if missing:
                gaps[locale] = missing
        return gaps


def catalog_locales(locales_dir: Path) -> list[str]:
    """The UI languages: folders of `locales_dir` holding LC_MESSAGES/messages.po."""
    if not locales_dir.is_dir():
        return []
    return sorted(folder.name for folder in locales_dir.iterdir() if (folder / CATALOG).is_file())


def coverage(root: Path, ui_locales: Iterable[str]) -> Coverage:
    """Count the articles of `root` for English, every UI language and every language folder under articles/."""
    folder = root / "articles"
    english = _english(folder / ENGLISH)  # section -> id -> sha prefix
    shipped = tuple(sorted({ENGLISH, *ui_locales}))
    languages = {ENGLISH, *shipped, *(p.name for p in _folders(folder))}
    ordered = [ENGLISH, *sorted(languages - {ENGLISH})]
    return Coverage({locale: _cells(folder / locale, locale, english) for locale in ordered}, shipped)


def _english(folder: Path) -> dict[str, dict[str, str]]:
    english: dict[str, dict[str, str]] = {section: {} for section in SECTIONS}
    for section in SECTIONS:
        for path in _pages(folder / section):
            english[section].setdefault(path.stem, source_hash(path.read_bytes()))
    return english


def _cells(folder: Path, locale: str, english: Mapping[str, Mapping[str, str]]) -> dict[str, Cell]:
    # A translation is matched to its English original by id (the file name), whichever section folder it is in.
    pages = {path.stem: path for section in SECTIONS for path in _pages(folder / section)}
    cells = {}
    for section in SECTIONS:
        cell = cells[section] = Cell(total=len(english[section]))
        for article_id, digest in sorted(english[section].items()):
            path = pages.get(article_id)
            if path is None:
                cell.missing.append(article_id)
            elif locale == ENGLISH:
                cell.human += 1
            else:
                translation, written_from = _front(path)
                # Only a page that says "human" counts as reviewed; one that cannot be read proves neither.
                if translation == "human":
                    cell.human += 1
                else:
                    cell.machine += 1
                if written_from != digest:
                    cell.stale.append(article_id)
    return cells


def _front(path: Path) -> tuple[object, object]:
    """The page's `translation` and `source_hash`, or Nones when its front matter cannot be read."""
    try:
        data = load_front_matter(path.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlError):
        return None, None
    if not isinstance(data, LineDict):
        return None, None
    return data.get("translation"), data.get("source_hash")


def _folders(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _pages(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("."))
