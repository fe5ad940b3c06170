"""The one line of a page that best answers a question, as short plain text for a button's caption."""

from __future__ import annotations

import functools
import re

from bot.content.analyze import terms

LENGTH = 110
_SENTENCE = re.compile(r"(?<=[.!?؟۔])\s+|\n+")
_MARKUP = re.compile(r"^\s*(?:#+|[-*+]|\d+[.)])\s+|\*\*|__|[*_`>]|\[([^\]]*)\]\([^)]*\)")


def plain(line: str) -> str:
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or "", line).split())


@functools.lru_cache(maxsize=8192)
def sentences(body: str, language: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A body's sentences as plain text with their search terms, analysed once per body (the pack's bodies are
    few and immutable; str caches its hash, so the lookup costs nothing)."""
    found = []
    for sentence in _SENTENCE.split(body):
        text = plain(sentence)
        if text:
            found.append((text, frozenset(terms(text, language))))
    return tuple(found)


def snippet(body: str, question: str, language: str) -> str:
    """The sentence of `body` sharing most search terms with `question` (the first one on a tie), shortened."""
    wanted = set(terms(question, language))
    best, best_count = "", -1
    for text, found in sentences(body, language):
        count = len(wanted & found)
        if count > best_count:
            best, best_count = text, count
    if len(best) <= LENGTH:
        return best
    cut = best[:LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"
