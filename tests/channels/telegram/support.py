"""What the Telegram channel tests share: the people in the payloads, a stand-in engine, a webhook poster."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient

from bot.channels.telegram.adapter import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel
from bot.core.model import Incoming, Reply

PAYLOADS = Path(__file__).parent / "payloads"
TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_123"
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"
USER_ID = 987654321012  # the sender in every payload
RTL = {"ar", "fa", "ps", "ur"}


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def echo(incoming: Incoming) -> list[Reply]:
    return [Reply(text=incoming.text or incoming.command or incoming.action or incoming.kind.value)]


class FakeEngine:
    """Sits where the engine does: records each Incoming and answers with `respond` (an echo unless a test says)."""

    def __init__(self) -> None:
        self.incomings: list[Incoming] = []
        self.respond: Callable[[Incoming], list[Reply]] = echo
        self._changed = asyncio.Condition()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        async with self._changed:
            self.incomings.append(incoming)
            self._changed.notify_all()
        result = self.respond(incoming)
        return await result if asyncio.iscoroutine(result) else result

    async def wait(self, count: int = 1, timeout: float = 5.0) -> list[Incoming]:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: len(self.incomings) >= count), timeout)
            except TimeoutError:
                raise AssertionError(f"expected {count} Incoming(s) within {timeout} s, got {self.incomings}") from None
        return list(self.incomings)


class Webhook:
    """Posts to the channel's route on a real aiohttp server on 127.0.0.1, as Telegram would."""

    def __init__(self, client: TestClient, channel: TelegramChannel) -> None:
        self.client = client
        self.channel = channel

    async def post(self, body: dict | bytes, *, secret: str | None = SECRET) -> aiohttp.ClientResponse:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return await self.client.post(WEBHOOK_PATH, data=data, headers=headers)
