"""Viber's REST bot API over the shared aiohttp session: no SDK (platform-facts B1).

Every call is a POST of JSON with the `X-Viber-Auth-Token` header. Viber answers HTTP 200 with a `status` in the
body; anything but 0 is an error whose name comes from its documented code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import aiohttp

DEFAULT_API_URL = "https://chatapi.viber.com/pa"
AUTH_HEADER = "X-Viber-Auth-Token"
SIGNATURE_HEADER = "X-Viber-Content-Signature"
TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)

OK = 0
RECEIVER_NOT_REGISTERED = 5
RECEIVER_NOT_SUBSCRIBED = 6
TOO_MANY_REQUESTS = 12
# errors.md, names as the SDKs spell them (platform-facts B1).
STATUS_NAMES = {
    0: "ok", 1: "invalidUrl", 2: "invalidAuthToken", 3: "badData", 4: "missingData", 5: "receiverNotRegistered",
    6: "receiverNotSubscribed", 7: "publicAccountBlocked", 8: "publicAccountNotFound", 9: "publicAccountSuspended",
    10: "webhookNotSet", 11: "receiverNoSuitableDevice", 12: "tooManyRequests", 13: "apiVersionNotSupported",
    14: "incompatibleWithVersion", 15: "publicAccountNotAuthorized", 16: "inchatReplyMessageNotAllowed",
    17: "publicAccountIsNotInline", 18: "noPublicChat", 19: "cannotSendBroadcast", 20: "broadcastNotAllowed",
    21: "unsupportedCountry", 22: "paymentUnsupported", 23: "freeMessagesExceeded", 24: "noBalance",
}
# Codes that say the bot's account is unusable right now (token, suspension, billing), not that a message is bad:
# what waits to be sent is kept until an operator has fixed it.
ACCOUNT_PROBLEMS = frozenset({2, 7, 8, 9, 10, 15, 23, 24})


def status_name(code: int) -> str:
    return STATUS_NAMES.get(code, "generalError")


def signature(token: str, body: bytes) -> str:
    """Viber signs the raw body with the auth token: hex HMAC-SHA256 (platform-facts B2)."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def signed(token: str, body: bytes, given: str) -> bool:
    # compare in constant time, so the signature cannot be guessed byte by byte from response times
    return hmac.compare_digest(signature(token, body).encode(), given.strip().lower().encode("ascii", "replace"))


@dataclass(frozen=True, slots=True)
class Answer:
    """Viber's reply to one call: its status code and message, and the whole body."""

    status: int
    message: str
    body: dict[str, Any]

    @property
    def name(self) -> str:
        return status_name(self.status)


class ViberError(Exception):
    """The call did not get a Viber answer: the network, a timeout, an HTTP error or a body that is not Viber's."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class ViberAPI:
    """Calls to one bot account; borrows the application's aiohttp session and never closes it."""

    def __init__(self, *, token: str, session: aiohttp.ClientSession, api_url: str = DEFAULT_API_URL) -> None:
        self._token = token
        self._session = session
        self._api_url = api_url.rstrip("/")

    async def call(self, method: str, payload: dict[str, Any]) -> Answer:
        url = f"{self._api_url}/{method}"
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {AUTH_HEADER: self._token, "Content-Type": "application/json"}
        try:
            async with self._session.post(url, data=body, headers=headers, timeout=TIMEOUT) as response:
                raw = await response.read()
                if response.status >= 500 or response.status == 429:
                    raise ViberError(f"{method}: HTTP {response.status}", retry=True)
                if response.status >= 400:
                    raise ViberError(f"{method}: HTTP {response.status}", retry=False)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise ViberError(f"{method}: {type(error).__name__}", retry=True) from None
        try:
            data = json.loads(raw)
            status = int(data["status"])
        except (ValueError, KeyError, TypeError):
            raise ViberError(f"{method}: the answer is not Viber's JSON", retry=True) from None
        return Answer(status, str(data.get("status_message", "")), data)

    async def send_message(self, message: dict[str, Any]) -> Answer:
        return await self.call("send_message", message)

    async def set_webhook(self, url: str, event_types: list[str]) -> Answer:
        # Viber would otherwise put each person's name and photo into every callback: Putokaz wants neither.
        return await self.call("set_webhook", {"url": url, "event_types": event_types, "send_name": False,
                                               "send_photo": False})
