"""What the Telegram channel tests share: the people in the payloads, a stand-in engine, a webhook poster."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient

from bot.channels.telegram.adapter import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel
from tests.fakes.engine import FakeEngine, echo  # noqa: F401  (the channel tests import them from here)

PAYLOADS = Path(__file__).parent / "payloads"
TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_123"
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"
USER_ID = 987654321012  # the sender in every payload
RTL = {"ar", "fa", "ps", "ur"}


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


class Webhook:
    """Posts to the channel's route on a real aiohttp server on 127.0.0.1, as Telegram would."""

    def __init__(self, client: TestClient, channel: TelegramChannel, api=None) -> None:
        self.client = client
        self.channel = channel
        self.api = api  # the fake Bot API, which carries out a method the webhook response names

    async def post(self, body: dict | bytes, *, secret: str | None = SECRET) -> aiohttp.ClientResponse:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = await self.client.post(WEBHOOK_PATH, data=data, headers=headers)
        if self.api is not None:
            await self.api.webhook_reply(response)
        return response
