"""Reading the files of a content folder: each problem found on the way is recorded, never raised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.problems import Problems
from bot.content.schema import Entry, shown, suggest
from bot.content.yamlfile import LineDict, LineList, YamlError, load_yaml


@dataclass
class Reading:
    """One load of a content folder: where it is, the clock, and what has been found so far."""

    root: Path
    today: dt.date
    max_age_days: int
    problems: Problems = field(default_factory=Problems)

    def __post_init__(self) -> None:
        self._base = self.root.resolve().parent

    def show(self, path: Path) -> str:
        """The path as messages show it: from the content folder's parent, "content/places.yaml"."""
        try:
            return path.resolve().relative_to(self._base).as_posix()
        except ValueError:
            return path.as_posix()

    def read_text(self, path: Path) -> tuple[bytes, str] | None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.problems.error(self.show(path), 0, f"cannot read the file: {exc.strerror}")
            return None
        try:
            return raw, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            self.problems.error(self.show(path), line, "the file is not UTF-8 text")
            return None

    def read_list(self, path: Path, noun: str) -> LineList | None:
        """A YAML file holding a list of `noun`s; None (after reporting why) when it cannot be used."""
        read = self.read_text(path)
        if read is None:
            return None
        shown_path = self.show(path)
        try:
            data, duplicates = load_yaml(read[1])
        except YamlError as exc:
            self.problems.error(shown_path, exc.line, exc.message)
            return None
        for line, message in duplicates:
            self.problems.error(shown_path, line, message)
        if data is None:
            return LineList(1)
        if not isinstance(data, LineList):
            line = data.line if isinstance(data, LineDict) else 1
            self.problems.error(shown_path, line, f"the file must be a list of {noun}s (- ...), got {shown(data)}")
            return None
        return data

    def country_files(self, folder_name: str, noun: str, countries: Declared) -> Iterator[tuple[str, Path, LineList]]:
        """(country code, path, items) of each <folder_name>/<country>.yaml, a list of `noun`s; other files and
        unknown countries are reported and skipped."""
        folder = self.root / folder_name
        if not folder.is_dir():
            return
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if path.suffix != ".yaml" or not path.is_file():
                self.problems.warning(self.show(path), 0,
                                      f"ignored: {folder_name} files are {folder_name}/<country>.yaml")
                continue
            if not countries.knows(path.stem):
                self.problems.error(self.show(path), 0, f"{folder_name} file for an unknown country "
                                                        f"{shown(path.stem)}{suggest(path.stem, countries.where)}")
                continue
            yield path.stem, path, self.read_list(path, noun) or LineList()

    def entries(self, path: Path, items: LineList, noun: str, fields: set[str]) -> Iterator[Entry]:
        """Each item of a list file as an Entry; items that are not mappings are reported and skipped."""
        shown_path = self.show(path)
        for item, line in zip(items, items.lines):
            if not isinstance(item, LineDict):
                self.problems.error(shown_path, line, f"each {noun} must be a mapping (field: value), "
                                                      f"got {shown(item)}")
                continue
            yield Entry(item, path=shown_path, line=line, fields=fields, problems=self.problems,
                        today=self.today, max_age_days=self.max_age_days)

    def entry(self, data: Any, path: Path, line: int, fields: set[str]) -> Entry:
        return Entry(data, path=self.show(path), line=line, fields=fields, problems=self.problems,
                     today=self.today, max_age_days=self.max_age_days)


@dataclass
class Declared:
    """Ids seen so far, with where: references to an entry that has its own errors are not reported twice."""

    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    # False when the file declaring them could not be read: then no reference can be called unknown.
    complete: bool = True

    def add(self, entry: Entry, key: str, value: str, noun: str) -> bool:
        """Record `value`; report and return False if it was declared before."""
        line = entry.line_of(key)
        if value in self.where:
            path, first = self.where[value]
            entry.error_at(line, f"duplicate {noun} {shown(value)} (first at {path}:{first})")
            return False
        self.where[value] = (entry.path, line)
        return True

    def knows(self, value: object) -> bool:
        return not self.complete or value in self.where
