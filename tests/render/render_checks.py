"""Independent checks for rendered HTML: what Telegram shows, and whether the tags nest.

Written apart from bot.render.split on purpose: a test that measured with the code under test could not fail.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

LRI, PDI = "\u2066", "\u2069"
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}
_TAG = re.compile(r"<[^>]+>")
_VOID = {"br", "hr"}


def visible(text: str) -> str:
    """The text as Telegram counts it: tags removed, entities replaced."""
    return html.unescape(_TAG.sub("", text))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def tag_problems(text: str) -> list[str]:
    """Every way the tags in `text` fail to nest; [] when balanced."""
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.problems + [f"<{tag}> never closed" for tag in parser.stack]


def tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every opening tag in `text` with its attributes, in order."""
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.seen
