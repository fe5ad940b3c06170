"""POST /web/api/message over real HTTP on 127.0.0.1: what reaches the engine and what the page gets back.

Named cases in the style of courier's handler tests: "text -> Incoming TEXT", "two fields -> 400".
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from bot.channels.web.adapter import API_PATH, COOKIE, COOKIE_MAX_AGE
from bot.core.model import Incoming, Kind, Location
from tests.channels.web.support import HOSTILE

SESSION = re.compile(r"[A-Za-z0-9_-]{22}")


def person(**fields) -> Incoming:
    """The Incoming the engine should get, with the random sender blanked (tests compare it separately)."""
    return Incoming(channel="web", sender="", **fields)


def plain(html: str, *, lang: str = "en", direction: str = "ltr") -> dict:
    return {"html": html, "dir": direction, "lang": lang, "buttons": [], "location": None, "request_location": False, "document": None}


WELCOME_BUTTONS = [
    [{"label": "العربية", "action": "lang:ar"}, {"label": "Help", "action": "help"}],
    [{"label": "Website", "url": "https://example.org/help"}],
]

ACCEPTED = [
    pytest.param(
        {"text": "Where can I get a lawyer?", "language": "en-US"},
        person(kind=Kind.TEXT, text="Where can I get a lawyer?", language_hint="en-US"),
        [plain("<p>You wrote: Where can I get a lawyer?</p>")],
        id="text -> TEXT with the language hint"),
    pytest.param(
        {"text": "/start ar__rs-sid"},
        person(kind=Kind.COMMAND, command="start", argument="ar__rs-sid"),
        [{"html": "<p><strong>Welcome</strong> to Putokaz. Deep link: <code>ar__rs-sid</code>.</p>", "dir": "ltr",
          "lang": "en", "buttons": WELCOME_BUTTONS, "location": None, "request_location": False, "document": None}],
        id="command with argument -> COMMAND; action and url buttons in JSON"),
    pytest.param(
        {"text": "  /HELP   me now \n"},
        person(kind=Kind.COMMAND, command="help", argument="me now"),
        [plain("<p>Command help with me now</p>")],
        id="command is lower-cased, argument stripped"),
    pytest.param(
        {"text": "/start"},
        person(kind=Kind.COMMAND, command="start", argument=""),
        [{"html": "<p><strong>Welcome</strong> to Putokaz.</p>", "dir": "ltr", "lang": "en",
          "buttons": WELCOME_BUTTONS, "location": None, "request_location": False, "document": None}],
        id="command without argument"),
    pytest.param(
        {"action": "help"},
        person(kind=Kind.ACTION, action="help"),
        [plain("<p>Pressed help</p>")],
        id="action -> ACTION, verbatim"),
    pytest.param(
        {"location": {"lat": 45.128, "lon": 19.226}},
        person(kind=Kind.LOCATION, location=Location(45.128, 19.226)),
        [{"html": "<p>The nearest town is Šid.</p>", "dir": "ltr", "lang": "en", "buttons": [],
          "location": {"lat": 45.128, "lon": 19.226, "title": "Šid",
                       "map_url": "https://www.openstreetmap.org/?mlat=45.128&mlon=19.226#map=16/45.128/19.226"},
          "request_location": False, "document": None}],
        id="location -> LOCATION; reply with a map pin and its OpenStreetMap map_url"),
    pytest.param(
        {"location": {"lat": -90, "lon": 180}},
        person(kind=Kind.LOCATION, location=Location(-90.0, 180.0)),
        [{"html": "<p>The nearest town is Šid.</p>", "dir": "ltr", "lang": "en", "buttons": [],
          "location": {"lat": 45.128, "lon": 19.226, "title": "Šid",
                       "map_url": "https://www.openstreetmap.org/?mlat=45.128&mlon=19.226#map=16/45.128/19.226"},
          "request_location": False, "document": None}],
        id="location at the edges of the range, as integers"),
    pytest.param(
        {"action": "lang:ar"},
        person(kind=Kind.ACTION, action="lang:ar"),
        [{"html": "<p>مرحبا بك في بوتوكاز. اتصل بالرقم \u20660800 222 003\u2069.</p>", "dir": "rtl", "lang": "ar",
          "buttons": [[{"label": "القائمة", "action": "menu"}]], "location": None, "request_location": False, "document": None}],
        id="Arabic reply -> dir rtl, lang ar, the phone number isolated"),
    pytest.param(
        {"text": "hostile"},
        person(kind=Kind.TEXT, text="hostile"),
        [{"html": "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>",
          "dir": "ltr", "lang": "en",
          # A label is plain text: the page sets it with textContent, so it travels unescaped.
          "buttons": [[{"label": HOSTILE, "action": "x"}]], "location": None, "request_location": False, "document": None}],
        id="hostile text from the engine is escaped in html"),
    pytest.param(
        {"action": "where"},
        person(kind=Kind.ACTION, action="where"),
        [{"html": "<p>Tap the button below to send your location.</p>", "dir": "ltr", "lang": "en",
          "buttons": [[{"label": "📍 Send my location", "request_location": True}]], "location": None,
          "request_location": True, "document": None}],
        id="request_location reply -> its label-only button becomes the location control"),
    pytest.param(
        {"text": "two"},
        person(kind=Kind.TEXT, text="two"),
        [plain("<p>First.</p>"), plain("<p>Second.</p>")],
        id="several replies keep their order"),
    pytest.param(
        {"text": "ab\u202ecd\u0007", "language": None},
        person(kind=Kind.TEXT, text="abcd"),
        [plain("<p>You wrote: abcd</p>")],
        id="bidi and control characters are dropped from text"),
    pytest.param(
        {"text": "x" * 4000},
        person(kind=Kind.TEXT, text="x" * 4000),
        [plain(f"<p>You wrote: {'x' * 4000}</p>")],
        id="text of exactly 4000 characters"),
    pytest.param(
        {"action": "é" * 32},
        person(kind=Kind.ACTION, action="é" * 32),
        [plain(f"<p>Pressed {'é' * 32}</p>")],
        id="action of exactly 64 bytes"),
]


@pytest.mark.parametrize(("body", "expected_incoming", "expected_replies"), ACCEPTED)
async def test_accepted(client, engine, body, expected_incoming, expected_replies):
    response = await client.post(API_PATH, json=body)

    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == {"replies": expected_replies}
    assert [dataclasses.replace(incoming, sender="") for incoming in engine.incomings] == [expected_incoming]
    assert engine.last.sender == response.cookies[COOKIE].value


REFUSED = [
    pytest.param(b"{not json", 400, "the message is not valid JSON", id="bad JSON -> 400"),
    pytest.param(b"\xff\xfe{}", 400, "the message is not valid JSON", id="not UTF-8 -> 400"),
    pytest.param(b"", 400, "the message is not valid JSON", id="empty body -> 400"),
    pytest.param(b'["text"]', 400, "the message must be a JSON object, got an array", id="array -> 400"),
    pytest.param({"text": "a", "action": "b"}, 400,
                 "the message must have exactly one of text, action, location, got text, action",
                 id="two fields -> 400"),
    pytest.param({"language": "en"}, 400, "the message must have exactly one of text, action, location, got none",
                 id="no field -> 400"),
    pytest.param({"text": "a", "sender": "someone-else"}, 400,
                 "unknown field 'sender'; the message takes one of text, action, location and optionally language",
                 id="unknown field -> 400"),
    pytest.param({"text": 5}, 400, "text must be a string, got a number", id="text not a string -> 400"),
    pytest.param({"text": " \n "}, 400, "text is empty", id="blank text -> 400"),
    pytest.param({"text": "x" * 4001}, 413, "text must be at most 4000 characters, got 4001", id="too long -> 413"),
    pytest.param({"action": "x" * 20_000}, 413, "the message must be at most 16384 bytes", id="body over 16 KiB -> 413"),
    pytest.param({"action": ""}, 400, "action must be a non-empty string, got a string", id="empty action -> 400"),
    pytest.param({"action": ["a"]}, 400, "action must be a non-empty string, got an array", id="action array -> 400"),
    pytest.param({"action": "é" * 33}, 400, "action must be at most 64 bytes, got 66", id="action over 64 bytes -> 400"),
    pytest.param({"location": {"lat": 91, "lon": 20}}, 400, "location.lat must be from -90 to 90, got 91",
                 id="lat out of range -> 400"),
    pytest.param({"location": {"lat": 44.8, "lon": -180.5}}, 400, "location.lon must be from -180 to 180, got -180.5",
                 id="lon out of range -> 400"),
    pytest.param({"location": {"lat": "44.8", "lon": 20.4}}, 400, "location.lat must be a number, got a string",
                 id="lat as a string -> 400"),
    pytest.param({"location": {"lat": True, "lon": 20.4}}, 400, "location.lat must be a number, got a boolean",
                 id="lat as a boolean -> 400"),
    pytest.param({"location": {"lat": 44.8}}, 400, "location.lon must be a number, got null", id="lon missing -> 400"),
    pytest.param(b'{"location": {"lat": NaN, "lon": 20.4}}', 400, "location.lat must be a number, got a number",
                 id="lat NaN -> 400"),
    pytest.param({"location": [44.8, 20.4]}, 400, "location must be an object with lat and lon, got an array",
                 id="location as an array -> 400"),
    pytest.param({"text": "hi", "language": "x" * 36}, 400,
                 f"language must be a language tag of 1 to 35 characters, got {'x' * 36!r}",
                 id="language over 35 characters -> 400"),
    pytest.param({"text": "hi", "language": 7}, 400,
                 "language must be a language tag of 1 to 35 characters, got a number", id="language a number -> 400"),
]


@pytest.mark.parametrize(("body", "status", "error"), REFUSED)
async def test_refused(client, engine, body, status, error):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()

    response = await client.post(API_PATH, data=raw, headers={"Content-Type": "application/json"})

    assert response.status == status
    assert response.content_type == "application/json"
    assert await response.json() == {"error": error}
    assert engine.incomings == []


async def test_engine_failure_is_a_plain_500_without_the_traceback(client, engine):
    response = await client.post(API_PATH, json={"text": "boom"})

    body = await response.text()
    assert response.status == 500
    assert json.loads(body) == {"error": "Something went wrong. Please try again."}
    assert "engine detail" not in body
    assert "Traceback" not in body


async def test_a_chunked_body_over_16_kib_is_refused_without_reading_it_all(client, engine):
    async def chunks():
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    response = await client.post(API_PATH, data=chunks(), headers={"Content-Type": "application/json"})

    assert response.status == 413
    assert await response.json() == {"error": "the message must be at most 16384 bytes"}
    assert engine.incomings == []


# ---- the session cookie ----------------------------------------------------------------------------


async def test_first_request_sets_the_session_cookie(client, engine):
    response = await client.post(API_PATH, json={"text": "hello"})

    header = response.headers["Set-Cookie"]
    value = response.cookies[COOKIE].value
    assert SESSION.fullmatch(value), value
    assert engine.last.sender == value
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")}
    assert attributes["httponly"] == "HttpOnly"
    assert attributes["samesite"] == "SameSite=Strict"
    assert attributes["path"] == "Path=/"
    assert attributes["max-age"] == f"Max-Age={COOKIE_MAX_AGE}"
    assert COOKIE_MAX_AGE == 30 * 24 * 60 * 60


async def test_the_cookie_is_reused_and_not_set_again(client, engine):
    first = await client.post(API_PATH, json={"text": "one"})
    second = await client.post(API_PATH, json={"text": "two"})

    assert first.status == second.status == 200
    assert "Set-Cookie" not in second.headers
    assert engine.incomings[0].sender == engine.incomings[1].sender == first.cookies[COOKIE].value


async def test_without_the_cookie_a_request_is_another_person(client, engine):
    await client.post(API_PATH, json={"text": "one"})
    client.session.cookie_jar.clear()
    await client.post(API_PATH, json={"text": "two"})

    first, second = engine.incomings
    assert first.sender != second.sender
    assert SESSION.fullmatch(second.sender), second.sender


async def test_the_page_sets_the_cookie_the_api_then_uses(client, engine):
    page = await client.get("/")
    await client.post(API_PATH, json={"text": "hello"})

    assert engine.last.sender == page.cookies[COOKIE].value


@pytest.mark.parametrize("bad", [
    pytest.param("has space", id="a space"),
    pytest.param("a" * 65, id="65 characters"),
    pytest.param("semi;colon", id="a semicolon"),
    pytest.param("é", id="not ASCII"),
])
async def test_a_malformed_cookie_is_replaced(client, engine, bad):
    response = await client.post(API_PATH, json={"text": "hello"}, headers={"Cookie": f'{COOKIE}="{bad}"'})

    assert response.status == 200
    new = response.cookies[COOKIE].value
    assert SESSION.fullmatch(new), new
    assert engine.last.sender == new


async def test_a_well_formed_cookie_of_64_characters_is_kept(client, engine):
    session = "A" * 63 + "_"
    response = await client.post(API_PATH, json={"text": "hello"}, headers={"Cookie": f"{COOKIE}={session}"})

    assert response.status == 200
    assert "Set-Cookie" not in response.headers
    assert engine.last.sender == session


# ---- the real engine ---------------------------------------------------------------------------------


async def test_the_real_engine_answers_the_first_visit(services):
    """The composition root's wiring: the real engine over SQLite and the fixture content, through the API."""
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.channels.web.adapter import WebChannel

    app = web.Application()
    app.router.add_routes(WebChannel(handle=services.engine.handle, rtl=services.translator.is_rtl).routes())
    async with TestClient(TestServer(app, host="127.0.0.1")) as real:
        first = await (await real.post(API_PATH, json={"text": "/start", "language": "ar-SY"})).json()
        action = first["replies"][0]["buttons"][0][0]["action"]
        second = await real.post(API_PATH, json={"action": action})
        second_body = await second.json()

    assert first["replies"][0]["html"].startswith("<p>")
    assert all(set(button) in ({"label", "action"}, {"label", "url"})
               for reply in first["replies"] for row in reply["buttons"] for button in row)
    assert second.status == 200
    assert second_body["replies"] != []
