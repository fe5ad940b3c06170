"""Cut Telegram HTML into messages Telegram accepts: at most `limit` visible characters each, tags balanced.

Telegram counts a message's length after parsing its entities (platform-facts A2: MAX_TEXT_LENGTH 4096), so
tags count nothing and "&amp;" counts one. A cut goes at the last paragraph break that fits, else the last line
break, sentence end, space, and only as a last resort between two characters. Tags open at a cut are closed
at the end of one message and opened again, attributes and all, at the start of the next.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from html import unescape

_TOKEN = re.compile(
    r"(?P<tag><(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>)"
    # Telegram knows only these named entities, and every numeric one.
    r"|(?P<entity>&(?:lt|gt|amp|quot|#[0-9]+|#[xX][0-9A-Fa-f]+);)"
    r"|(?P<text>[^<&]+|[<&])"
)
_VOID = frozenset({"br", "hr", "img", "tg-emoji"})
_SENTENCE_END = re.compile(r"[.!?…。؟۔][\"'”’»)\]]*(?=\s)")
_UNBREAKABLE_SPACE = frozenset("\u00a0\u2007\u202f")

Stack = tuple[tuple[str, str], ...]  # (tag name, opening tag as written), outermost first


class _Parsed:
    """The visible characters of an HTML text, where each came from, and which tags were open around it."""

    def __init__(self, html: str) -> None:
        chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.open: list[Stack] = []  # open[i]: tags open around visible character i
        stack: Stack = ()
        for match in _TOKEN.finditer(html):
            if match.group("tag"):
                stack = _apply(stack, match)
            elif match.group("entity"):
                chars.append(unescape(match.group()))
                self.starts.append(match.start())
                self.ends.append(match.end())
                self.open.append(stack)
            else:
                for offset, char in enumerate(match.group(), match.start()):
                    chars.append(char)
                    self.starts.append(offset)
                    self.ends.append(offset + 1)
                    self.open.append(stack)
        self.visible = "".join(chars)
        self.open.append(stack)  # after the last character: what a chunk starting there must reopen


def _apply(stack: Stack, tag: re.Match[str]) -> Stack:
    name = tag.group("name").lower()
    if not tag.group("close"):
        if name in _VOID or tag.group().endswith("/>"):
            return stack
        return (*stack, (name, tag.group()))
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == name:
            return stack[:depth]
    return stack  # a stray closing tag closes nothing


def split_telegram(html: str, limit: int = 4096) -> list[str]:
    """Split Telegram HTML into chunks of at most `limit` visible characters; a text that fits is returned as is.

    No chunk is empty or only whitespace (so a text with nothing visible gives no chunk at all); the whitespace
    at a cut is dropped.
    """
    if not isinstance(limit, int) or limit < 1:
        raise ValueError(f"split_telegram limit must be a positive number of characters, got {limit!r}")
    return list(_split(html, limit))


@functools.lru_cache(maxsize=4096)
def _split(html: str, limit: int) -> tuple[str, ...]:
    parsed = _Parsed(html)
    visible = parsed.visible
    if not visible.strip():
        return ()
    if len(visible) <= limit:
        return (html,)
    chunks = []
    start = _skip_space(visible, 0)
    while start < len(visible):
        cut = len(visible) if len(visible) - start <= limit else _cut(visible, start, limit)
        end = cut
        while end > start and visible[end - 1].isspace():
            end -= 1
        chunks.append(_chunk(html, parsed, start, end))
        start = _skip_space(visible, cut)
    return tuple(chunks)


def split_text(text: str, limit: int) -> list[str]:
    """Split plain text (no markup) into chunks of at most `limit` characters, cut where split_telegram cuts."""
    if not isinstance(limit, int) or limit < 1:
        raise ValueError(f"split_text limit must be a positive number of characters, got {limit!r}")
    if not text.strip():
        return []
    if len(text) <= limit:
        return [text]
    chunks = []
    start = _skip_space(text, 0)
    while start < len(text):
        cut = len(text) if len(text) - start <= limit else _cut(text, start, limit)
        chunk = text[start:cut].rstrip()
        if chunk:
            chunks.append(chunk)
        start = _skip_space(text, cut)
    return chunks


def _skip_space(visible: str, index: int) -> int:
    while index < len(visible) and visible[index].isspace():
        index += 1
    return index


def _cut(visible: str, start: int, limit: int) -> int:
    """Where the chunk starting at `start` ends: a cut in (start, start + limit]."""
    last = start + limit
    paragraph = visible.rfind("\n\n", start + 1, last + 2)
    if paragraph != -1:
        return paragraph
    line = visible.rfind("\n", start + 1, last + 1)
    if line != -1:
        return line
    sentence = [m.end() for m in _SENTENCE_END.finditer(visible, start + 1, last + 1) if m.end() <= last]
    if sentence:
        return sentence[-1]
    for index in range(last, start, -1):
        if visible[index].isspace() and visible[index] not in _UNBREAKABLE_SPACE:
            return index
    cut = last
    while cut > start + 1 and _clings(visible, cut):
        cut -= 1
    return cut


def _clings(visible: str, index: int) -> bool:
    """Whether the character at `index` belongs with the one before it (a combining mark, an emoji's joiner)."""
    char = visible[index]
    return (unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200d\ufe0e\ufe0f"
            or "\U0001f3fb" <= char <= "\U0001f3ff" or visible[index - 1] == "\u200d")


def _chunk(html: str, parsed: _Parsed, start: int, end: int) -> str:
    """Visible characters [start, end) with the tags around them, closed and reopened as the cut requires."""
    reopen = "".join(opening for _, opening in parsed.open[start])
    close = "".join(f"</{name}>" for name, _ in reversed(parsed.open[end - 1]))
    return reopen + html[parsed.starts[start]:parsed.ends[end - 1]] + close
