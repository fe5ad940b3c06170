"""Free-text search over pages: a first, plain keyword match (BM25 comes later).

Every word is folded the same way on both sides (case, accents, Arabic marks), then a page scores
per query word: 3 if it is one of the page's keywords, 2 if it is in the title, 1 if in the body,
taking the best of the page's versions in the person's languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from bot.core.model import Article

KEYWORD, TITLE, BODY = 3, 2, 1

_WORD = re.compile(r"\w+")
_URL = re.compile(r"\S+://\S+")
_LETTERS = str.maketrans({
    "\u0640": None,  # tatweel only stretches a word
    "\u200c": None,  # zero-width non-joiner: Persian writers use it, a space or nothing for the same word
    # Arabic and Persian keyboards give different yeh and kaf for the same letter
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
})


def fold(text: str) -> str:
    """Lower case without accents or Arabic harakat: "Šid" -> "sid", "لُجُوء" -> "لجوء"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Harakat, shadda, hamza above/below and Latin accents are all non-spacing marks (Mn).
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.translate(_LETTERS)


def words(text: str) -> set[str]:
    """The folded words of a text; one-letter words say too little to match on."""
    return {word for word in _WORD.findall(fold(_URL.sub(" ", text))) if len(word) > 1}


class KeywordSearch:
    """An inverted index word -> article id -> language -> best weight, built once."""

    def __init__(self, articles: Iterable[Article]) -> None:
        postings: dict[str, dict[str, dict[str, int]]] = {}
        ids = set()
        for article in articles:
            ids.add(article.id)
            fields = ((BODY, words(article.body)), (TITLE, words(article.title)),
                      (KEYWORD, set().union(*(words(k) for k in article.keywords))))
            for weight, found in fields:
                for word in found:
                    languages = postings.setdefault(word, {}).setdefault(article.id, {})
                    languages[article.language] = max(weight, languages.get(article.language, 0))
        self._postings: Mapping[str, Mapping[str, Mapping[str, int]]] = MappingProxyType(
            {word: MappingProxyType({i: MappingProxyType(by) for i, by in pages.items()})
             for word, pages in postings.items()})
        self._articles = len(ids)

    def scores(self, text: str, languages: Sequence[str]) -> dict[str, int]:
        """Article id -> score (> 0) for the words of `text`, looking only at the versions in `languages`."""
        scores: dict[str, int] = {}
        for word in words(text):
            pages = self._postings.get(word, {})
            # A word in most pages ("the", "how", "في") cannot tell them apart; it still counts where an
            # editor made it a keyword.
            common = self._articles >= 4 and 2 * len(pages) > self._articles
            for article_id, by_language in pages.items():
                weight = max((by_language.get(language, 0) for language in languages), default=0)
                if common and weight < KEYWORD:
                    continue
                if weight:
                    scores[article_id] = scores.get(article_id, 0) + weight
        return scores
