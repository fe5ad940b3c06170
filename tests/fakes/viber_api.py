"""A fake Viber REST bot API on 127.0.0.1: records what the bot sent and answers as Viber does (platform-facts B1).

Every call must carry the account's token in X-Viber-Auth-Token (else status 2, invalidAuthToken). send_message is
checked against Viber's limits (text ≤ 7000, sender name ≤ 28, keyboard rows ≤ 12 portrait, a Text ≤ 250 and an
ActionBody on every button) and answers status 3 (badData) when one is broken, so a bot that breaks them fails its
tests as it would fail in production. Statuses can be scripted per call: `api.answer("send_message", 6)`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

TOKEN = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"  # the test vector's token (platform-facts B2)
NAMES = {0: "ok", 2: "invalidAuthToken", 3: "badData", 5: "receiverNotRegistered", 6: "receiverNotSubscribed",
         12: "Too many requests", 24: "noBalance"}


@dataclass(frozen=True)
class Call:
    method: str
    body: dict[str, Any]
    status: int  # what the fake answered
    token: int | None = None  # the message_token it gave an accepted message

    @property
    def ok(self) -> bool:
        return self.status == 0

    @property
    def receiver(self) -> str:
        return str(self.body.get("receiver", ""))

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    @property
    def actions(self) -> list[str]:
        """The ActionBody of every button of the message's keyboard."""
        return [b["ActionBody"] for b in (self.body.get("keyboard") or {}).get("Buttons", [])]


class FakeViberAPI:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.webhooks: list[dict] = []
        self._scripted: dict[str, deque[tuple[int, int]]] = defaultdict(deque)  # method -> (status, http)
        self._tokens = itertools.count(5_000_000_000_000_000_001)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def __aenter__(self) -> FakeViberAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/pa/{method}", self._route)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/pa"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def answer(self, method: str, status: int, *, times: int = 1, http: int = 200) -> None:
        """Answer the next `times` calls of `method` with this Viber status (or this HTTP status)."""
        for _ in range(times):
            self._scripted[method].append((status, http))

    def sent(self, receiver: str | None = None) -> list[Call]:
        """Every message Viber accepted, to one receiver or to all."""
        return [c for c in self.calls if c.method == "send_message" and c.ok
                and (receiver is None or c.receiver == receiver)]

    async def wait_sent(self, receiver: str, count: int, timeout: float = 5.0) -> list[Call]:
        """The accepted messages to a receiver, once there are at least `count`."""
        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.sent(receiver)) >= count)
        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            raise AssertionError(f"expected {count} message(s) to {receiver}, got "
                                 f"{[c.text[:60] for c in self.sent(receiver)]}") from None
        return self.sent(receiver)

    async def _route(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.json_response({"status": 3, "status_message": "badData"})
        status, http = self._scripted[method].popleft() if self._scripted[method] else (0, 200)
        if request.headers.get("X-Viber-Auth-Token") != self.token:
            status, http = 2, 200
        elif status == 0 and method == "send_message":
            status = _check(body)
        if status == 0 and method == "set_webhook":
            self.webhooks.append(body)
        token = next(self._tokens) if status == 0 and method == "send_message" and http == 200 else None
        async with self._changed:
            self.calls.append(Call(method, body, status if http == 200 else -http, token))
            self._changed.notify_all()
        if http != 200:
            return web.Response(status=http, text="server error")
        answer: dict[str, Any] = {"status": status, "status_message": NAMES.get(status, "error")}
        if token is not None:
            answer.update(message_token=token, chat_hostname="SN-CHAT-05_", billing_status=1)
        if status == 0 and method == "set_webhook":
            answer["event_types"] = body.get("event_types", [])
        return web.json_response(answer)


def _check(body: dict) -> int:
    """Viber's limits on a message: 0 when it would be accepted, 3 (badData) otherwise."""
    if not body.get("receiver") or body.get("type") not in ("text", "location", "picture", "url", "file"):
        return 3
    if body["type"] == "file" and not (str(body.get("media", "")).startswith("https://") and body.get("size")
                                       and body.get("file_name")):
        return 3
    if body["type"] == "text" and not 0 < len(body.get("text", "")) <= 7000:
        return 3
    if body["type"] == "location" and not {"lat", "lon"} <= set(body.get("location", {})):
        return 3
    if not 0 < len((body.get("sender") or {}).get("name", "")) <= 28:
        return 3
    keyboard = body.get("keyboard")
    if keyboard is not None:
        buttons = keyboard.get("Buttons") or []
        if not buttons or any(not b.get("ActionBody") or len(b.get("Text", "")) > 250
                              or not 1 <= b.get("Columns", 6) <= 6 for b in buttons):
            return 3
        rows, used = 0, 6
        for button in buttons:  # the grid fills six columns a row
            if used + button.get("Columns", 6) > 6:
                rows, used = rows + 1, 0
            used += button.get("Columns", 6)
        if rows > 12:
            return 3
    if len(json.dumps(body).encode()) > 30 * 1024:
        return 3
    return 0
