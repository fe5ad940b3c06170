"""A Reply's buttons as a Viber keyboard, and the text a pressed button sends back.

Rules (platform-facts B2):
- A keyboard is a grid six columns wide; each row of the Reply becomes one keyboard row, its buttons sharing the
  six columns. A portrait keyboard shows at most 12 rows: a longer one is cut into pages of 11 rows with a
  "More…" button (page 1 of 3 → 2 → 3 → 1).
- A button with an `action` is `ActionType: reply`. Viber sends its `ActionBody` back as the person's message text,
  so the body is the action behind a marker nobody types ("⁣#", an invisible separator and a hash); it is marked
  `Silent`, so Viber does not show it in the chat as if the person had written it. A button with a `url` opens it.
- A reply that asks for a location gets Viber's own location picker as its first button.
- What comes back is parsed, never trusted: only a well-formed marker and action is a press; anything else is text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.model import Button, Reply

MARKER = "\u2063#"  # INVISIBLE SEPARATOR + "#"
PAGE = "more:"  # MARKER + "more:2": show page 2 of the last keyboard
COLUMNS = 6
MAX_ROWS = 12
ROWS_PER_PAGE = MAX_ROWS - 1
MAX_TEXT = 250  # a button's Text (platform-facts B2)
MAX_ACTION_BODY = 256
_PAGE = re.compile(r"more:([1-9][0-9]{0,2})")


def keyboard(reply: Reply, *, page: int = 1, more: str = "…") -> dict[str, Any] | None:
    """The keyboard to send with a reply (page `page` of it), or None when it has no buttons."""
    rows = rows_of(reply)
    if not rows:
        return None
    pages = paged(rows)
    page = min(max(page, 1), len(pages))
    shown = list(pages[page - 1])
    if len(pages) > 1:
        shown.append([_button(f"{more} ({page}/{len(pages)})", MARKER + PAGE + str(page % len(pages) + 1))])
    return {"Type": "keyboard", "DefaultHeight": False, "InputFieldState": "regular",
            "Buttons": [button for row in shown for button in row]}


def rows_of(reply: Reply) -> list[list[dict[str, Any]]]:
    """Each Reply row as Viber buttons, their Columns adding up to six (a row of more than six wraps)."""
    rows = []
    for index, row in enumerate(reply.buttons):
        if not row:
            continue
        buttons = [_location_picker(b) if reply.request_location and index == 0 and number == 0 else _of(b)
                   for number, b in enumerate(row)]
        for start in range(0, len(buttons), COLUMNS):
            part = buttons[start:start + COLUMNS]
            for number, button in enumerate(part):
                # Six columns shared out: 6, 3+3, 2+2+2, 2+2+1+1, 2+1+1+1+1, 1 x 6.
                button["Columns"] = COLUMNS // len(part) + (1 if number < COLUMNS % len(part) else 0)
            rows.append(part)
    if reply.request_location and not rows:
        rows.append([_location_picker(Button("📍"))])
    return rows


def paged(rows: Sequence[list[dict[str, Any]]]) -> list[list[list[dict[str, Any]]]]:
    if len(rows) <= MAX_ROWS:
        return [list(rows)]
    return [list(rows[start:start + ROWS_PER_PAGE]) for start in range(0, len(rows), ROWS_PER_PAGE)]


def _of(button: Button) -> dict[str, Any]:
    if button.action and button.url:
        raise ValueError(f"button {button.label!r} has both an action ({button.action!r}) and a url "
                         f"({button.url!r}); a Viber button does one thing")
    if button.url:
        return {"Columns": COLUMNS, "Rows": 1, "ActionType": "open-url", "ActionBody": button.url,
                "Text": button.label[:MAX_TEXT], "Silent": True}
    if not button.action:
        raise ValueError(f"button {button.label!r} has neither an action nor a url")
    return _button(button.label, MARKER + button.action)


def _button(label: str, body: str) -> dict[str, Any]:
    if len(body) > MAX_ACTION_BODY:
        raise ValueError(f"a Viber ActionBody takes at most {MAX_ACTION_BODY} characters, got {len(body)}")
    return {"Columns": COLUMNS, "Rows": 1, "ActionType": "reply", "ActionBody": body, "Text": label[:MAX_TEXT],
            "Silent": True}


def _location_picker(button: Button) -> dict[str, Any]:
    return {"Columns": COLUMNS, "Rows": 1, "ActionType": "location-picker", "ActionBody": "location",
            "Text": (button.label or "📍")[:MAX_TEXT]}


def pressed(text: str) -> tuple[str, str] | None:
    """("action", action) or ("page", number) when `text` is what one of our buttons sends; None for typed text.

    The action itself is checked by the engine, which treats anything it did not make as a stale button.
    """
    if not text.startswith(MARKER) or len(text) > MAX_ACTION_BODY:
        return None
    body = text[len(MARKER):].strip()
    page = _PAGE.fullmatch(body)
    if page is not None:
        return "page", page.group(1)
    return ("action", body) if body else None
