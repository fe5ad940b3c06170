"""Markdown to the HTML subset of Telegram's parse mode (see core.telegram.org/bots/api#html-style)."""

from __future__ import annotations

import functools

from bot.render.bidi import LRI, PDI
from bot.render.layout import ChatLayout
from bot.render.markdown import Node, escape, link_target, parse

# Telegram opens these itself; anything else (javascript:, data:, file:, relative paths) is shown as its label.
# No tel: Telegram does not open tel: links reliably (some clients refuse the message or show a dead link), while
# every client makes a phone number written in the text tappable itself; a tel: link shows its label, the number.
SCHEMES = frozenset({"http", "https", "tg"})


class TelegramHtml(ChatLayout):
    def text(self, text: str) -> str:
        return escape(self.clean(text))

    def strong(self, inner: str, active: frozenset[str]) -> str:
        return inner if "strong" in active else f"<b>{inner}</b>"

    def emphasis(self, inner: str, active: frozenset[str]) -> str:
        return inner if "em" in active else f"<i>{inner}</i>"

    def code(self, code: str) -> str:
        html = f"<code>{escape(code)}</code>"
        # Outside the tag, so that tapping the code in Telegram copies it without the isolates.
        return LRI + html + PDI if self.rtl else html

    def link(self, node: Node, label: str) -> str:
        href = link_target(node, SCHEMES)
        if href is None:
            return label
        return f'<a href="{escape(href)}">{label or self.text(href)}</a>'

    def heading(self, inner: str, active: frozenset[str]) -> str:
        return f"<b>{inner}</b>" if inner else ""

    def quote(self, inner: str, active: frozenset[str]) -> str:
        # Telegram rejects a blockquote inside a blockquote.
        return inner if "blockquote" in active or not inner else f"<blockquote>{inner}</blockquote>"

    def preformatted(self, code: str) -> str:
        return f"<pre>{escape(code)}</pre>" if code else ""


@functools.lru_cache(maxsize=4096)
def to_telegram_html(markdown: str, *, rtl: bool = False) -> str:
    """Render Markdown as Telegram HTML; rtl=True isolates numbers, links and codes for right-to-left text."""
    return TelegramHtml(rtl=rtl).document(parse(markdown))
