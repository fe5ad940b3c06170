"""Reply buttons as Telegram markup."""

from __future__ import annotations

import pytest

from bot.channels.telegram.keyboards import reply_markup
from bot.core.model import Button, Reply


def test_no_buttons_no_markup():
    assert reply_markup(Reply(text="hi")) is None


def test_actions_and_urls_become_inline_buttons_row_by_row():
    reply = Reply(text="menu", buttons=((Button("Legal", action="s:legal"), Button("Map", url="https://osm.org")),
                                        (Button("SOS", action="sos"),)))
    assert reply_markup(reply) == {"inline_keyboard": [
        [{"text": "Legal", "callback_data": "s:legal"}, {"text": "Map", "url": "https://osm.org"}],
        [{"text": "SOS", "callback_data": "sos"}],
    ]}


def test_callback_data_of_exactly_64_bytes_is_accepted():
    action = "é" * 32  # 64 bytes in UTF-8
    markup = reply_markup(Reply(text="x", buttons=((Button("ok", action=action),),)))
    assert markup["inline_keyboard"][0][0]["callback_data"] == action


@pytest.mark.parametrize("action", ["a" * 65, "é" * 33], ids=["65 ASCII", "33 two-byte letters"])
def test_callback_data_over_64_bytes_is_a_programming_error(action):
    with pytest.raises(ValueError, match=f"button action '{action}' is {len(action.encode())} bytes"):
        reply_markup(Reply(text="x", buttons=((Button("too long", action=action),),)))


@pytest.mark.parametrize("button", [Button("nothing"), Button("both", action="a", url="https://example.org")],
                         ids=["neither", "both"])
def test_a_button_does_exactly_one_thing(button):
    with pytest.raises(ValueError, match=repr(button.label)):
        reply_markup(Reply(text="x", buttons=((button,),)))


def test_request_location_uses_the_first_button_label_as_a_one_time_keyboard():
    reply = Reply(text="Where?", request_location=True, buttons=((Button("📍 Пошаљи локацију", action="loc"),),))
    assert reply_markup(reply) == {"keyboard": [[{"text": "📍 Пошаљи локацију", "request_location": True}]],
                                   "one_time_keyboard": True, "resize_keyboard": True}


def test_request_location_without_a_button_shows_a_bare_pin():
    markup = reply_markup(Reply(text="Where?", request_location=True))
    assert markup["keyboard"][0][0] == {"text": "📍", "request_location": True}
