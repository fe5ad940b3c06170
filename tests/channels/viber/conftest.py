"""The Viber channel for real: signed callbacks posted to a real aiohttp server, answers through the outbox on SQLite
and the sender to a fake Viber API on loopback."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.viber.adapter import ViberChannel
from bot.delivery import Sender
from bot.privacy.sealing import Sealer
from bot.storage import open_database
from tests.channels.viber.support import RTL, Viber
from tests.fakes.engine import FakeEngine
from tests.fakes.viber_api import TOKEN, FakeViberAPI

KEY = b"viber-test-key-0123456789abcdef0"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def fake_viber():
    async with FakeViberAPI() as api:
        yield api


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def viber(tmp_path, fake_viber, clock):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/viber.db")
    engine = FakeEngine()
    blocked: list = []

    async def on_blocked(message) -> None:
        blocked.append(message)

    async with aiohttp.ClientSession() as session:
        channel = ViberChannel(token=TOKEN, handle=engine.handle, session=session, api_url=fake_viber.base_url,
                               sender_name="Putokaz", rtl=lambda language: language in RTL,
                               more=lambda language: "More…")
        sender = Sender(database.outbox, Sealer(KEY), {"viber": channel}, clock=clock, on_blocked=on_blocked)
        channel.attach(sender)
        await channel.start()
        app = web.Application()
        app.router.add_routes(channel.routes())
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            yield Viber(client, channel, sender, database.outbox, database, fake_viber, engine, blocked)
        await channel.stop()
    await database.close()
