"""Coordinators register by one-time invite, over the real webhook and the fake Bot API (issue 5, first part)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import RUNTIME
from bot.storage.tables import coordinators
from tests.e2e.test_telegram import TelegramPerson, visible

COORDINATOR_ID = 70070070007
STRANGER_ID = 80080080008


def registry(client):
    return client.server.app[RUNTIME].engine._coordinators


async def test_an_invite_link_registers_a_coordinator_once(client, fake_api):
    coordinator, code = await registry(client).invite("CSR Šid", ["rs-sid"], ["legal", "health"], ["sr", "en"])
    assert len(code) >= 32  # 192 bits, URL-safe
    worker = TelegramPerson(client, fake_api, user_id=COORDINATOR_ID)
    [welcome] = await worker.text(f"/start c_{code}")
    assert "registered as a coordinator" in visible(welcome) and "Šid" in visible(welcome)
    # Their chat is for work now: /start shows what they do, not the language picker.
    [help_text] = await worker.text("/start")
    assert "Coordinator" in visible(help_text) and "legal questions" in visible(help_text)
    # The same code a second time, from anyone, is refused.
    stranger = TelegramPerson(client, fake_api, user_id=STRANGER_ID)
    [refused] = await stranger.text(f"/coordinator {code}")
    assert "not valid" in visible(refused)


async def test_an_expired_or_unknown_code_is_refused(client, fake_api):
    store = registry(client)
    _, code = await store.invite("Late", ["rs"], ["all"])
    store._clock = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=73)
    worker = TelegramPerson(client, fake_api, user_id=COORDINATOR_ID)
    [refused] = await worker.text(f"/coordinator {code}")
    assert "not valid" in visible(refused)
    [refused] = await worker.text("/coordinator not-a-code")
    assert "not valid" in visible(refused)


async def test_coordinator_commands_are_refused_to_strangers_and_at_once_to_the_revoked(client, fake_api):
    store = registry(client)
    coordinator, code = await store.invite("CSR Šid", ["rs-sid"], ["legal"])
    worker = TelegramPerson(client, fake_api, user_id=COORDINATOR_ID)
    stranger = TelegramPerson(client, fake_api, user_id=STRANGER_ID)
    for command in ("/cases", "/reply 1 hello", "/take 1", "/close 1"):
        [refused] = await stranger.text(command)
        assert "only for coordinators" in visible(refused)
    await worker.text(f"/coordinator {code}")
    [allowed] = await worker.text("/cases")
    assert "only for coordinators" not in visible(allowed)
    assert await store.revoke(coordinator.id)
    [refused] = await worker.text("/cases")
    assert "only for coordinators" in visible(refused)


async def test_the_database_holds_no_coordinator_chat_id_in_clear(client, fake_api):
    store = registry(client)
    _, code = await store.invite("CSR Šid", ["rs-sid"], ["legal"])
    await TelegramPerson(client, fake_api, user_id=COORDINATOR_ID).text(f"/coordinator {code}")
    engine = client.server.app[RUNTIME].database.engine
    async with engine.connect() as connection:
        row = (await connection.execute(select(coordinators))).one()
    assert row.address and str(COORDINATOR_ID) not in row.address and str(COORDINATOR_ID) not in row.address_key
    assert await store.find("telegram", str(COORDINATOR_ID)) is not None
