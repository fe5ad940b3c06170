"""Fixtures of the end-to-end tests: the fake Bot API on loopback and the real app wired to it."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from tests.fakes.telegram_api import FakeBotAPI

SECRET = "webhook-secret_123"


@pytest.fixture
async def fake_api():
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.close()


@pytest.fixture
async def client(make_settings, fake_api):
    settings = make_settings(PUTOKAZ_TELEGRAM_TOKEN="123456:TEST-token", PUTOKAZ_TELEGRAM_API_URL=fake_api.base_url,
                             PUTOKAZ_TELEGRAM_WEBHOOK_URL="https://bot.example.org/telegram/webhook",
                             PUTOKAZ_TELEGRAM_WEBHOOK_SECRET=SECRET)
    app = await create_app(settings)
    server = TestServer(app, host="127.0.0.1")
    async with TestClient(server) as test_client:
        test_client.app_settings = settings
        yield test_client


