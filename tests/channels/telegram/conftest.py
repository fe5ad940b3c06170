"""The Telegram channel for real: PTB talks HTTP to a fake Bot API, webhooks are posted to a real aiohttp server."""

from __future__ import annotations

import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    # `tests.fakes` is imported from the project root, as tests/e2e does; until pytest is told so
    # (pyproject: pythonpath = ["."]), put the root on the path here.
    sys.path.insert(0, str(ROOT))

from bot.channels.telegram.adapter import TelegramChannel  # noqa: E402
from tests.channels.telegram.support import (  # noqa: E402
    RTL,
    SECRET,
    TOKEN,
    WEBHOOK_URL,
    FakeEngine,
    Webhook,
)
from tests.fakes.telegram_api import FakeBotAPI  # noqa: E402


@pytest.fixture
async def fake_api():
    async with FakeBotAPI() as api:
        yield api


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
async def make_channel(fake_api, session, engine):
    """Build and start a TelegramChannel against the fake API; everything started is stopped afterwards."""
    started: list[TelegramChannel] = []

    async def make(**overrides) -> TelegramChannel:
        options = {"token": TOKEN, "handle": engine.handle, "api_url": fake_api.base_url,
                   "webhook_url": WEBHOOK_URL, "webhook_secret": SECRET, "session": session,
                   "rtl": lambda language: language in RTL}
        options.update(overrides)
        channel = TelegramChannel(**options)
        await channel.start()
        started.append(channel)
        return channel

    yield make
    for channel in started:
        await channel.stop()


@pytest.fixture
async def webhook(make_channel, fake_api):
    channel = await make_channel()
    app = web.Application()
    app.router.add_routes(channel.routes())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield Webhook(client, channel, fake_api)
