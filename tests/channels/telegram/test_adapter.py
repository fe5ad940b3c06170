"""TelegramChannel: real webhooks in, real Bot API calls out (to the fake on loopback)."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.telegram.adapter import TelegramChannel
from bot.channels.telegram.api import InvalidToken
from bot.core.model import Button, Incoming, Kind, Location, Reply
from bot.render import to_telegram_html
from tests.channels.telegram.support import SECRET, USER_ID, WEBHOOK_URL, Webhook, payload

TAG = re.compile(r"<[^>]+>")
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")


def person(**fields) -> Incoming:
    return Incoming(channel="telegram", sender=str(USER_ID), **fields)


def visible(text: str) -> str:
    return html.unescape(TAG.sub("", text))


def methods(api, *names: str) -> list:
    return [call for call in api.calls if call.method in names]


# ---- updates in ------------------------------------------------------------------------------------

SERVED = {
    "text message": ("text.json", person(kind=Kind.TEXT, text="hello", language_hint="uk")),
    "/start with a deep-link payload": (
        "start_deep_link.json", person(kind=Kind.COMMAND, command="start", argument="ar__rs-sid", language_hint="ar")),
    "command addressed to the bot by name": (
        "command_addressed_to_bot.json", person(kind=Kind.COMMAND, command="sos", argument="now")),
    "slash inside text is not a command": (
        "slash_without_command_entity.json", person(kind=Kind.TEXT, text="1/2 of a question")),
    "button press": ("callback_query.json", person(kind=Kind.ACTION, action="menu:1", language_hint="sr")),
    "shared location": (
        "location.json", person(kind=Kind.LOCATION, location=Location(45.128, 19.226), language_hint="fa")),
    "sticker": ("sticker.json", person(kind=Kind.OTHER, language_hint="en")),
    "photo with a caption": ("photo_with_caption.json", person(kind=Kind.OTHER)),
}
IGNORED = {
    "edited message": "edited_message.json",
    "group chat": "group_chat.json",
}


@pytest.mark.parametrize(("name", "expected"), SERVED.values(), ids=SERVED.keys())
async def test_webhook_update_becomes_incoming(webhook, engine, name, expected):
    response = await webhook.post(payload(name))
    assert response.status == 200
    # A press is answered in the response itself (Telegram carries the method out); anything else gets an empty 200.
    query = payload(name).get("callback_query")
    assert await response.read() == (
        json.dumps({"method": "answerCallbackQuery", "callback_query_id": query["id"]}, separators=(",", ":")).encode()
        if query else b"")
    assert await engine.wait() == [expected]


@pytest.mark.parametrize("name", IGNORED.values(), ids=IGNORED.keys())
async def test_webhook_update_is_ignored(webhook, engine, fake_api, name):
    response = await webhook.post(payload(name))
    assert response.status == 200
    await webhook.channel.stop()  # stop() serves every update already received: after it nothing can arrive
    assert engine.incomings == []
    assert methods(fake_api, "sendMessage", "editMessageText") == []


@pytest.mark.parametrize("secret", ["wrong-secret", "", None], ids=["wrong", "empty", "missing"])
async def test_wrong_or_missing_secret_is_refused(webhook, engine, fake_api, secret):
    response = await webhook.post(payload("text.json"), secret=secret)
    assert response.status == 403
    await webhook.channel.stop()
    assert engine.incomings == []
    assert methods(fake_api, "sendMessage") == []


BAD_BODIES = {
    "not JSON": b"{not json",
    "not UTF-8": b"\xff\xfe{",
    "JSON array": b"[1, 2]",
    "JSON string": b'"update"',
    "not an Update": b'{"update_id": "x", "message": 5}',
    "Update without update_id": b'{"message": {"message_id": 1}}',
    "message without a chat": b'{"update_id": 1, "message": {"message_id": 1, "date": 1}}',
    "chat id that is a string": b'{"update_id": 1, "message": {"message_id": 1, "date": 1, '
                                b'"chat": {"id": "1", "type": "private"}}}',
    "sender that is not a user": b'{"update_id": 1, "message": {"message_id": 1, "date": 1, '
                                 b'"chat": {"id": 1, "type": "private"}, "from": 7, "text": "hi"}}',
    "press without an id": b'{"update_id": 1, "callback_query": {"from": {"id": 1, "is_bot": false, '
                           b'"first_name": "A"}, "chat_instance": "1", "data": "m"}}',
    "location that is words": b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, '
                              b'"type": "private"}, "from": {"id": 1, "is_bot": false, "first_name": "A"}, '
                              b'"location": {"latitude": "north", "longitude": 19}}}',
    "deeply nested": b'{"update_id": 1, "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_bad_body_is_400_and_the_next_update_is_still_answered(webhook, fake_api, body):
    response = await webhook.post(body)
    assert response.status == 400
    assert "error" in await response.json()
    assert (await webhook.post(payload("text.json"))).status == 200
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params["text"] == "hello"


async def test_no_secret_configured_accepts_any_header(make_channel, engine):
    channel = await make_channel(webhook_secret=None)
    app = web.Application()
    app.router.add_routes(channel.routes())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.post("/telegram/webhook", json=payload("text.json"))
        assert response.status == 200
    assert [i.text for i in await engine.wait()] == ["hello"]


# ---- replies out -----------------------------------------------------------------------------------

async def test_setwebhook_carries_url_secret_and_allowed_updates(webhook, fake_api):
    assert [c.method for c in fake_api.calls][:2] == ["getMe", "setWebhook"]
    [call] = methods(fake_api, "setWebhook")
    assert call.params == {"url": WEBHOOK_URL, "secret_token": SECRET, "allowed_updates": ["message", "callback_query"]}


async def test_text_reply_is_html_without_link_preview(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="**Deadline:** 3 days", buttons=(
        (Button("Next", action="n:1"), Button("Source", url="https://example.org/a")),))]
    await webhook.post(payload("text.json"))
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params == {
        "chat_id": USER_ID, "text": to_telegram_html("**Deadline:** 3 days"), "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "reply_markup": {"inline_keyboard": [[{"text": "Next", "callback_data": "n:1"},
                                              {"text": "Source", "url": "https://example.org/a"}]]},
    }


async def test_link_preview_when_the_reply_asks(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="See https://example.org", link_preview=True)]
    await webhook.post(payload("text.json"))
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params["link_preview_options"] == {"is_disabled": False}


async def test_rtl_reply_is_rendered_right_to_left(webhook, fake_api, engine):
    text = "اتصل بـ 192 أو +381 11 2457-376"
    engine.respond = lambda incoming: [Reply(text=text, language="ar")]
    await webhook.post(payload("text.json"))
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params["text"] == to_telegram_html(text, rtl=True)


async def test_button_press_is_answered_and_edits_the_pressed_message(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text=f"You chose {incoming.action}",
                                             buttons=((Button("Back", action="menu"),),))]
    await webhook.post(payload("callback_query.json"))
    [answer] = await fake_api.wait_for("answerCallbackQuery")
    [edit] = await fake_api.wait_for("editMessageText")
    assert answer.params == {"callback_query_id": "4382bfdwdsb323b2d9"}
    assert edit.params == {"chat_id": USER_ID, "message_id": 5, "text": "You chose menu:1", "parse_mode": "HTML",
                           "link_preview_options": {"is_disabled": True},
                           "reply_markup": {"inline_keyboard": [[{"text": "Back", "callback_data": "menu"}]]}}
    await webhook.channel.stop()
    assert methods(fake_api, "sendMessage") == []


async def test_after_the_edit_further_replies_are_new_messages(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="first"), Reply(text="second")]
    await webhook.post(payload("callback_query.json"))
    [edit] = await fake_api.wait_for("editMessageText")
    [sent] = await fake_api.wait_for("sendMessage")
    assert (edit.params["text"], sent.params["text"]) == ("first", "second")


async def test_pressing_the_same_screen_twice_sends_nothing_new(webhook, fake_api):
    fake_api.fail_next("editMessageText", status=400, description=NOT_MODIFIED)
    await webhook.post(payload("callback_query.json"))
    await fake_api.wait_for("editMessageText")
    await webhook.channel.stop()
    assert methods(fake_api, "sendMessage") == []


async def test_a_message_that_cannot_be_edited_is_sent_anew(webhook, fake_api):
    fake_api.fail_next("editMessageText", status=400, description="Bad Request: message to edit not found")
    await webhook.post(payload("callback_query.json"))
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params["text"] == "menu:1"
    assert fake_api.sent_to(USER_ID) == ["menu:1"]


async def test_stale_press_is_still_answered(webhook, fake_api):
    fake_api.fail_next("answerCallbackQuery", status=400,
                       description="Bad Request: query is too old and response timeout expired or query ID is invalid")
    await webhook.post(payload("callback_query.json"))
    [edit] = await fake_api.wait_for("editMessageText")
    [answer] = await fake_api.wait_for("answerCallbackQuery")
    assert (answer.ok, edit.params["text"]) == (False, "menu:1")


async def test_hostile_text_is_escaped_and_bidi_controls_dropped(webhook, fake_api, engine):
    update = payload("text.json")
    update["message"]["text"] = "<b>&\u202e"
    await webhook.post(update)
    [sent] = await fake_api.wait_for("sendMessage")
    assert "&lt;b&gt;&amp;" in sent.params["text"]
    assert "\u202e" not in sent.params["text"]
    assert engine.incomings[0].text == "<b>&"


async def test_long_reply_is_split_with_buttons_on_the_last_message(webhook, fake_api, engine):
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore"
    paragraphs = [(f"Paragraph {n:02d}. " + filler)[:99] + "." for n in range(1, 91)]
    text = "\n\n".join(paragraphs)
    assert len(text) >= 9000
    engine.respond = lambda incoming: [Reply(text=text, buttons=((Button("More", action="more"),),))]
    await webhook.post(payload("text.json"))
    await fake_api.wait_for("sendMessage", count=3)
    await webhook.channel.stop()
    chunks = methods(fake_api, "sendMessage")
    assert len(chunks) == 3
    assert all(len(visible(c.params["text"])) <= 4096 for c in chunks)
    assert [c.params.get("reply_markup") for c in chunks] == [
        None, None, {"inline_keyboard": [[{"text": "More", "callback_data": "more"}]]}]
    shown = [visible(c.params["text"]).strip() for c in chunks]
    assert all(chunk.endswith(".") for chunk in shown)  # cut between paragraphs
    assert sum(chunk.count("Paragraph ") for chunk in shown) == 90


async def test_long_reply_to_a_press_is_not_squeezed_into_an_edit(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="\n\n".join(["y" * 3000] * 2))]
    await webhook.post(payload("callback_query.json"))
    await fake_api.wait_for("sendMessage", count=2)
    await webhook.channel.stop()
    assert methods(fake_api, "editMessageText") == []


async def test_location_is_sent_after_the_text(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="Reception centre", location=Location(45.1, 19.2),
                                             buttons=((Button("Back", action="b"),),))]
    await webhook.post(payload("text.json"))
    [pin] = await fake_api.wait_for("sendLocation")
    assert [c.method for c in methods(fake_api, "sendMessage", "sendLocation")] == ["sendMessage", "sendLocation"]
    assert (pin.params["chat_id"], pin.params["latitude"], pin.params["longitude"]) == (USER_ID, 45.1, 19.2)
    [text] = methods(fake_api, "sendMessage")
    assert text.params["reply_markup"] == {"inline_keyboard": [[{"text": "Back", "callback_data": "b"}]]}


async def test_a_titled_location_is_a_venue_with_the_buttons_when_there_is_no_text(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="", location=Location(45.1, 19.2), location_title="Clinic",
                                             location_address="Main St 1", buttons=((Button("Back", action="b"),),))]
    await webhook.post(payload("text.json"))
    [venue] = await fake_api.wait_for("sendVenue")
    assert (venue.params["title"], venue.params["address"], venue.params["latitude"]) == ("Clinic", "Main St 1", 45.1)
    assert venue.params["reply_markup"] == {"inline_keyboard": [[{"text": "Back", "callback_data": "b"}]]}
    assert methods(fake_api, "sendMessage") == []


async def test_a_venue_without_an_address_repeats_its_title_as_telegram_requires_one(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="", location=Location(45.1, 19.2), location_title="Clinic")]
    await webhook.post(payload("text.json"))
    [venue] = await fake_api.wait_for("sendVenue")
    assert venue.params["address"] == "Clinic"


async def test_request_location_reply_is_a_new_message_with_the_location_keyboard(webhook, fake_api, engine):
    engine.respond = lambda incoming: [Reply(text="Where are you?", request_location=True,
                                             buttons=((Button("📍 Send my location", action="loc"),),))]
    await webhook.post(payload("callback_query.json"))
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params["reply_markup"] == {
        "keyboard": [[{"text": "📍 Send my location", "request_location": True}]],
        "one_time_keyboard": True, "resize_keyboard": True}
    await webhook.channel.stop()
    assert methods(fake_api, "editMessageText") == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own, in RetryAfter
async def test_flood_wait_is_sat_out_once(webhook, fake_api):
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    await webhook.post(payload("text.json"))
    calls = await fake_api.wait_for("sendMessage", count=2)
    assert [c.ok for c in calls] == [False, True]
    assert fake_api.sent_to(USER_ID) == ["hello"]


async def test_blocked_user_is_logged_and_others_still_served(webhook, fake_api, engine, caplog):
    caplog.set_level(logging.INFO)
    fake_api.fail_next("sendMessage", status=403)
    await webhook.post(payload("text.json"))
    await fake_api.wait_for("sendMessage")
    await webhook.post(payload("sticker.json"))
    calls = await fake_api.wait_for("sendMessage", count=2)
    assert [c.ok for c in calls] == [False, True]
    await webhook.channel.stop()
    assert "bot was blocked by the user" in caplog.text


async def test_people_are_served_concurrently(webhook, fake_api, engine):
    second_arrived = asyncio.Event()

    async def respond(incoming: Incoming) -> list[Reply]:
        if incoming.text == "first":
            # Served one at a time, the second update would never arrive while the first waits here.
            await asyncio.wait_for(second_arrived.wait(), 5)
        else:
            second_arrived.set()
        return [Reply(text=incoming.text)]

    engine.respond = respond
    first, second = payload("text.json"), payload("text.json")
    first["message"]["text"], second["message"]["text"] = "first", "second"
    second["update_id"] += 1
    second["message"]["from"]["id"] = second["message"]["chat"]["id"] = 555
    await webhook.post(first)
    await webhook.post(second)
    await fake_api.wait_for("sendMessage", count=2)
    assert (fake_api.sent_to(USER_ID), fake_api.sent_to(555)) == (["first"], ["second"])


async def test_a_flood_waits_at_the_webhook_once_every_slot_is_taken(make_channel, fake_api, engine):
    channel = await make_channel(max_in_flight=2)
    app = web.Application()
    app.router.add_routes(channel.routes())
    release = asyncio.Event()

    async def respond(incoming: Incoming) -> list[Reply]:
        await release.wait()
        return [Reply(text=incoming.text)]

    engine.respond = respond
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        webhook = Webhook(client, channel, fake_api)
        updates = []
        for number in range(3):
            update = payload("text.json")
            update["update_id"] += number
            update["message"]["text"] = f"update {number}"
            updates.append(update)
        first_two = [await webhook.post(update) for update in updates[:2]]
        third = asyncio.create_task(webhook.post(updates[2]))
        await asyncio.sleep(0.2)
        assert [response.status for response in first_two] == [200, 200]
        assert not third.done()  # Telegram's request is held: it sends no more until this one is answered
        release.set()
        assert (await third).status == 200
        await fake_api.wait_for("sendMessage", count=3)


async def test_engine_failure_is_logged_without_who_or_what(webhook, fake_api, engine, caplog):
    caplog.set_level(logging.DEBUG)
    words = "my private words about my case"

    def respond(incoming: Incoming) -> list[Reply]:
        if incoming.kind is Kind.TEXT:
            raise RuntimeError("engine exploded")
        return echo_reply(incoming)

    engine.respond = respond
    update = payload("text.json")
    update["message"]["text"] = words
    await webhook.post(update)
    fake_api.fail_next("editMessageText", status=400, description="Bad Request: message to edit not found")
    await webhook.post(payload("callback_query.json"))
    await fake_api.wait_for("sendMessage")
    await webhook.channel.stop()
    assert "engine exploded" in caplog.text  # the failure is logged...
    for secret in (str(USER_ID), words, "amira_private", "Amira"):
        assert secret not in caplog.text  # ...but not who sent what


def echo_reply(incoming: Incoming) -> list[Reply]:
    return [Reply(text=incoming.action or incoming.kind.value)]


# ---- polling ---------------------------------------------------------------------------------------

async def test_polling_mode_serves_pushed_updates(make_channel, fake_api, engine):
    channel = await make_channel(webhook_url=None, webhook_secret=None)
    assert channel.routes() == []
    fake_api.push_update(payload("text.json"))
    [sent] = await fake_api.wait_for("sendMessage")
    assert sent.params["text"] == "hello"
    assert await engine.wait() == [SERVED["text message"][1]]
    await channel.stop()
    order = [c.method for c in fake_api.calls]
    assert order.index("deleteWebhook") < order.index("getUpdates")
    assert "setWebhook" not in order
    first_poll = methods(fake_api, "getUpdates")[0]
    assert first_poll.params["allowed_updates"] == ["message", "callback_query"]
    # The last getUpdates confirms the served update, so a restart does not serve it again.
    assert methods(fake_api, "getUpdates")[-1].params["offset"] == payload("text.json")["update_id"] + 1


async def test_polling_mode_answers_a_press_with_a_call_and_edits_the_message(make_channel, fake_api, engine):
    await make_channel(webhook_url=None, webhook_secret=None)
    press = payload("callback_query.json")
    fake_api.push_update(press)
    [answered] = await fake_api.wait_for("answerCallbackQuery")  # no webhook response to carry it when polling
    assert answered.params["callback_query_id"] == press["callback_query"]["id"]
    [edited] = await fake_api.wait_for("editMessageText")
    assert (edited.params["text"], edited.params["message_id"]) == (
        "menu:1", press["callback_query"]["message"]["message_id"])


# ---- construction ----------------------------------------------------------------------------------

@pytest.mark.parametrize("secret", ["", "has space", "x" * 257, "ümlaut", "trailing-newline\n"])
def test_bad_webhook_secret_is_refused_without_echoing_it(session, engine, secret):
    with pytest.raises(ValueError, match="1-256 characters") as error:
        TelegramChannel(token="1:x", handle=engine.handle, webhook_url=WEBHOOK_URL, webhook_secret=secret,
                        session=session, rtl=lambda language: False)
    assert secret == "" or secret not in str(error.value)


async def test_rejected_token_error_does_not_quote_the_token(session, engine, fake_api):
    fake_api.fail_next("getMe", status=401, description="Unauthorized")
    channel = TelegramChannel(token="999:SECRET-TOKEN", handle=engine.handle, api_url=fake_api.base_url,
                              webhook_url=WEBHOOK_URL, session=session, rtl=lambda language: False)
    with pytest.raises(InvalidToken) as error:
        await channel.start()
    assert "SECRET-TOKEN" not in str(error.value)
    assert fake_api.base_url in str(error.value)
