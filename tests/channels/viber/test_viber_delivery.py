"""Sending through the outbox to the fake Viber API: Viber's status codes, long texts, retries that resume, order."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.channels.viber.keyboards import MARKER
from bot.core.model import Button, Location, Reply
from bot.storage.tables import outbox
from tests.channels.viber.support import USER

MENU = ((Button("🏠 Menu", "m"),),)


async def rows(viber):
    async with viber.database.engine.connect() as connection:
        return (await connection.execute(select(outbox).order_by(outbox.c.id))).all()


async def test_status_6_not_subscribed_blocks_the_message_and_says_so(viber):
    viber.api.answer("send_message", 6)
    await viber.sender.queue("viber", USER, [Reply(text="Answer to case 7")])
    assert await viber.sender.drain() == 0
    [row] = await rows(viber)
    assert (row.status, row.error) == ("blocked", "receiverNotSubscribed (6)")
    assert [m.id for m in viber.blocked] == [row.id]
    assert await viber.sender.drain() == 0 and viber.api.sent() == []


async def test_status_12_too_many_requests_backs_off_then_sends_once(viber, clock):
    viber.api.answer("send_message", 12)
    await viber.sender.queue("viber", USER, [Reply(text="Answer to case 7")])
    assert await viber.sender.drain() == 0
    [row] = await rows(viber)
    assert row.status == "pending" and row.next_attempt >= clock.now + dt.timedelta(seconds=60)
    assert await viber.sender.drain() == 0  # not due yet
    clock.now += dt.timedelta(seconds=61)
    assert await viber.sender.drain() == 1
    assert [c.text for c in viber.api.sent(USER)] == ["Answer to case 7"]


@pytest.mark.parametrize(("name", "status", "http", "outcome"), [
    ("a server error is retried", 0, 502, "pending"),
    ("an account without balance keeps the message for later", 24, 200, "pending"),
    ("bad data fails for good", 3, 200, "failed"),
])
async def test_other_answers(viber, clock, name, status, http, outcome):
    viber.api.answer("send_message", status, http=http)
    await viber.sender.queue("viber", USER, [Reply(text="hello")])
    await viber.sender.drain()
    [row] = await rows(viber)
    assert row.status == outcome, name


async def test_a_long_text_is_split_at_7000_characters_with_the_keyboard_on_the_last_part(viber):
    paragraph = "Word " * 300  # 1500 characters
    text = "\n\n".join(f"{number}. {paragraph.strip()}" for number in range(10))  # about 15 000
    await viber.sender.queue("viber", USER, [Reply(text=text, buttons=MENU)])
    assert await viber.sender.drain() == 1
    parts = viber.api.sent(USER)
    assert len(parts) == 3 and all(len(p.text) <= 7000 for p in parts)
    assert [bool(p.actions) for p in parts] == [False, False, True]
    assert "".join(p.text for p in parts).replace("\n", "") == text.replace("\n", "")


async def test_a_retry_resumes_after_the_parts_already_delivered(viber, clock):
    text = "\n\n".join(f"{n}. " + "Sentence. " * 150 for n in range(10))  # three parts
    viber.api.answer("send_message", 0)
    viber.api.answer("send_message", 12)  # the second part is refused once
    await viber.sender.queue("viber", USER, [Reply(text=text, buttons=MENU)])
    assert await viber.sender.drain() == 0
    [row] = await rows(viber)
    assert (row.status, row.parts) == ("pending", 1)
    clock.now += dt.timedelta(minutes=5)
    assert await viber.sender.drain() == 1
    texts = [c.text for c in viber.api.sent(USER)]
    assert len(texts) == 3 and len(set(texts)) == 3  # nothing twice


async def test_a_pin_is_sent_after_its_text_and_carries_the_keyboard(viber):
    reply = Reply(text="", buttons=MENU, location=Location(45.127, 19.23), location_title="Test Clinic Šid",
                  location_address="Test Street 1, Šid")
    await viber.sender.queue("viber", USER, [reply])
    await viber.sender.drain()
    text, pin = viber.api.sent(USER)
    assert text.text == "📍 Test Clinic Šid\nTest Street 1, Šid" and not text.actions
    assert pin.body["location"] == {"lat": 45.127, "lon": 19.23} and pin.actions == [MARKER + "m"]


async def test_one_persons_messages_keep_their_order_when_the_first_must_wait(viber, clock):
    viber.api.answer("send_message", 12)
    await viber.sender.queue("viber", USER, [Reply(text="first")])
    await viber.sender.queue("viber", USER, [Reply(text="second")])
    await viber.sender.drain()  # "first" is refused for now; "second" waits behind it
    await viber.sender.queue("viber", "another-person=", [Reply(text="other")])
    await viber.sender.drain()
    assert [c.text for c in viber.api.sent()] == ["other"]
    clock.now += dt.timedelta(minutes=5)
    await viber.sender.drain()
    assert [c.text for c in viber.api.sent(USER)] == ["first", "second"]


async def test_receipts_and_delivery_reports_are_kept_only_as_long_as_needed(viber, clock):
    await viber.sender.queue("viber", USER, [Reply(text="hello")])
    await viber.sender.drain()
    assert await viber.outbox.prune(clock.now - dt.timedelta(days=1)) == 0
    assert await viber.outbox.prune(clock.now + dt.timedelta(seconds=1)) == 1
    assert await rows(viber) == []
