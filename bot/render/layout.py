"""How Markdown blocks become lines of chat text; the formats fill in the inline markup.

Top-level blocks are kept apart by a blank line ("\\n\\n"), which is also where `split_telegram` prefers to cut.
Inside a list item or a quote, blocks follow each other line by line, so no tag of a chat format ever spans
a blank line. List items are "• item" or "1. item" (counting from the list's start), and every line of an
item after its first, nested lists included, is indented by two spaces.
"""

from __future__ import annotations

from bot.render.bidi import isolate, sanitize
from bot.render.markdown import InlineRenderer, Node

RULE = "———"
INDENT = "  "


class ChatLayout(InlineRenderer):
    """Walks a Markdown tree; subclasses say how emphasis, code, links, headings and quotes look."""

    # ---- what a format decides -------------------------------------------------------------------------

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
