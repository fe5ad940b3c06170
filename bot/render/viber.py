"""Markdown to Viber text: plain text with Viber's own emphasis, *bold* and _italic_.

Viber shows no HTML and no links with labels; a link is its label followed by its address (as in plain text), and
the client makes addresses and phone numbers tappable itself.
"""

from __future__ import annotations

import functools

from bot.render.markdown import parse
from bot.render.plain import PlainText


def _wrap(marker: str, inner: str) -> str:
    """Viber reads a marker only against a non-space character: "* x *" stays as typed, so spaces go outside."""
    core = inner.strip()
    if not core:
        return inner
    start = inner.index(core[0])
    return inner[:start] + marker + core + marker + inner[start + len(core):]


class ViberText(PlainText):
    def strong(self, inner: str, active: frozenset[str]) -> str:
        return inner if "strong" in active else _wrap("*", inner)

    def emphasis(self, inner: str, active: frozenset[str]) -> str:
        # Inside bold, Viber would show the underscores of a nested italic as they are.
        return inner if "em" in active or "strong" in active else _wrap("_", inner)

    def heading(self, inner: str, active: frozenset[str]) -> str:
        return _wrap("*", inner) if inner else ""


@functools.lru_cache(maxsize=4096)
def to_viber(markdown: str, *, rtl: bool = False) -> str:
    """Render Markdown as a Viber text message; rtl=True isolates numbers, links and codes for right-to-left text."""
    return ViberText(rtl=rtl).document(parse(markdown))
