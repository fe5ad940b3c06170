"""Buttons as numbered lines for a terminal."""

from __future__ import annotations

from bot.core.model import Button, Reply


def numbered(reply: Reply, pressed_so_far: list[Button]) -> tuple[list[str], list[Button]]:
    """Lines that show a reply's buttons numbered after those of earlier replies, and the new list."""
    buttons = list(pressed_so_far)
    lines = []
    for row in reply.buttons:
        cells = []
        for button in row:
            buttons.append(button)
            cells.append(f"[{len(buttons)}] {button.label}")
        lines.append("   ".join(cells))
    return lines, buttons
