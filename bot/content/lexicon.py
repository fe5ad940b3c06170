"""Editors' word lists: synonyms for search (content/synonyms.yaml) and protection alerts (content/alerts.yaml).

synonyms.yaml, one group of words that mean the same to a person asking, per language:

    - language: en
      words: [work, job, employment, labour]

alerts.yaml, words and phrases that signal immediate danger, per category and language; a word ending in * stands
for every word it begins ("suicid*" matches "suicide" and "suicidal"):

    - category: self-harm
      language: en
      terms: ["kill myself", "suicid*", "end my life"]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.content.files import Reading
from bot.content.fold import fold, raw_words
from bot.content.schema import LOCALE, shown, suggest
from bot.content.yamlfile import LineList

ALERT_CATEGORIES = ("self-harm", "violence", "sexual-violence", "trafficking", "child")


def load_synonyms(reading: Reading) -> dict[str, list[list[str]]]:
    path = reading.root / "synonyms.yaml"
    groups: dict[str, list[list[str]]] = {}
    if not path.is_file():
        return groups
    items = reading.read_list(path, "synonym group") or LineList()
    for entry in reading.entries(path, items, "synonym group", {"language", "words"}):
        language = _language(entry)
        words = entry.items("words", required=True) or []
        if len(words) == 1:
            entry.error("words", "a synonym group needs at least two words")
        if entry.ok and language and len(words) > 1:
            groups.setdefault(language, []).append([word for word, _ in words])
    return groups


@dataclass(frozen=True)
class Alert:
    category: str
    language: str
    words: tuple[str, ...]  # folded; a word ending in * is a prefix


def load_alerts(reading: Reading) -> list[Alert]:
    path = reading.root / "alerts.yaml"
    alerts: list[Alert] = []
    if not path.is_file():
        return alerts
    items = reading.read_list(path, "alert list") or LineList()
    for entry in reading.entries(path, items, "alert list", {"category", "language", "terms"}):
        category = entry.choice("category", ALERT_CATEGORIES, noun="alert category")
        language = _language(entry)
        terms = entry.items("terms", required=True) or []
        phrases = []
        for written, line in terms:
            words = _join_stars(tuple(_folded(written)))
            if not words or any(w in ("*", "") for w in words):
                entry.error_at(line, f"alert term {shown(written)} has no words to match")
            elif len(words) == 1 and len(words[0].rstrip("*")) < 3:
                entry.error_at(line, f"alert term {shown(written)} is too short to tell danger from everyday words")
            else:
                phrases.append(words)
        if entry.ok and category and language:
            alerts.extend(Alert(category, language, words) for words in phrases)
    return alerts


def _language(entry) -> str | None:
    language = entry.text("language")
    if language is not None and not LOCALE.fullmatch(language):
        entry.error("language", f'{shown(language)} is not a language code like "ar" or "sr_Latn"'
                                f"{suggest(language, ())}")
        return None
    return language


# The Arabic article and the conjunctions and prepositions written onto it, folded (kaf as keheh):
# "الانتحار" and "انتحار" are one word for matching.
_ARABIC_PREFIXES = ("وال", "بال", "کال", "فال", "لل", "ال")


def bare(word: str) -> str:
    """A folded word without an Arabic article prefix, when enough of the word is left."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    return word


def _folded(written: str) -> Iterable[str]:
    for word in written.split():
        star = word.endswith("*")
        for part in raw_words(word):
            yield bare(fold(part))
        if star:
            yield "*"


class AlertMatcher:
    """Finds the first alert category whose phrase occurs in a text, in any language."""

    def __init__(self, alerts: Iterable[Alert]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._prefixed: list[tuple[tuple[str, ...], str]] = []
        for alert in alerts:
            words = alert.words
            if words[0].endswith("*"):
                self._prefixed.append((words, alert.category))
            else:
                self._by_first.setdefault(words[0], []).append((words, alert.category))

    def match(self, text: str) -> str | None:
        words = [bare(fold(w)) for w in raw_words(text)]
        for start, word in enumerate(words):
            for phrase, category in (*self._by_first.get(word, ()), *self._prefixed):
                if _matches(phrase, words, start):
                    return category
        return None


def _join_stars(words: Sequence[str]) -> tuple[str, ...]:
    """("suicid", "*") -> ("suicid*",): the star belongs to the word before it."""
    joined: list[str] = []
    for word in words:
        if word == "*" and joined:
            joined[-1] += "*"
        else:
            joined.append(word)
    return tuple(joined)


def _matches(phrase: Sequence[str], words: Sequence[str], start: int) -> bool:
    if start + len(phrase) > len(words):
        return False
    for expected, word in zip(phrase, words[start:]):
        if expected.endswith("*"):
            if not word.startswith(expected[:-1]):
                return False
        elif word != expected:
            return False
    return True
