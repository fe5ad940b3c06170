"""The outbox through the real Telegram channel and the fake Bot API: one delivery, whatever happens in between."""

from __future__ import annotations

import datetime as dt

from bot.core.model import Button, Reply
from bot.delivery import Sender
from bot.privacy.sealing import Sealer
from bot.storage import open_database
from bot.storage.outbox import SqlOutbox, enqueue
from bot.storage.tables import outbox

KEY = b"outbox-test-key-0123456789abcdef"
CHAT = 424242
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


async def setup(tmp_path, channel, clock=None):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/o.db")
    sealer = Sealer(KEY)
    store = SqlOutbox(database.engine)
    sender = Sender(store, sealer, {"telegram": channel}, clock=clock or Clock())
    return database, sealer, store, sender


async def put(database, sealer, text="Answer to case 7", chat=CHAT):
    async with database.engine.begin() as connection:
        await enqueue(connection, channel="telegram", address=sealer.seal(f"telegram:{chat}", "refugee"),
                      purpose="refugee", reply=Reply(text=text, buttons=((Button("👍", action="x"),),)),
                      case_id=7, now=NOW)


def sent_texts(fake_api):
    return [c.params["text"] for c in fake_api.calls if c.method == "sendMessage" and c.ok]


async def test_a_message_is_delivered_once_and_marked_sent(tmp_path, make_channel, fake_api):
    database, sealer, store, sender = await setup(tmp_path, await make_channel())
    await put(database, sealer)
    assert await sender.drain() == 1
    assert await sender.drain() == 0
    assert sent_texts(fake_api) == ["Answer to case 7"]
    assert (await store.counts()) == {"sent": 1}
    await database.close()


async def test_flood_control_is_honoured_then_one_delivery(tmp_path, make_channel, fake_api):
    clock = Clock()
    database, sealer, store, sender = await setup(tmp_path, await make_channel(), clock)
    await put(database, sealer)
    fake_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    assert await sender.drain() == 0
    assert await sender.drain() == 0  # not due yet: the retry waits retry_after
    clock.now += dt.timedelta(seconds=8)
    assert await sender.drain() == 1
    assert sent_texts(fake_api) == ["Answer to case 7"]
    await database.close()


async def test_server_errors_back_off_and_retry(tmp_path, make_channel, fake_api):
    clock = Clock()
    database, sealer, store, sender = await setup(tmp_path, await make_channel(), clock)
    await put(database, sealer)
    fake_api.fail_next("sendMessage", 502, "Bad Gateway", times=2)
    for _ in range(2):
        assert await sender.drain() == 0
        clock.now += dt.timedelta(minutes=10)
    assert await sender.drain() == 1 and sent_texts(fake_api) == ["Answer to case 7"]
    await database.close()


async def test_a_blocked_bot_is_not_retried_and_is_reported(tmp_path, make_channel, fake_api):
    database, sealer, store, _ = await setup(tmp_path, await make_channel())
    blocked = []

    async def on_blocked(message):
        blocked.append(message.case_id)

    sender = Sender(store, sealer, {"telegram": (await make_channel())}, clock=Clock(), on_blocked=on_blocked)
    await put(database, sealer)
    fake_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert await sender.drain() == 0 and await sender.drain() == 0
    assert (blocked, await store.counts()) == ([7], {"blocked": 1})
    await database.close()


async def test_a_restart_after_commit_sends_exactly_once(tmp_path, make_channel, fake_api):
    channel = await make_channel()
    database, sealer, store, _ = await setup(tmp_path, channel)
    await put(database, sealer)
    await database.close()  # the process dies after the commit, before any send
    database, sealer, store, sender = await setup(tmp_path, channel)
    assert await sender.drain() == 1
    database2, _, _, sender2 = await setup(tmp_path, channel)  # and a second restart sends nothing again
    assert await sender2.drain() == 0
    assert sent_texts(fake_api) == ["Answer to case 7"]
    await database.close()
    await database2.close()


async def test_a_message_caught_mid_send_by_a_crash_is_sent_again_at_start(tmp_path, make_channel, fake_api):
    from sqlalchemy import update

    database, sealer, store, sender = await setup(tmp_path, await make_channel())
    await put(database, sealer)
    async with database.engine.begin() as connection:
        await connection.execute(update(outbox).values(status="sending"))
    assert await sender.drain() == 0  # not pending
    assert await store.recover() == 1
    assert await sender.drain() == 1 and sent_texts(fake_api) == ["Answer to case 7"]
    await database.close()


async def test_the_database_holds_no_chat_id_in_clear(tmp_path, make_channel):
    database, sealer, store, sender = await setup(tmp_path, await make_channel())
    await put(database, sealer)
    await sender.drain()
    await database.close()
    assert str(CHAT).encode() not in (tmp_path / "o.db").read_bytes()
