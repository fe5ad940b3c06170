"""The web chat for real: WebChannel's routes on an aiohttp server on 127.0.0.1, a stand-in engine behind them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    # `tests.channels.web.support` is imported from the project root, as the Telegram tests do.
    sys.path.insert(0, str(ROOT))

from bot.channels.web.adapter import WebChannel  # noqa: E402
from tests.channels.web.support import FakeEngine, rtl  # noqa: E402


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def app(engine) -> web.Application:
    application = web.Application()
    application.router.add_routes(WebChannel(handle=engine.handle, rtl=rtl).routes())
    return application


@pytest.fixture
async def client(app):
    """A browser-like client: it keeps the cookies the server sets (127.0.0.1 included)."""
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client
