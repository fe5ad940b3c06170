"""Bot API calls over one shared aiohttp session instead of PTB's default httpx transport.

The transport is the largest cost of a python-telegram-bot bot: the same echo bot answers ~6x more
updates per second through aiohttp than through httpx (platform-facts D).
"""

from __future__ import annotations

import asyncio
import re

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_NONE = BaseRequest.DEFAULT_NONE
# PTB marks "not passed" with instances of this class (its own transport tests isinstance, not identity).
_Default = type(DEFAULT_NONE)

_TOKEN_IN_URL = re.compile(r"/bot[^/\s]+/")
# PTB's own defaults (HTTPXRequest): 5 s to read, write and connect, 1 s to wait for a free connection.
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
# Uploads take longer than form posts: PTB's default for them is 20 s.
MEDIA_WRITE_TIMEOUT = 20.0


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` that posts through an `aiohttp.ClientSession`.

    Pass the application's shared session: it is borrowed, never closed here. Without one, a session
    is made in `initialize()` and closed in `shutdown()`.
    """

    __slots__ = ("_session", "_owns_session", "_read", "_write", "_connect", "_pool")

    def __init__(self, session: aiohttp.ClientSession | None = None, *, read_timeout: float | None = READ_TIMEOUT,
                 write_timeout: float | None = WRITE_TIMEOUT, connect_timeout: float | None = CONNECT_TIMEOUT,
                 pool_timeout: float | None = POOL_TIMEOUT) -> None:
        self._session = session
        self._owns_session = session is None
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._owns_session and (self._session is None or self._session.closed):
            self._session = aiohttp.ClientSession()

    async def shutdown(self) -> None:
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=DEFAULT_NONE, write_timeout=DEFAULT_NONE, connect_timeout=DEFAULT_NONE,
                         pool_timeout=DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized or its aiohttp session is closed")
        has_files = request_data is not None and request_data.contains_files
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, has_files)
        data: aiohttp.FormData | str | None = None
        headers = {"User-Agent": self.USER_AGENT}
        if request_data is not None and has_files:
            data = _multipart(request_data)
        elif request_data is not None and request_data.parameters:
            data = request_data.url_encoded_parameters()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            async with self._session.request(method, url, data=data, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        # aiohttp's messages may quote the URL, and the URL holds the bot token: the cause is replaced by a
        # redacted copy of its message (`from None`), so no traceback of a logged error shows the token.
        except asyncio.TimeoutError as error:  # before ClientError: ServerTimeoutError is both
            raise TimedOut(f"Bot API call timed out: aiohttp.{type(error).__name__}: {_redact(error)}") from None
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {_redact(error)}") from None

    def _timeout(self, read, write, connect, pool, has_files: bool) -> aiohttp.ClientTimeout:
        """PTB's four timeouts as aiohttp's: DEFAULT_NONE means this request's default, None means no limit."""
        read = self._read if isinstance(read, _Default) else read
        connect = self._connect if isinstance(connect, _Default) else connect
        pool = self._pool if isinstance(pool, _Default) else pool
        if isinstance(write, _Default):
            write = MEDIA_WRITE_TIMEOUT if has_files else self._write
        # aiohttp's `connect` covers waiting for a pooled connection plus connecting; it has no write timeout,
        # so writes are bounded by `total`, the sum of the four phases.
        phases = (read, write, connect, pool)
        total = None if any(p is None for p in phases) else sum(phases)
        return aiohttp.ClientTimeout(
            total=total,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )


def _redact(error: BaseException) -> str:
    return _TOKEN_IN_URL.sub("/bot<token>/", str(error))


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """Parameters as form fields and files as file parts, as PTB's httpx transport sends them."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
