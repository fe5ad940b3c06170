"""Ranking free text against pages and services: BM25F over title, keywords and body, per language, with typo
tolerance and editors' synonyms.

Built once per content pack; a query only reads dicts. Each language has its own index (its own stemmer, its own
word statistics); a question is analysed in every language the person reads, and an item scores its best.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.content.analyze import terms

K1 = 1.2
# Field weights and length normalisation: an editor's keyword says most, a title a lot, a body word a little.
FIELDS = {"keywords": (3.0, 0.3), "title": (2.5, 0.5), "body": (1.0, 0.75)}
SYNONYM = 0.8  # a synonym counts a little less than the word typed
TYPO_SCORE = 80  # rapidfuzz ratio from which a misspelt word stands for a known one
TYPO_MIN_LENGTH = 4


@dataclass(frozen=True)
class Document:
    key: str  # "a:asylum-steps-rs", "s:ideas-beograd"
    language: str
    title: str
    keywords: Sequence[str]
    body: str


@dataclass
class _Language:
    postings: dict[str, dict[str, float]] = field(default_factory=dict)  # term -> key -> weighted tf
    idf: dict[str, float] = field(default_factory=dict)
    # Known terms by first letter, for typo lookup in a small list instead of the whole vocabulary.
    by_initial: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> the other terms of its group


class Ranking:
    """An index of documents in several languages."""

    def __init__(self, documents: Iterable[Document], synonyms: Mapping[str, Sequence[Sequence[str]]] = {}) -> None:
        by_language: dict[str, list[tuple[Document, dict[str, list[str]]]]] = {}
        for document in documents:
            fields = {"title": terms(document.title, document.language),
                      "keywords": [t for k in document.keywords for t in terms(k, document.language)],
                      "body": terms(document.body, document.language)}
            by_language.setdefault(document.language, []).append((document, fields))
        self._languages: dict[str, _Language] = {}
        for language, analysed in by_language.items():
            self._languages[language] = _build(analysed, synonyms.get(language, ()), language)

    def languages(self) -> Sequence[str]:
        return tuple(self._languages)

    def score(self, text: str, language: str) -> dict[str, float]:
        """Key -> BM25F score (> 0) of the documents in `language` for the question `text`."""
        index = self._languages.get(language)
        if index is None:
            return {}
        weights: dict[str, float] = {}
        for typed in dict.fromkeys(terms(text, language)):
            for found, weight in _expand(index, typed):
                weights[found] = max(weight, weights.get(found, 0.0))
        scores: dict[str, float] = {}
        for found, weight in weights.items():
            idf = index.idf[found]
            for key, tf in index.postings[found].items():
                scores[key] = scores.get(key, 0.0) + weight * idf * tf * (K1 + 1) / (tf + K1)
        return scores


def _build(analysed: list[tuple[Document, dict[str, list[str]]]], groups: Sequence[Sequence[str]],
           language: str) -> _Language:
    index = _Language()
    averages = {name: (sum(len(fields[name]) for _, fields in analysed) / len(analysed)) or 1.0 for name in FIELDS}
    for document, fields in analysed:
        weighted: dict[str, float] = {}
        for name, (weight, b) in FIELDS.items():
            norm = 1 - b + b * len(fields[name]) / averages[name]
            for found in fields[name]:
                weighted[found] = weighted.get(found, 0.0) + weight / norm
        for found, tf in weighted.items():
            postings = index.postings.setdefault(found, {})
            postings[document.key] = max(tf, postings.get(document.key, 0.0))
    count = len({document.key for document, _ in analysed})
    for found, postings in index.postings.items():
        index.idf[found] = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
        index.by_initial.setdefault(found[0], []).append(found)
    for group in groups:
        analysed_group = tuple(dict.fromkeys(t for word in group for t in terms(word, language)))
        for member in analysed_group:
            others = tuple(t for t in analysed_group if t != member and t in index.postings)
            if others:
                index.synonyms[member] = tuple(dict.fromkeys((*index.synonyms.get(member, ()), *others)))
    return index


def _expand(index: _Language, typed: str) -> list[tuple[str, float]]:
    """The known terms a typed term stands for, with their weight: itself, its synonyms, or its closest spelling."""
    found: list[tuple[str, float]] = []
    if typed in index.postings:
        found.append((typed, 1.0))
    elif len(typed) >= TYPO_MIN_LENGTH:
        candidates = index.by_initial.get(typed[0], ())
        for match, similarity, _ in process.extract(typed, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE,
                                                   limit=2):
            found.append((match, (similarity / 100) ** 2))
    for term, weight in list(found):
        found.extend((other, weight * SYNONYM) for other in index.synonyms.get(term, ()))
    if typed not in index.postings and typed in index.synonyms:
        found.extend((other, SYNONYM) for other in index.synonyms[typed])
    return found
