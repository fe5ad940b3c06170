"""A Reply's buttons as Telegram markup: the Bot API's own JSON objects (InlineKeyboardMarkup, ReplyKeyboardMarkup).

Rules:
- A button with an `action` becomes an inline button whose callback_data is the action, verbatim;
  a button with a `url` becomes an inline link button. A button must have exactly one of the two.
- A reply with `request_location=True` gets Telegram's own "share my location" control instead: a one-time
  reply keyboard with one KeyboardButton(request_location=True). Its label is the label of the reply's first
  button (the engine puts the localized "📍 Send my location" there, as the reply's only button); any other
  buttons of that reply are not shown, because a message carries one keyboard. Without a button, the label
  is a bare "📍", which needs no translation.
"""

from __future__ import annotations

from typing import Any

from bot.core.model import Button, Reply

# Telegram refuses longer callback_data with "BUTTON_DATA_INVALID" (platform-facts A2: 1-64 bytes).
MAX_CALLBACK_DATA_BYTES = 64
LOCATION_LABEL_FALLBACK = "📍"


def reply_markup(reply: Reply) -> dict[str, Any] | None:
    """The markup to send under a reply, or None when it has no buttons."""
    if reply.request_location:
        return location_keyboard(reply)
    rows = [[inline_button(button) for button in row] for row in reply.buttons if row]
    return {"inline_keyboard": rows} if rows else None


def location_keyboard(reply: Reply) -> dict[str, Any]:
    first = next((button for row in reply.buttons for button in row), None)
    label = first.label if first is not None and first.label else LOCATION_LABEL_FALLBACK
    return {"keyboard": [[{"text": label, "request_location": True}]], "one_time_keyboard": True,
            "resize_keyboard": True}


def inline_button(button: Button) -> dict[str, str]:
    if button.action and button.url:
        raise ValueError(f"button {button.label!r} has both an action ({button.action!r}) and a url "
                         f"({button.url!r}); a Telegram button does one thing")
    if button.url:
        return {"text": button.label, "url": button.url}
    if not button.action:
        raise ValueError(f"button {button.label!r} has neither an action nor a url")
    size = len(button.action.encode("utf-8"))
    if size > MAX_CALLBACK_DATA_BYTES:
        raise ValueError(f"button action {button.action!r} is {size} bytes in UTF-8; Telegram's callback_data "
                         f"takes at most {MAX_CALLBACK_DATA_BYTES}")
    return {"text": button.label, "callback_data": button.action}
