"""Bot API calls as JSON over the shared aiohttp session: the per-update path of the Telegram channel (issue 8).

python-telegram-bot builds an object for every parameter, url-encodes them and turns every answer back into objects;
measured under load (bench/load.py) that machinery cost more CPU than everything else Putokaz does for an update. The
channel's answers need none of it: a JSON body out (orjson), the envelope's `ok`, `result` and error fields back
(platform-facts A5). PTB still checks the token, sets the webhook and long-polls, off the per-update path.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
import orjson

# PTB's defaults, kept: 5 s to connect, 5 s to read an answer, 1 s to wait for a free connection; uploads get 20 s.
TIMEOUT = aiohttp.ClientTimeout(total=16.0, connect=6.0, sock_connect=5.0, sock_read=5.0)
UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=31.0, connect=6.0, sock_connect=5.0, sock_read=5.0)
_TOKEN_IN_URL = re.compile(r"/bot[^/\s]+/")


class ApiError(Exception):
    """Telegram refused a call; `description` is Telegram's words without its "Bad Request: " style prefix."""

    def __init__(self, description: str, status: int = 0) -> None:
        super().__init__(description)
        self.description = description
        self.status = status


class BadRequest(ApiError):
    """400: the call itself is wrong (and stays wrong if repeated), or the message cannot be edited."""


class Forbidden(ApiError):
    """403: the person blocked the bot, or the chat is gone."""


class InvalidToken(ApiError):
    """401 or 404: the token is not a bot's."""


class RetryAfter(ApiError):
    """429: flood control; try again after `retry_after` seconds."""

    def __init__(self, description: str, retry_after: float) -> None:
        super().__init__(description, 429)
        self.retry_after = retry_after


class NetworkError(ApiError):
    """No answer, a 5xx, or an answer that is not Telegram's: worth trying again later."""


class TimedOut(NetworkError):
    """No answer in time; the call may or may not have been carried out."""


class BotApi:
    """`await api.call("sendMessage", {...})` returns the call's `result` or raises an ApiError subclass.

    The session is borrowed (the app's one session): never closed here.
    """

    def __init__(self, session: aiohttp.ClientSession, token: str, api_url: str) -> None:
        self._session = session
        self._base = f"{api_url}{token}/"

    async def call(self, method: str, params: dict[str, Any], *, files: dict[str, tuple[str, bytes]] | None = None
                   ) -> Any:
        data: bytes | aiohttp.FormData
        if files:
            form = aiohttp.FormData()
            for name, value in params.items():
                if value is not None:
                    form.add_field(name, value if isinstance(value, str) else orjson.dumps(value).decode())
            for name, (filename, content) in files.items():
                form.add_field(name, content, filename=filename)
            data, headers, timeout = form, None, UPLOAD_TIMEOUT
        else:
            data, headers, timeout = orjson.dumps(params), {"Content-Type": "application/json"}, TIMEOUT
        try:
            async with self._session.post(self._base + method, data=data, headers=headers,
                                          timeout=timeout) as response:
                status, body = response.status, await response.read()
        # aiohttp's messages may quote the URL, which holds the token: only a redacted copy of the message is kept.
        except asyncio.TimeoutError as error:  # before ClientError: ServerTimeoutError is both
            raise TimedOut(f"{method} timed out ({type(error).__name__})") from None
        except aiohttp.ClientError as error:
            raise NetworkError(f"{method}: aiohttp.{type(error).__name__}: {_redact(error)}") from None
        return _result(method, status, body)


def _result(method: str, status: int, body: bytes) -> Any:
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict):
        raise NetworkError(f"{method}: HTTP {status} without a Bot API answer", status)
    if 200 <= status < 300 and answer.get("ok", True):
        return answer.get("result")
    description = str(answer.get("description") or f"HTTP {status}")
    parameters = answer.get("parameters") if isinstance(answer.get("parameters"), dict) else {}
    retry_after = parameters.get("retry_after")
    if isinstance(retry_after, (int, float)) and not isinstance(retry_after, bool):
        raise RetryAfter(description, float(retry_after))
    code = answer.get("error_code") if isinstance(answer.get("error_code"), int) else status
    for prefix in ("Bad Request: ", "Forbidden: ", "Unauthorized: ", "Not Found: "):
        description = description.removeprefix(prefix)
    if code == 400:
        raise BadRequest(description, code)
    if code == 403:
        raise Forbidden(description, code)
    if code in (401, 404):
        raise InvalidToken(description, code)
    raise NetworkError(f"{method}: {description}", code)


def _redact(error: BaseException) -> str:
    return _TOKEN_IN_URL.sub("/bot<token>/", str(error))
