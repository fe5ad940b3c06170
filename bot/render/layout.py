"""How Markdown blocks become lines of chat text; the formats fill in the inline markup.

Top-level blocks are kept apart by a blank line ("\\n\\n"), which is also where `split_telegram` prefers to cut.
Inside a list item or a quote, blocks follow each other line by line, so no tag of a chat format ever spans
a blank line. List items are "• item" or "1. item" (counting from the list's start), and every line of an
item after its first, nested lists included, is indented by two spaces.
"""

from __future__ import annotations

from bot.render.bidi import isolate, sanitize
from bot.render.markdown import Node, plain_text

RULE = "———"
INDENT = "  "


class ChatLayout:
    """Walks a Markdown tree; subclasses say how emphasis, code, links, headings and quotes look."""

    def __init__(self, *, rtl: bool) -> None:
        self.rtl = rtl

    # ---- what a format decides -------------------------------------------------------------------------

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

    def heading(self, inner: str, active: frozenset[str]) -> str:
        """`inner` is rendered as if already strong: headings are bold in every chat format."""
        raise NotImplementedError

    def quote(self, inner: str, active: frozenset[str]) -> str:
        raise NotImplementedError

    def preformatted(self, code: str) -> str:
        raise NotImplementedError

    # ---- shared ----------------------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        """A text node as it may be shown: sanitized again (entities such as "&#x202e;" are decoded only
        by the parser), then isolated in right-to-left text."""
        text = sanitize(text)
        return isolate(text) if self.rtl else text

    def document(self, root: Node) -> str:
        return "\n\n".join(block for block in (self.block(child, frozenset()) for child in root.children) if block)

    def blocks(self, nodes: list[Node], active: frozenset[str]) -> str:
        return "\n".join(block for block in (self.block(node, active) for node in nodes) if block)

    def block(self, node: Node, active: frozenset[str]) -> str:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node, active)
        if kind == "heading":
            return self.heading(self.inline(node, active | {"strong"}), active)
        if kind in ("bullet_list", "ordered_list"):
            return self.items(node, active)
        if kind == "blockquote":
            return self.quote(self.blocks(node.children, active | {"blockquote"}), active)
        if kind in ("code_block", "fence"):
            return self.preformatted(sanitize(node.content).rstrip("\n"))
        if kind == "hr":
            return RULE
        return ""  # html_block cannot occur with html=False

    def items(self, node: Node, active: frozenset[str]) -> str:
        ordered = node.type == "ordered_list"
        number = int(node.attrs.get("start", 1))
        lines = []
        for item in node.children:
            marker = f"{number}. " if ordered else "• "
            number += 1
            first, *rest = self.blocks(item.children, active).split("\n")
            lines.append((marker + first).rstrip() + "".join("\n" + (INDENT + line if line else "") for line in rest))
        return "\n".join(lines)

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
                out.append(" ")  # CommonMark: a soft line break is a space; "  \n" or "\\\n" breaks the line
            elif kind == "hardbreak":
                out.append("\n")
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
