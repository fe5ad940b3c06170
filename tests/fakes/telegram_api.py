"""A fake Telegram Bot API on 127.0.0.1: records what the bot sent and answers as Telegram does.

Replies follow platform-facts A5. Parameters come as Telegram takes them: a JSON body (the channel's BotApi),
form-urlencoded (PTB, platform-facts A1: every non-string value JSON-encoded), or multipart with files. A method the
bot returns in its webhook response is carried out as Telegram does: `await api.webhook_reply(response)`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "FakeBot", "username": "fake_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
# Parameters that are strings in the Bot API: never JSON-decoded, so a text "123" stays "123".
STRING_PARAMS = frozenset({"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token",
                           "inline_message_id", "title", "address", "ip_address", "question", "emoji"})
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
}
# getUpdates holds a request open at most this long, whatever `timeout` asks: tests must not hang.
MAX_LONG_POLL = 1.0


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    ok: bool = True  # False when an injected failure answered it


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass
class _Queue:
    updates: list[dict] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class FakeBotAPI:
    """`async with FakeBotAPI() as api:` (or `await api.start()` ... `await api.close()`).

    Any token is accepted; point the bot at `api.base_url`.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._message_ids = itertools.count(1)
        self._updates = _Queue()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._rate: int | None = None
        self._accepted: deque[float] = deque()  # when recent messages were accepted, for the flood limit
        self.floods = 0  # 429s answered by the flood limit

    # ---- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._route)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=MAX_LONG_POLL + 1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        assert self._port is not None, "FakeBotAPI.start() first"
        return f"http://127.0.0.1:{self._port}/bot"

    # ---- test controls ----------------------------------------------------------------------------

    def limit(self, per_second: int | None) -> None:
        """Answer 429 (retry after 1 s) to a message beyond `per_second` in any one second, as Telegram's flood
        control does for a bot's messages to different chats (platform-facts A); None lifts it."""
        self._rate = per_second
        self._accepted.clear()

    def push_update(self, update: dict) -> None:
        """Queue an Update for the next getUpdates."""
        self._updates.updates.append(update)
        self._updates.arrived.set()

    def fail_next(self, method: str, status: int = 429, description: str | None = None,
                  retry_after: int | None = None, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with an error, as Telegram words it."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}" if status == 429
                           else DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error"))
        self._failures[method].append(_Failure(status, description, retry_after, times))

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Every call of `method` so far, once there are at least `count` of them."""

        def arrived() -> list[Call]:
            return [call for call in self.calls if call.method == method]

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: len(arrived()) >= count), timeout)
            except TimeoutError:
                raise AssertionError(f"expected {count} {method} call(s) within {timeout} s, got "
                                     f"{len(arrived())}; calls: {[c.method for c in self.calls]}") from None
        return arrived()

    def sent_to(self, chat_id: int | str) -> list[str]:
        """Texts successfully sent to or edited in a chat, in order."""
        return [call.params["text"] for call in self.calls
                if call.ok and call.method in ("sendMessage", "editMessageText")
                and str(call.params.get("chat_id")) == str(chat_id)]

    def clear(self) -> None:
        """Forget recorded calls, injected failures and queued updates."""
        self.calls.clear()
        self._failures.clear()
        self._updates.updates.clear()

    # ---- the Bot API ------------------------------------------------------------------------------

    async def webhook_reply(self, response: Any) -> None:
        """Carry out the Bot API method a webhook response names, as Telegram does after a webhook delivery
        (`response` is an aiohttp ClientResponse; its result, as on Telegram, goes nowhere)."""
        if response.status != 200 or response.content_type != "application/json":
            return
        params = await response.json()
        if isinstance(params, dict) and params.get("method"):
            await self._answer(str(params.pop("method")), params)

    async def _route(self, request: web.Request) -> web.Response:
        return await self._answer(request.match_info["method"], await _params(request))

    async def _answer(self, method: str, params: dict[str, Any]) -> web.Response:
        failure = self._take_failure(method) or self._flood(method)
        await self._record(Call(method, params, ok=failure is None))
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.status)
        answer = {
            "getMe": self._getMe, "sendMessage": self._sendMessage, "editMessageText": self._editMessageText,
            "sendLocation": self._sendLocation, "sendVenue": self._sendVenue, "answerCallbackQuery": self._answerCallbackQuery,
            "sendDocument": self._sendDocument,
            "setWebhook": self._setWebhook, "deleteWebhook": self._deleteWebhook, "getUpdates": self._getUpdates,
        }.get(method)
        if answer is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        result, description = await answer(params)
        body = {"ok": True, "result": result}
        if description:
            body["description"] = description
        return web.json_response(body)

    def _flood(self, method: str) -> _Failure | None:
        if self._rate is None or not method.startswith("send"):
            return None
        now = time.monotonic()
        while self._accepted and self._accepted[0] <= now - 1.0:
            self._accepted.popleft()
        if len(self._accepted) >= self._rate:
            self.floods += 1
            return _Failure(429, "Too Many Requests: retry after 1", 1, 1)
        self._accepted.append(now)
        return None

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.popleft()
        return failure

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _getMe(self, params: dict) -> tuple[Any, str]:
        return BOT_USER, ""

    async def _sendMessage(self, params: dict) -> tuple[Any, str]:
        return self._message(params, next(self._message_ids), text=params.get("text", "")), ""

    async def _editMessageText(self, params: dict) -> tuple[Any, str]:
        return self._message(params, int(params.get("message_id", 0)), text=params.get("text", "")), ""

    async def _sendLocation(self, params: dict) -> tuple[Any, str]:
        location = {"latitude": params.get("latitude"), "longitude": params.get("longitude")}
        return self._message(params, next(self._message_ids), location=location), ""

    async def _sendVenue(self, params: dict) -> tuple[Any, str]:
        # title and address are required strings, as on Telegram; the adapter must never send them empty.
        assert params.get("title") and params.get("address"), f"sendVenue without title or address: {params}"
        location = {"latitude": params.get("latitude"), "longitude": params.get("longitude")}
        venue = {"location": location, "title": params["title"], "address": params["address"]}
        return self._message(params, next(self._message_ids), location=location, venue=venue), ""

    async def _sendDocument(self, params: dict) -> tuple[Any, str]:
        # An upload comes as a multipart file field (bytes here); a file_id or URL as a string.
        assert isinstance(params.get("document"), (bytes, str)) and params["document"], "sendDocument without a file"
        document = {"file_id": f"doc{next(self._message_ids)}", "file_unique_id": "u", "file_name": "file"}
        return self._message(params, next(self._message_ids), document=document), ""

    async def _answerCallbackQuery(self, params: dict) -> tuple[Any, str]:
        return True, ""

    async def _setWebhook(self, params: dict) -> tuple[Any, str]:
        return True, "Webhook was set"

    async def _deleteWebhook(self, params: dict) -> tuple[Any, str]:
        return True, "Webhook was deleted"

    async def _getUpdates(self, params: dict) -> tuple[Any, str]:
        offset = int(params.get("offset") or 0)
        # An offset confirms every update before it, as on Telegram.
        self._updates.updates[:] = [u for u in self._updates.updates if u["update_id"] >= offset]
        wait = min(float(params.get("timeout") or 0), MAX_LONG_POLL)
        if not self._updates.updates and wait > 0:
            self._updates.arrived.clear()
            try:
                await asyncio.wait_for(self._updates.arrived.wait(), wait)
            except TimeoutError:
                pass
        return list(self._updates.updates), ""

    @staticmethod
    def _message(params: dict, message_id: int, **content: Any) -> dict:
        message = {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                   "chat": {"id": params.get("chat_id"), "type": "private"}, **content}
        markup = params.get("reply_markup")
        # Telegram echoes only inline keyboards in Message.reply_markup.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message


async def _params(request: web.Request) -> dict[str, Any]:
    """A JSON body, or form fields (urlencoded or multipart) with JSON values decoded; files as bytes."""
    params: dict[str, Any] = {}
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        return await request.json()
    for name, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            params[name] = value.file.read()
        elif name in STRING_PARAMS:
            params[name] = value
        else:
            try:
                params[name] = json.loads(value)
            except ValueError:
                params[name] = value
    return params
