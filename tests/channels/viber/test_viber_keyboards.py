"""The engine's buttons as Viber keyboards, and what a press sends back."""

from __future__ import annotations

import pytest

from bot.channels.viber.keyboards import MARKER, keyboard, pressed, rows_of
from bot.core.model import Button, Reply
from tests.channels.viber.support import USER


def columns(reply: Reply) -> list[list[int]]:
    return [[button["Columns"] for button in row] for row in rows_of(reply)]


def test_each_row_shares_the_six_columns():
    reply = Reply(text="x", buttons=(
        (Button("a", "m"),),
        (Button("a", "m"), Button("b", "m")),
        (Button("a", "m"), Button("b", "m"), Button("c", "m")),
        (Button("a", "m"), Button("b", "m"), Button("c", "m"), Button("d", "m")),
        tuple(Button(str(n), "m") for n in range(8)),
    ))
    assert columns(reply) == [[6], [3, 3], [2, 2, 2], [2, 2, 1, 1], [1, 1, 1, 1, 1, 1], [3, 3]]


def test_actions_urls_and_the_location_picker():
    reply = Reply(text="x", request_location=True, buttons=(
        (Button("📍 Send my location"),), (Button("Map", url="https://osm.org/x"), Button("Menu", "m"))))
    buttons = keyboard(reply)["Buttons"]
    assert [(b["ActionType"], b["ActionBody"]) for b in buttons] == [
        ("location-picker", "location"), ("open-url", "https://osm.org/x"), ("reply", MARKER + "m")]


def test_a_reply_without_buttons_has_no_keyboard():
    assert keyboard(Reply(text="x")) is None


@pytest.mark.parametrize("button", [Button("both", action="m", url="https://x.org"), Button("neither")])
def test_a_button_that_is_not_one_thing_is_refused(button):
    with pytest.raises(ValueError, match="button"):
        keyboard(Reply(text="x", buttons=((button,),)))


@pytest.mark.parametrize(("text", "expected"), [
    (MARKER + "a:asylum-steps-rs", ("action", "a:asylum-steps-rs")),
    (MARKER + "more:2", ("page", "2")),
    (MARKER + "more:0", ("action", "more:0")),  # not a page: the engine calls it stale
    (MARKER, None),
    ("#a:asylum-steps-rs", None),
    ("a:asylum-steps-rs", None),
    (MARKER + "x" * 300, None),
])
def test_what_a_press_sends_back_is_parsed_not_trusted(text, expected):
    assert pressed(text) == expected


def test_a_keyboard_longer_than_twelve_rows_pages_with_more(viber):
    buttons = tuple((Button(f"Place {n}", f"p:place-{n}"),) for n in range(25))
    first = viber.channel.messages(USER, Reply(text="Choose", buttons=buttons))
    [message] = first
    actions = [b["ActionBody"] for b in message["keyboard"]["Buttons"]]
    assert len(actions) == 12 and actions[-1] == MARKER + "more:2"
    assert message["keyboard"]["Buttons"][-1]["Text"] == "More… (2/3)"


async def test_more_shows_the_next_rows_and_wraps_round(viber):
    from tests.channels.viber.support import payload

    buttons = tuple((Button(f"Place {n}", f"p:place-{n}"),) for n in range(25))
    await viber.sender.queue("viber", USER, [Reply(text="Choose", buttons=buttons)])
    await viber.sender.drain()
    for token, page, first_place in ((1, 2, 11), (2, 3, 22), (3, 1, 0)):
        body = payload("message_text.json", message_token=token)
        body["message"] = {"type": "text", "text": f"{MARKER}more:{page}"}
        await viber.post(body)
        await viber.settled()
        last = viber.api.sent(USER)[-1]
        assert last.actions[0] == f"{MARKER}p:place-{first_place}", page
        assert last.text.endswith(f"({page}/3)")
    assert viber.engine.incomings == []  # turning pages is the channel's own business


async def test_more_after_a_restart_forgot_the_keyboard_is_a_stale_button(viber):
    from tests.channels.viber.support import payload

    body = payload("message_text.json")
    body["message"] = {"type": "text", "text": f"{MARKER}more:2"}
    await viber.post(body)
    await viber.settled()
    assert viber.engine.last.action == "more:2"
