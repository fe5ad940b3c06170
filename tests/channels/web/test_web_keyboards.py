"""Reply buttons and map pins as the web chat's JSON."""

from __future__ import annotations

import logging

import pytest

from bot.channels.web.keyboards import button_rows, map_pin, web_button
from bot.core.model import Button, Location, Reply

BUTTONS = [
    pytest.param(Button("Help", action="help"), False, {"label": "Help", "action": "help"}, id="action"),
    pytest.param(Button("Site", url="https://example.org/a?b=c"), False,
                 {"label": "Site", "url": "https://example.org/a?b=c"}, id="https url"),
    pytest.param(Button("Call", url="tel:+381112457376"), False, {"label": "Call", "url": "tel:+381112457376"},
                 id="tel url"),
    pytest.param(Button("Send my location"), True, {"label": "Send my location", "request_location": True},
                 id="label-only button of a request_location reply"),
    pytest.param(Button("a\u202eb", action="x"), False, {"label": "ab", "action": "x"},
                 id="bidi override dropped from the label"),
    pytest.param(Button("Go", action="é" * 32), False, {"label": "Go", "action": "é" * 32}, id="action of 64 bytes"),
    pytest.param(Button("Bad", url="javascript:alert(1)"), False, None, id="javascript url left out"),
    pytest.param(Button("Bad", url="data:text/html,x"), False, None, id="data url left out"),
    pytest.param(Button("Bad", url="/relative"), False, None, id="relative url left out"),
    pytest.param(Button("Both", action="a", url="https://example.org"), False, None, id="both left out"),
    pytest.param(Button("Neither"), False, None, id="neither left out"),
    pytest.param(Button("Long", action="é" * 33), False, None, id="action over 64 bytes left out"),
]


@pytest.mark.parametrize(("button", "request_location", "expected"), BUTTONS)
def test_web_button(button, request_location, expected):
    assert web_button(button, request_location=request_location) == expected


def test_a_left_out_button_is_logged_by_its_label(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.channels.web.keyboards"):
        web_button(Button("Evil", url="javascript:alert(1)"))

    assert caplog.messages == ["web: button 'Evil' links to a 'javascript' URL, not http, https or tel; left out"]


def test_button_rows_keep_the_layout_and_drop_empty_rows():
    reply = Reply(text="x", buttons=(
        (Button("A", action="a"), Button("B", url="https://example.org")),
        (Button("Nothing"),),
        (Button("C", action="c"),),
    ))

    assert button_rows(reply) == [
        [{"label": "A", "action": "a"}, {"label": "B", "url": "https://example.org"}],
        [{"label": "C", "action": "c"}],
    ]


PINS = [
    pytest.param(Location(45.128, 19.226), "Šid",
                 {"lat": 45.128, "lon": 19.226, "title": "Šid",
                  "map_url": "https://www.openstreetmap.org/?mlat=45.128&mlon=19.226#map=16/45.128/19.226"},
                 id="Šid"),
    pytest.param(Location(41.9981, 21.4254), "",
                 {"lat": 41.9981, "lon": 21.4254, "title": "",
                  "map_url": "https://www.openstreetmap.org/?mlat=41.9981&mlon=21.4254#map=16/41.9981/21.4254"},
                 id="no title"),
    pytest.param(Location(-33.123456789, 0.0), "x\u202e",
                 {"lat": -33.123456789, "lon": 0.0, "title": "x",
                  "map_url": "https://www.openstreetmap.org/?mlat=-33.123457&mlon=0#map=16/-33.123457/0"},
                 id="rounded to six decimals, zero without a point, title sanitized"),
    pytest.param(Location(0.00001, 20.0), "tiny",
                 {"lat": 0.00001, "lon": 20.0, "title": "tiny",
                  "map_url": "https://www.openstreetmap.org/?mlat=0.00001&mlon=20#map=16/0.00001/20"},
                 id="no exponent notation"),
]


@pytest.mark.parametrize(("location", "title", "expected"), PINS)
def test_map_pin(location, title, expected):
    assert map_pin(location, title) == expected
