"""The one Markdown parser every renderer walks, and what they share about links and escaping."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from bot.render.bidi import sanitize

Node = SyntaxTreeNode


def _parser() -> MarkdownIt:
    # html=False: "<b>" written in content or by a person is text, never markup.
    md = MarkdownIt("commonmark", {"html": False})
    # markdown-it refuses a link whose scheme it distrusts and leaves the whole "[label](javascript:...)" on
    # screen; Putokaz shows just the label instead, so every link is parsed and `link_target` judges the scheme.
    md.validateLink = lambda url: True
    return md


_MARKDOWN = _parser()


def parse(markdown: str) -> Node:
    """Parse sanitized Markdown into a syntax tree."""
    return SyntaxTreeNode(_MARKDOWN.parse(sanitize(markdown)))


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def link_target(node: Node, schemes: frozenset[str]) -> str | None:
    """The link's URL if its scheme is one of `schemes`, else None (relative links included)."""
    href = sanitize(str(node.attrs.get("href", "")))
    scheme = _SCHEME.match(href)
    return href if scheme is not None and scheme.group(1).lower() in schemes else None


def plain_text(node: Node) -> str:
    """The text under a node without any markup: an image's alt text, a link's label."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(plain_text(child) for child in node.children)


def is_autolink(node: Node) -> bool:
    """`<https://example.org>` (label and address are one)."""
    return node.markup == "autolink"


def escape(text: str) -> str:
    """Escape text for HTML element content and double-quoted attributes (Telegram's parse mode included)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class InlineRenderer:
    """Walks the inline Markdown of a block; each format says how text, code, emphasis and links look."""

    SOFTBREAK = " "  # CommonMark: a soft line break is a space; "  \n" or "\\\n" breaks the line
    HARDBREAK = "\n"

    def __init__(self, *, rtl: bool) -> None:
        self.rtl = rtl

    def text(self, text: str) -> str:
        raise NotImplementedError

    def strong(self, inner: str, active: frozenset[str]) -> str:
        raise NotImplementedError

    def emphasis(self, inner: str, active: frozenset[str]) -> str:
        raise NotImplementedError

    def code(self, code: str) -> str:
        raise NotImplementedError

    def link(self, node: Node, label: str) -> str:
        raise NotImplementedError

    def inline(self, node: Node, active: frozenset[str]) -> str:
        """Render the inline children of a paragraph or heading (or of emphasis and links, recursively)."""
        out = []
        for child in node.children:
            kind = child.type
            if kind == "inline":
                out.append(self.inline(child, active))
            elif kind == "text":
                out.append(self.text(child.content))
            elif kind == "softbreak":
                out.append(self.SOFTBREAK)
            elif kind == "hardbreak":
                out.append(self.HARDBREAK)
            elif kind == "code_inline":
                out.append(self.code(sanitize(child.content)))
            elif kind == "strong":
                out.append(self.strong(self.inline(child, active | {"strong"}), active))
            elif kind == "em":
                out.append(self.emphasis(self.inline(child, active | {"em"}), active))
            elif kind == "link":
                out.append(self.link(child, self.inline(child, active | {"link"})))
            elif kind == "image":
                out.append(self.text(plain_text(child)))
            else:
                out.append(self.text(child.content))
        return "".join(out)
