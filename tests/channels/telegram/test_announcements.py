"""Announcing an event to its subscribers through the real Telegram channel and a fake Bot API that enforces a
flood limit: everyone once, none twice, across a stop and a restart, blocked people unsubscribed (issue 7).

Scaled down from bench/announce.py (100 000 subscribers); timing is measured there, not here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
from collections import Counter

from bot.core.model import Event, Reply
from bot.delivery import Sender
from bot.privacy.sealing import Sealer
from bot.storage import open_database
from bot.storage.subscriptions import SqlSubscriptions

KEY = b"announce-test-key-0123456789abcd"
BELGRADE = zoneinfo.ZoneInfo("Europe/Belgrade")
NOW = dt.datetime.now(dt.timezone.utc)
EVENT = Event(id="lang-cafe-sid", places=("rs-sid",), category="language-class", titles={"en": "Language café"},
              descriptions={"en": "Tea and Serbian."}, starts=NOW + dt.timedelta(days=3),
              ends=NOW + dt.timedelta(days=3, hours=2), venue="Hall", address="", location=None,
              organiser="Network", source="test", last_verified=dt.date(2026, 11, 1))


async def setup(tmp_path, subscribers: int):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/announce.db")
    sealer = Sealer(KEY)
    store = SqlSubscriptions(database.engine, sealer)
    for number in range(subscribers):
        await store.subscribe(user=f"person{number:04d}", channel="telegram", sender=str(5000 + number),
                              place="rs-sid", category="all" if number % 2 else "language-class")
    await store.subscribe(user="someone-else", channel="telegram", sender="4999", place="rs-sid", category="health")
    return database, sealer, store


async def announce(store) -> int:
    return await store.announce(EVENT, lambda language: Reply(text=f"New: Language café ({language})"),
                                channels=frozenset({"telegram"}), now=NOW)


def sender_for(database, sealer, channel, store, rate=500.0) -> Sender:
    async def unsubscribe(message) -> None:
        if message.recipient is not None:
            await store.drop(message.recipient)
    return Sender(database.outbox, sealer, {"telegram": channel}, rates={"telegram": rate}, on_blocked=unsubscribe)


def deliveries(fake_api) -> Counter:
    return Counter(str(c.params["chat_id"]) for c in fake_api.calls
                   if c.method == "sendMessage" and c.ok and c.params["text"].startswith("New:"))


async def until(predicate, timeout=20.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_everyone_once_through_flood_control(tmp_path, make_channel, fake_api):
    database, sealer, store = await setup(tmp_path, 40)
    assert await announce(store) == 40 and await announce(store) == 0  # run twice: nobody twice
    fake_api.limit(15)  # fewer than the sender's pace: Telegram answers 429 and the sender waits as told
    sender = sender_for(database, sealer, await make_channel(), store, rate=60.0)
    task = asyncio.create_task(sender.run())
    await until(lambda: len(deliveries(fake_api)) == 40)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert set(deliveries(fake_api).values()) == {1} and "4999" not in deliveries(fake_api)
    assert fake_api.floods > 0
    assert await database.outbox.progress("ev:lang-cafe-sid") == {"sent": 40}
    await database.close()


async def test_a_stop_mid_announcement_and_a_restart_lose_nothing_and_repeat_nothing(tmp_path, make_channel, fake_api):
    database, sealer, store = await setup(tmp_path, 150)
    await announce(store)
    channel = await make_channel()
    first = asyncio.create_task(sender_for(database, sealer, channel, store, rate=100.0).run())
    await until(lambda: len(deliveries(fake_api)) >= 20)
    first.cancel()  # the process stops: what is in flight finishes, the rest waits in the database
    await asyncio.gather(first, return_exceptions=True)
    sent_before = len(deliveries(fake_api))
    assert sent_before < 150
    assert await database.outbox.progress("ev:lang-cafe-sid") == {"sent": sent_before, "pending": 150 - sent_before}
    assert await announce(store) == 0  # the operator runs the announcement again: nothing new is queued
    second = asyncio.create_task(sender_for(database, sealer, channel, store, rate=100.0).run())
    await until(lambda: len(deliveries(fake_api)) == 150)
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)
    assert set(deliveries(fake_api).values()) == {1}
    assert await database.outbox.progress("ev:lang-cafe-sid") == {"sent": 150}
    await database.close()


async def test_someone_who_blocked_the_bot_is_unsubscribed(tmp_path, make_channel, fake_api):
    database, sealer, store = await setup(tmp_path, 3)
    await announce(store)
    fake_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    sender = sender_for(database, sealer, await make_channel(), store)
    await sender.drain()
    await sender.drain()
    assert len(deliveries(fake_api)) == 2
    assert await database.outbox.progress("ev:lang-cafe-sid") == {"sent": 2, "blocked": 1}
    assert sorted([len(await store.of(f"person{n:04d}")) for n in range(3)]) == [0, 1, 1]
    await database.close()
