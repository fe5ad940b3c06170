"""Fixtures of the end-to-end tests: the fake Bot API on loopback and the real app wired to it."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, create_app
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.viber_api import TOKEN as VIBER_TOKEN
from tests.fakes.viber_api import FakeViberAPI

SECRET = "webhook-secret_123"


@pytest.fixture
async def fake_api():
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.close()


@pytest.fixture
async def fake_viber():
    async with FakeViberAPI() as api:
        yield api


@pytest.fixture
async def client(make_settings, fake_api, fake_viber):
    """The whole app with both messengers: Telegram and Viber, each against its fake API on loopback."""
    settings = make_settings(PUTOKAZ_TELEGRAM_TOKEN="123456:TEST-token", PUTOKAZ_TELEGRAM_API_URL=fake_api.base_url,
                             PUTOKAZ_TELEGRAM_WEBHOOK_URL="https://bot.example.org/telegram/webhook",
                             PUTOKAZ_TELEGRAM_WEBHOOK_SECRET=SECRET, PUTOKAZ_VIBER_TOKEN=VIBER_TOKEN,
                             PUTOKAZ_VIBER_API_URL=fake_viber.base_url, PUTOKAZ_VIBER_NAME="Putokaz test")
    app = await create_app(settings)
    server = TestServer(app, host="127.0.0.1")
    async with TestClient(server) as test_client:
        test_client.app_settings = settings
        yield test_client




@pytest.fixture
async def events_client(make_settings, fake_api, fake_viber, event_content):
    """The whole app with upcoming events in Serbia; event news go to Telegram and (a network's choice) Viber."""
    settings = make_settings(PUTOKAZ_TELEGRAM_TOKEN="123456:TEST-token", PUTOKAZ_TELEGRAM_API_URL=fake_api.base_url,
                             PUTOKAZ_TELEGRAM_WEBHOOK_URL="https://bot.example.org/telegram/webhook",
                             PUTOKAZ_TELEGRAM_WEBHOOK_SECRET=SECRET, PUTOKAZ_VIBER_TOKEN=VIBER_TOKEN,
                             PUTOKAZ_VIBER_API_URL=fake_viber.base_url, PUTOKAZ_VIBER_ANNOUNCEMENTS="true",
                             PUTOKAZ_PUBLIC_URL="https://bot.example.org", PUTOKAZ_CONTENT_DIR=str(event_content))
    app = await create_app(settings)
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        test_client.app_settings = settings
        # The events already there count as announced before anybody subscribes, as after a real first start.
        await app[RUNTIME].engine.announce_new_events()
        yield test_client
