"""The Viber webhook, case by case, from the payload shapes Viber documents (tests/channels/viber/payloads)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from bot.channels.viber.keyboards import MARKER
from bot.core.model import Button, Incoming, Kind, Location, Reply
from bot.storage.tables import outbox
from tests.channels.viber.support import USER, payload, raw

# platform-facts B2: Viber's own signature test vector.
VECTOR_SIGNATURE = "d21b343448c8aee33b8e93768ef6ceb64a6ba6163099973a2b8bd028fea510ef"


async def test_the_documented_signature_vector_is_accepted(viber):
    body = raw("webhook.json")
    response = await viber.client.post("/viber/webhook", data=body,
                                       headers={"X-Viber-Content-Signature": VECTOR_SIGNATURE})
    assert response.status == 200


@pytest.mark.parametrize(("name", "token", "query"), [
    ("a signature made with another token", "0000000000000000-0000000000000000-0000000000000000", False),
    ("no signature at all", None, False),
])
async def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_served(viber, name, token, query):
    response = await viber.post(payload("message_text.json"), token=token, query=query)
    assert response.status == 403, name
    await viber.settled()
    assert viber.engine.incomings == [] and viber.api.calls == []


async def test_the_signature_may_come_as_the_sig_query_parameter(viber):
    assert (await viber.post(payload("message_text.json"), query=True)).status == 200
    await viber.settled()
    assert viber.engine.last.text == "a message to the service"


@pytest.mark.parametrize(("name", "body", "status", "says"), [
    ("not JSON", b"{not json", 400, "not JSON"),
    ("a JSON array", b"[1, 2]", 400, "JSON object"),
    ("no event", b'{"timestamp": 1}', 400, "event"),
    ("a message without a sender", b'{"event": "message", "message_token": 1, "message": {"type": "text"}}', 400,
     "sender"),
    ("a sender id that is not a string", b'{"event": "message", "message_token": 1, "sender": {"id": 5}, '
                                         b'"message": {"type": "text", "text": "hi"}}', 400, "sender.id"),
    ("a message token that is not a number", b'{"event": "message", "message_token": "x", "sender": {"id": "a"}, '
                                              b'"message": {"type": "text", "text": "hi"}}', 400, "message_token"),
    ("a location off the globe", b'{"event": "message", "message_token": 1, "sender": {"id": "a"}, '
                                 b'"message": {"type": "location", "location": {"lat": 91, "lon": 0}}}', 400,
     "-90..90"),
    ("a text message without text", b'{"event": "message", "message_token": 1, "sender": {"id": "a"}, '
                                    b'"message": {"type": "text"}}', 400, "text"),
    ("an unsubscribed without a user", b'{"event": "unsubscribed", "message_token": 1}', 400, "user_id"),
    ("a body over 64 KiB", b'{"event": "message", "pad": "' + b"x" * 70_000 + b'"}', 413, "larger"),
])
async def test_malformed_callbacks_get_a_4xx_naming_the_problem_and_the_server_keeps_serving(viber, name, body,
                                                                                             status, says):
    response = await viber.post(body)
    assert response.status == status, name
    assert says in (await response.json())["error"], name
    assert (await viber.post(payload("message_text.json"))).status == 200
    await viber.settled()
    assert [i.text for i in viber.engine.incomings] == ["a message to the service"]


@pytest.mark.parametrize(("name", "file", "expected"), [
    ("a text", "message_text.json", Incoming(channel="viber", sender=USER, kind=Kind.TEXT,
                                             text="a message to the service", language_hint="en")),
    ("a location", "message_location.json", Incoming(channel="viber", sender=USER, kind=Kind.LOCATION,
                                                     location=Location(50.76891, 6.11499), language_hint="en")),
    ("a picture", "message_picture.json", Incoming(channel="viber", sender=USER, kind=Kind.OTHER, language_hint="en")),
    ("a sticker", "message_sticker.json", Incoming(channel="viber", sender=USER, kind=Kind.OTHER, language_hint="en")),
    ("a file", "message_file.json", Incoming(channel="viber", sender=USER, kind=Kind.OTHER, language_hint="en")),
])
async def test_each_message_kind_reaches_the_engine_as_it_should(viber, name, file, expected):
    assert (await viber.post(payload(file))).status == 200
    await viber.settled()
    assert viber.engine.incomings == [expected], name


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("a command", "/coordinator abc123", {"kind": Kind.COMMAND, "command": "coordinator", "argument": "abc123"}),
    ("a command with its argument on lines", "/ask where\nis it?", {"kind": Kind.COMMAND, "command": "ask",
                                                                   "argument": "where\nis it?"}),
    ("a button press", MARKER + "a:asylum-steps-rs", {"kind": Kind.ACTION, "action": "a:asylum-steps-rs"}),
    ("a forged press is still only an action the engine checks", MARKER + "<script>", {"kind": Kind.ACTION,
                                                                                        "action": "<script>"}),
    ("a hash typed by a person is text", "#sos", {"kind": Kind.TEXT, "text": "#sos"}),
    ("direction overrides are removed from text", "\u202ehello", {"kind": Kind.TEXT, "text": "hello"}),
])
async def test_typed_text_commands_and_button_presses(viber, name, text, expected):
    body = payload("message_text.json")
    body["message"] = {"type": "text", "text": text}
    assert (await viber.post(body)).status == 200
    await viber.settled()
    got = viber.engine.last
    assert {key: getattr(got, key) for key in expected} == expected, name


async def test_the_answer_goes_out_through_the_outbox_with_the_sender_name(viber):
    viber.engine.respond = lambda incoming: [Reply(text="**Hello**, _friend_.", buttons=((Button("Menu", "m"),),))]
    await viber.post(payload("message_text.json"))
    await viber.settled()
    [call] = viber.api.sent(USER)
    assert call.body["sender"] == {"name": "Putokaz"} and call.text == "*Hello*, _friend_."
    assert call.actions == [MARKER + "m"] and call.body["keyboard"]["Buttons"][0]["Silent"] is True
    assert await viber.outbox.counts() == {"sent": 1}
    async with viber.database.engine.connect() as connection:
        row = (await connection.execute(select(outbox))).one()
    assert (row.payload, row.address) == ("", "")  # a menu shown to someone is nobody's record


async def test_conversation_started_answers_the_welcome_in_the_response_and_sends_nothing(viber):
    viber.engine.respond = lambda incoming: [
        Reply(text="👋 Welcome."), Reply(text="🌐 **Choose your language**",
                                        buttons=((Button("العربية", "l:ar"), Button("English", "l:en")),))]
    body = payload("conversation_started.json", context="ar__rs-sid")
    response = await viber.post(body)
    welcome = await response.json()
    assert viber.engine.last == Incoming(channel="viber", sender=USER, kind=Kind.COMMAND, command="start",
                                         argument="ar__rs-sid", language_hint="en")
    assert "receiver" not in welcome and welcome["type"] == "text" and welcome["sender"] == {"name": "Putokaz"}
    assert welcome["text"] == "👋 Welcome.\n\n🌐 *Choose your language*"
    assert [b["ActionBody"] for b in welcome["keyboard"]["Buttons"]] == [MARKER + "l:ar", MARKER + "l:en"]
    await viber.settled()
    assert viber.api.calls == []


async def test_a_context_that_is_not_a_deep_link_is_ignored(viber):
    await viber.post(payload("conversation_started.json", context="<b>x</b> & more"))
    assert viber.engine.last.argument == ""


async def test_subscribed_greets_like_start(viber):
    await viber.post(payload("subscribed.json"))
    await viber.settled()
    assert (viber.engine.last.kind, viber.engine.last.command) == (Kind.COMMAND, "start")
    assert [c.text for c in viber.api.sent(USER)] == ["start"]


async def test_a_duplicate_delivery_of_one_message_token_is_served_once(viber, caplog):
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert (await viber.post(payload("message_text.json"))).status == 200
        await viber.settled()
    assert len(viber.engine.incomings) == 1 and len(viber.api.sent(USER)) == 1
    assert USER not in caplog.text and "John" not in caplog.text  # who wrote is never logged


async def test_unsubscribed_drops_what_waits_for_that_person_only(viber):
    await viber.sender.queue("viber", USER, [Reply(text="one"), Reply(text="two")])
    await viber.sender.queue("viber", "someone-else=", [Reply(text="three")])
    await viber.post(payload("unsubscribed.json"))
    await viber.channel.stop()
    await viber.channel.start()
    assert await viber.sender.drain() == 1
    assert [c.text for c in viber.api.sent()] == ["three"]
    assert await viber.outbox.counts() == {"blocked": 2, "sent": 1}


@pytest.mark.parametrize("event", ["delivered", "seen", "failed"])
async def test_delivery_reports_update_the_outbox_row(viber, event):
    await viber.sender.queue("viber", USER, [Reply(text="Your case 7 has an answer.")])
    await viber.sender.drain()
    [call] = viber.api.sent(USER)
    response = await viber.post(payload(f"{event}.json", message_token=call.token))
    assert response.status == 200
    async with viber.database.engine.connect() as connection:
        row = (await connection.execute(select(outbox))).one()
    if event == "delivered":
        assert row.delivered is not None and row.status == "sent"
    elif event == "seen":
        assert row.seen is not None
    else:
        assert (row.status, row.error) == ("failed", "failure description")


async def test_a_report_on_an_unknown_token_is_accepted_and_changes_nothing(viber):
    assert (await viber.post(payload("delivered.json"))).status == 200
    assert await viber.outbox.counts() == {}


async def test_the_webhook_event_and_unknown_events_get_200(viber):
    assert (await viber.post(payload("webhook.json"))).status == 200
    assert (await viber.post({"event": "client_status", "message_token": 1})).status == 200
    await viber.settled()
    assert viber.engine.incomings == []


async def test_a_callback_while_stopping_gets_503_so_viber_retries(viber):
    await viber.channel.stop()
    assert (await viber.post(payload("message_text.json"))).status == 503
    await viber.channel.start()
    assert (await viber.post(payload("message_text.json"))).status == 200
    await viber.settled()
    assert len(viber.engine.incomings) == 1


async def test_an_engine_failure_leaves_no_traceback_for_the_person_and_the_channel_serves_on(viber, caplog):
    def boom(incoming):
        raise RuntimeError("internal detail")
    viber.engine.respond = boom
    await viber.post(payload("message_text.json"))
    await viber.settled()
    assert viber.api.calls == [] and "serving a Viber callback failed" in caplog.text
    viber.engine.respond = lambda incoming: [Reply(text="fine")]
    body = payload("message_text.json", message_token=42)
    await viber.post(body)
    await viber.settled()
    assert [c.text for c in viber.api.sent(USER)] == ["fine"]


async def test_callbacks_of_one_person_are_answered_in_order(viber):
    async def slow_first(incoming):
        if incoming.text == "1":
            await asyncio.sleep(0.05)
        return [Reply(text=f"answer {incoming.text}")]
    viber.engine.respond = slow_first
    for number in range(1, 4):
        body = payload("message_text.json", message_token=number)
        body["message"] = {"type": "text", "text": str(number)}
        await viber.post(body)
    await viber.settled()
    assert [c.text for c in viber.api.sent(USER)] == ["answer 1", "answer 2", "answer 3"]
