"""Markdown to a safe HTML fragment for the web chat: every text escaped, no attribute but the ones written here."""

from __future__ import annotations

import functools

from bot.render.bidi import LRI, PDI, isolate, sanitize
from bot.render.markdown import InlineRenderer, Node, escape, link_target, parse

# A browser would run javascript: and data: links; tg: means nothing outside Telegram.
SCHEMES = frozenset({"http", "https", "tel"})


class WebHtml(InlineRenderer):
    SOFTBREAK = "\n"
    HARDBREAK = "<br>\n"

    def text(self, text: str) -> str:
        text = sanitize(text)
        return escape(isolate(text) if self.rtl else text)

    def blocks(self, nodes: list[Node]) -> str:
        return "\n".join(block for block in (self.block(node) for node in nodes) if block)

    def block(self, node: Node) -> str:
        kind = node.type
        if kind == "paragraph":
            inner = self.inline(node, frozenset())
            # A tight list's paragraphs are hidden: "<li>text</li>", as CommonMark renders them.
            return inner if node.hidden else f"<p>{inner}</p>"
        if kind == "heading":
            return f"<p><strong>{self.inline(node, frozenset({'strong'}))}</strong></p>"
        if kind == "bullet_list":
            return f"<ul>\n{self.blocks(node.children)}\n</ul>"
        if kind == "ordered_list":
            start = int(node.attrs.get("start", 1))
            return (f'<ol start="{start}">' if start != 1 else "<ol>") + f"\n{self.blocks(node.children)}\n</ol>"
        if kind == "list_item":
            return f"<li>{self.blocks(node.children)}</li>"
        if kind == "blockquote":
            return f"<blockquote>\n{self.blocks(node.children)}\n</blockquote>"
        if kind in ("code_block", "fence"):
            return f"<pre><code>{escape(sanitize(node.content))}</code></pre>"
        if kind == "hr":
            return "<hr>"
        return ""

    def code(self, code: str) -> str:
        html = f"<code>{escape(code)}</code>"
        return LRI + html + PDI if self.rtl else html

    def strong(self, inner: str, active: frozenset[str]) -> str:
        return inner if "strong" in active else f"<strong>{inner}</strong>"

    def emphasis(self, inner: str, active: frozenset[str]) -> str:
        return inner if "em" in active else f"<em>{inner}</em>"

    def link(self, node: Node, label: str) -> str:
        href = link_target(node, SCHEMES)
        if href is None:
            return label
        if href.startswith("tel:"):
            # The phone's dialler opens in place; a new tab for it would stay behind empty.
            return f'<a href="{escape(href)}">{label or self.text(href)}</a>'
        return (f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">'
                f"{label or self.text(href)}</a>")


@functools.lru_cache(maxsize=4096)
def to_web_html(markdown: str, *, rtl: bool = False) -> str:
    """Render Markdown as a safe HTML fragment (p, strong, em, ul, ol, li, a, br, code; quotes and code blocks too)."""
    return WebHtml(rtl=rtl).blocks(parse(markdown).children)
