"""Words to search terms, per language: a Snowball stemmer where one exists, else the word's first letters.

"работать" and "работа", "azila" and "azilu", "اللجوء" and "لجوء" meet on one term; the term is then folded
(bot.content.fold), so scripts and spellings meet too. Languages without a Snowball stemmer (Macedonian, Bulgarian,
Ukrainian, Pashto, Urdu) keep the first PREFIX letters of a word: inflections there are endings, so
"барање"/"барањето" and "азилот"/"азил" still meet, at the price of a few false friends that ranking absorbs.
"""

from __future__ import annotations

import functools

import snowballstemmer

from bot.content.fold import fold, raw_words

STEMMERS = {"ar": "arabic", "en": "english", "fr": "french", "es": "spanish", "tr": "turkish", "ru": "russian",
            "sr": "serbian", "sr_Latn": "serbian", "fa": "persian"}
PREFIX = 6
# Too common to tell pages apart in a question ("how do I", "كيف", "как"), and never an editor's keyword.
MIN_LENGTH = 2


@functools.cache
def _stemmer(language: str):
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


@functools.lru_cache(maxsize=131072)
def term(word: str, language: str) -> str:
    """The search term of one word in a language."""
    stemmer = _stemmer(language)
    if stemmer is not None:
        return fold(stemmer.stemWord(word.casefold()))
    return fold(word)[:PREFIX]


def terms(text: str, language: str) -> list[str]:
    """The search terms of a text in a language, in order, repeats kept (they count in ranking)."""
    found = (term(word, language) for word in raw_words(text))
    return [t for t in found if len(t) >= MIN_LENGTH]
