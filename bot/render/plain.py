"""Markdown to plain text, for a terminal (and later Viber): the chat layout without any markup."""

from __future__ import annotations

import functools

from bot.render.bidi import LRI, PDI, sanitize
from bot.render.layout import ChatLayout
from bot.render.markdown import Node, is_autolink, link_target, parse, plain_text

# Addresses worth printing after a link's label; others (javascript:, data:, relative paths) are left out.
SCHEMES = frozenset({"http", "https", "tel", "tg"})


class PlainText(ChatLayout):
    def text(self, text: str) -> str:
        return self.clean(text)

    def strong(self, inner: str, active: frozenset[str]) -> str:
        return inner

    def emphasis(self, inner: str, active: frozenset[str]) -> str:
        return inner

    def code(self, code: str) -> str:
        return LRI + code + PDI if self.rtl else code

    def link(self, node: Node, label: str) -> str:
        href = link_target(node, SCHEMES)
        if href is None or is_autolink(node) or sanitize(plain_text(node)) == href or _same_number(href, label):
            return label
        shown = LRI + href + PDI if self.rtl else href
        return f"{label} ({shown})" if label else shown

    def heading(self, inner: str, active: frozenset[str]) -> str:
        return inner

    def quote(self, inner: str, active: frozenset[str]) -> str:
        return "\n".join("> " + line if line else ">" for line in inner.split("\n")) if inner else ""

    def preformatted(self, code: str) -> str:
        return code


def _same_number(href: str, label: str) -> bool:
    """ "[+381 11 785 0000](tel:+381117850000)": the label already is the number to dial."""
    return href.startswith("tel:") and "".join(filter(str.isdigit, href)) == "".join(filter(str.isdigit, label))


@functools.lru_cache(maxsize=4096)
def to_plain(markdown: str, *, rtl: bool = False) -> str:
    """Render Markdown as plain text: lists as "• item" and "1. item", links as "label (url)"."""
    return PlainText(rtl=rtl).document(parse(markdown))
