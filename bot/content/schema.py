"""The vocabulary of content files, and `Entry`: one mapping read field by field, each problem with its line."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Collection, Iterable
from typing import Any

from bot.content.problems import Problems
from bot.content.yamlfile import LineDict, LineList
from bot.core.transliterate import DERIVED

# SPEC.md "Content files". bot.core.screens labels these; tests/content/test_vocabulary.py keeps both in step.
SECTIONS = ("legal", "emergency", "privacy", "about", "integration")
CATEGORIES = ("legal-aid", "health", "accommodation", "education", "employment", "women-children",
              "psychosocial", "language-classes", "food-basic-needs")
STATUSES = ("confirmed", "unconfirmed", "reported-closed")
HOTLINE_KINDS = ("police", "ambulance", "fire", "emergency", "women", "children", "trafficking",
                 "missing-children", "violence", "other")
# The UI names these kinds itself; every other line needs its own `names`.
UI_NAMED_KINDS = frozenset({"police", "ambulance", "fire", "emergency"})
TRANSLATIONS = ("machine", "human")

ID = re.compile(r"[a-z0-9-]{1,40}")
COUNTRY_CODE = re.compile(r"[a-z]{2}")
LOCALE = re.compile(r"[a-z]{2,3}(_[A-Z][a-z]{3})?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DIALLABLE = re.compile(r"\+?[0-9][0-9 ()/-]*")


def suggest(value: object, candidates: Iterable[str]) -> str:
    """ ' (did you mean rs-sid?)' when a candidate is close, else ''."""
    if not isinstance(value, str):
        return ""
    match = difflib.get_close_matches(value, list(candidates), n=1)
    return f" (did you mean {match[0]}?)" if match else ""


def shown(value: Any) -> str:
    """A value as an editor would recognise it in a message."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


class Entry:
    """One mapping of a content file (a country, a place, a service, a page's front matter).

    Each reader returns the value, or None when it is absent or wrong; wrong values are reported
    with the line of their key or item and mark the entry not `ok`, so the loader can leave it out.
    """

    def __init__(self, data: LineDict, *, path: str, line: int, fields: Collection[str], problems: Problems,
                 today: dt.date, max_age_days: int) -> None:
        self.data = data
        self.path = path
        self.line = line
        self.problems = problems
        self.today = today
        self.max_age_days = max_age_days
        self.ok = True
        for key in data:
            if key not in fields:
                self.error(key, f"unknown field {shown(key)}{suggest(key, fields)}")

    def line_of(self, key: str) -> int:
        return self.data.lines.get(key, self.line)

    def error(self, key: str, message: str) -> None:
        self.error_at(self.line_of(key), message)

    def error_at(self, line: int, message: str) -> None:
        self.ok = False
        self.problems.error(self.path, line, message)

    def warning_at(self, line: int, message: str) -> None:
        self.problems.warning(self.path, line, message)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def _value(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.error_at(self.line, f'missing required field "{key}"')
            return None
        value = self.data[key]
        if value is None and required:
            self.error(key, f'field "{key}" is empty')
        return value

    def _text_or_none(self, key: str, value: Any, line: int, raw: str | None = None) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.error_at(line, f'field "{key}" is empty')
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            # YAML reads 192, 0123 or 1e5 as numbers; what the editor typed is in `raw`.
            written = raw if raw is not None else str(value)
            self.error_at(line, f'field "{key}" must be text, got {written} (write it in quotes: "{written}")')
        else:
            self.error_at(line, f'field "{key}" must be text, got {shown(value)}')
        return None

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._value(key, required)
        return None if value is None else self._text_or_none(key, value, self.line_of(key), self.data.raw.get(key))

    def ident(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required)
        if value is not None and not ID.fullmatch(value):
            self.error(key, f'field "{key}" must be 1 to 40 characters a-z, 0-9 or "-", got {shown(value)}')
            return None
        return value

    def choice(self, key: str, choices: Collection[str], *, noun: str, required: bool = True) -> str | None:
        value = self.text(key, required=required)
        if value is not None and value not in choices:
            self.error(key, f"unknown {noun} {shown(value)}{suggest(value, choices)}")
            return None
        return value

    def items(self, key: str, *, required: bool = False) -> list[tuple[str, int]] | None:
        """A list of text: [(value, line)], or None when the field is absent or not a list of text."""
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, LineList):
            self.error(key, f'field "{key}" must be a list, got {shown(value)}')
            return None
        found = []
        for item, line, raw in zip(value, value.lines, value.raw):
            text = self._text_or_none(key, item, line, raw)
            if text is not None:
                found.append((text, line))
        if required and not value:
            self.error(key, f'field "{key}" is an empty list')
        return found if len(found) == len(value) else None

    def localized(self, key: str, *, required: bool) -> dict[str, str] | None:
        """A mapping locale -> text. English is the fallback of every chain, so "en" must be there."""
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.error(key, f'field "{key}" must be a mapping of language to text, like {{en: "..."}}, '
                            f"got {shown(value)}")
            return None
        found = {}
        for locale, text in value.items():
            line = value.line_of(locale)
            if not isinstance(locale, str) or not LOCALE.fullmatch(locale):
                self.error_at(line, f'field "{key}": {shown(locale)} is not a language code like "ar" or "sr_Latn"')
                continue
            checked = self._text_or_none(f"{key}.{locale}", text, line, value.raw.get(locale))
            if checked is not None:
                found[locale] = checked
        if len(found) != len(value):
            return None
        if "en" not in found:
            self.error(key, f'field "{key}" has no English text (add en: "...")')
            return None
        for target, (source, convert) in DERIVED.items():
            # Serbian Latin from the Cyrillic, unless the editor wrote it out.
            if source in found and target not in found:
                found[target] = convert(found[source])
        return found

    def number(self, key: str, low: float, high: float, *, required: bool = True) -> float | None:
        value = self._value(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f'field "{key}" must be a number, got {shown(value)}')
            return None
        if not low <= value <= high:
            self.error(key, f'field "{key}" must be between {low:g} and {high:g}, got {value}')
            return None
        return float(value)

    def integer(self, key: str, *, default: int) -> int:
        value = self._value(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f'field "{key}" must be a whole number, got {shown(value)}')
            return default
        return value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        """An ISO date, not in the future; an old one is a warning that the entry needs checking again."""
        value = self._value(key, required)
        if value is None:
            return None
        day = None
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                pass
        if day is None:
            self.error(key, f'field "{key}" must be a date like 2026-11-25 (year-month-day), got {shown(value)}')
            return None
        line = self.line_of(key)
        if day > self.today:
            self.error_at(line, f"{key} {day.isoformat()} is in the future (today is {self.today.isoformat()})")
            return None
        age = (self.today - day).days
        if age > self.max_age_days:
            self.warning_at(line, f"{key} {day.isoformat()} is {age} days old (more than {self.max_age_days}): "
                                  "check it against its source again")
        return day
