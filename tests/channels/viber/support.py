"""What the Viber channel tests share: the payloads, the token of Viber's signature test vector, a signed poster."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient

from bot.channels.viber.adapter import WEBHOOK_PATH, ViberChannel
from bot.channels.viber.api import SIGNATURE_HEADER, signature
from bot.delivery import Sender
from bot.storage import Database
from bot.storage.outbox import SqlOutbox
from tests.fakes.engine import FakeEngine
from tests.fakes.viber_api import TOKEN, FakeViberAPI

PAYLOADS = Path(__file__).parent / "payloads"
USER = "01234567890A="  # the person in every payload
RTL = {"ar", "fa", "ps", "ur"}


def raw(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def payload(name: str, **changes) -> dict:
    data = json.loads(raw(name))
    data.update(changes)
    return data


@dataclass
class Viber:
    """The channel on a real aiohttp server on 127.0.0.1, its outbox and sender on SQLite, the fake Viber API."""

    client: TestClient
    channel: ViberChannel
    sender: Sender
    outbox: SqlOutbox
    database: Database
    api: FakeViberAPI
    engine: FakeEngine
    blocked: list

    async def post(self, body: dict | bytes, *, token: str | None = TOKEN, query: bool = False) -> aiohttp.ClientResponse:
        """Post a callback signed as Viber signs it (with `token`; None: unsigned; `query`: as ?sig=)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        path = WEBHOOK_PATH
        if token is not None and query:
            path += f"?sig={signature(token, data)}"
        elif token is not None:
            headers[SIGNATURE_HEADER] = signature(token, data)
        return await self.client.post(path, data=data, headers=headers)

    async def settled(self) -> None:
        """Let the callbacks served in the background queue their answers, then send everything due."""
        for _ in range(3):
            await self.channel.stop()  # waits for callbacks in flight; start() makes it serve again
            await self.channel.start()
            await self.sender.drain()
