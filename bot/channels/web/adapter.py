"""The web chat: one page anyone can open without a Telegram account, and the JSON API behind it.

The page posts what a person does to POST /web/api/message; the adapter turns it into a channel-neutral
`Incoming`, hands it to the engine's `handle`, and answers the `Reply` objects as JSON with `bot.render`'s
safe HTML (SPEC "Web chat"). The person is a random id in a cookie; it is never logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import web

from bot.channels.web.keyboards import MAX_ACTION_BYTES, button_rows, map_pin
from bot.core.engine import Handle
from bot.core.model import Incoming, Kind, Location, Reply
from bot.render import sanitize, to_web_html

log = logging.getLogger(__name__)

CHANNEL = "web"
API_PATH = "/web/api/message"
COOKIE = "putokaz_session"
COOKIE_MAX_AGE = 30 * 24 * 60 * 60
# secrets.token_urlsafe(16) makes 22 characters of this alphabet; anything else a browser sends is replaced.
_SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_BODY = 16 * 1024
MAX_TEXT = 4000
# BCP 47's longest well-formed tag is 35 characters; navigator.language is much shorter.
MAX_LANGUAGE = 35
FIELDS = ("text", "action", "location")

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "connect-src 'self'; frame-ancestors 'none'")
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# The page names each static file with a hash of its bytes (?v=...), so a new release is fetched at once and
# an unchanged file may be kept for a long time.
STATIC_CACHE = "public, max-age=86400"
STATIC_TYPES = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
}


class BadMessage(Exception):
    """The posted message is not one the API takes; `status` is 400 or 413, the text is safe to show."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class StaticFile:
    body: bytes
    content_type: str
    version: str  # the start of the body's SHA-256

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class WebChannel:
    """The web chat page, its two static files and its JSON API, as routes for the composition root to mount."""

    def __init__(self, *, handle: Handle, rtl: Callable[[str], bool]) -> None:
        self._handle = handle
        self._rtl = rtl
        self._static = {name: _load(name, content_type) for name, content_type in STATIC_TYPES.items()}
        page = _read("index.html").decode("utf-8")
        for name, static in self._static.items():
            page = page.replace(f"/static/{name}", f"/static/{name}?v={static.version}")
        self._page = page.encode("utf-8")

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/", self._index),
            web.get("/static/{name}", self._static_file),
            web.post(API_PATH, self._message),
        ]

    # ---- the page --------------------------------------------------------------------------------------

    async def _index(self, request: web.Request) -> web.Response:
        response = web.Response(body=self._page, content_type="text/html", charset="utf-8",
                                headers={**PAGE_HEADERS, "Cache-Control": "no-cache"})
        session, new = _session(request)
        if new:
            _set_cookie(response, session, secure=request.secure)
        return response

    async def _static_file(self, request: web.Request) -> web.StreamResponse:
        static = self._static.get(request.match_info["name"])
        if static is None:
            raise web.HTTPNotFound(text="not found", headers={"X-Content-Type-Options": "nosniff"})
        headers = {**PAGE_HEADERS, "Cache-Control": STATIC_CACHE, "ETag": static.etag, "Vary": "Accept-Encoding"}
        if static.etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        response = web.Response(body=static.body, headers={**headers, "Content-Type": static.content_type})
        response.enable_compression()
        return response

    # ---- the API ---------------------------------------------------------------------------------------

    async def _message(self, request: web.Request) -> web.Response:
        sender, new = _session(request)
        response = await self._answer(request, sender)
        if new:
            _set_cookie(response, sender, secure=request.secure)
        return response

    async def _answer(self, request: web.Request, sender: str) -> web.Response:
        try:
            incoming = to_incoming(await _read_body(request), sender=sender)
        except BadMessage as error:
            return _json({"error": str(error)}, status=error.status)
        try:
            replies = await self._handle(incoming)
            answer = {"replies": [self.to_json(reply) for reply in replies]}
        except Exception:
            # The log names the kind of update only: the sender is a person's id and stays out of logs.
            # The traceback goes to the log, never to the browser.
            log.exception("web: answering a %s update failed", incoming.kind.value)
            return _json({"error": "Something went wrong. Please try again."}, status=500)
        return _json(answer, status=200)

    def to_json(self, reply: Reply) -> dict[str, Any]:
        """One reply as the page draws it: safe HTML, its direction and language, buttons and a map pin."""
        rtl = self._rtl(reply.language)
        return {
            "html": to_web_html(reply.text, rtl=rtl),
            "dir": "rtl" if rtl else "ltr",
            # HTML's lang attribute takes BCP 47 ("sr-Latn"), babel writes "sr_Latn".
            "lang": reply.language.replace("_", "-"),
            "buttons": button_rows(reply),
            "location": map_pin(reply.location, reply.location_title) if reply.location is not None else None,
            "request_location": reply.request_location,
            # Served by this server: the browser downloads it from the same origin.
            "document": ({"name": sanitize(reply.document.name), "url": reply.document.path}
                         if reply.document is not None and reply.document.path.startswith("/") else None),
        }


def to_incoming(body: Any, *, sender: str) -> Incoming:
    """Check a posted JSON value and make the Incoming it stands for; BadMessage says what is wrong."""
    if not isinstance(body, dict):
        raise BadMessage(f"the message must be a JSON object, got {_json_type(body)}")
    unknown = sorted(set(body) - {*FIELDS, "language"})
    if unknown:
        raise BadMessage(f"unknown field {unknown[0]!r}; the message takes one of text, action, location and "
                         f"optionally language")
    given = [name for name in FIELDS if name in body]
    if len(given) != 1:
        raise BadMessage(f"the message must have exactly one of text, action, location, got "
                         f"{', '.join(given) if given else 'none'}")
    person = {"channel": CHANNEL, "sender": sender, "language_hint": _language(body.get("language"))}
    if "text" in body:
        return _text(body["text"], person)
    if "action" in body:
        action = body["action"]
        if not isinstance(action, str) or not action:
            raise BadMessage(f"action must be a non-empty string, got {_json_type(action)}")
        size = len(action.encode("utf-8"))
        if size > MAX_ACTION_BYTES:
            raise BadMessage(f"action must be at most {MAX_ACTION_BYTES} bytes, got {size}")
        return Incoming(kind=Kind.ACTION, action=action, **person)
    return Incoming(kind=Kind.LOCATION, location=_location(body["location"]), **person)


def _text(text: Any, person: dict[str, Any]) -> Incoming:
    if not isinstance(text, str):
        raise BadMessage(f"text must be a string, got {_json_type(text)}")
    if len(text) > MAX_TEXT:
        raise BadMessage(f"text must be at most {MAX_TEXT} characters, got {len(text)}", status=413)
    text = sanitize(text).strip()
    if not text:
        raise BadMessage("text is empty")
    if text.startswith("/"):
        # "/start ar__rs-sid": the first word names the command, the rest is its argument.
        command, argument = (text[1:].split(maxsplit=1) + ["", ""])[:2]
        return Incoming(kind=Kind.COMMAND, command=command.lower(), argument=argument.strip(), **person)
    return Incoming(kind=Kind.TEXT, text=text, **person)


def _location(value: Any) -> Location:
    if not isinstance(value, dict):
        raise BadMessage(f"location must be an object with lat and lon, got {_json_type(value)}")
    coordinates = []
    for name, limit in (("lat", 90), ("lon", 180)):
        number = value.get(name)
        # JSON true is a Python int; a coordinate it is not.
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise BadMessage(f"location.{name} must be a number, got {_json_type(number)}")
        if not -limit <= number <= limit:
            raise BadMessage(f"location.{name} must be from -{limit} to {limit}, got {number}")
        coordinates.append(float(number))
    return Location(*coordinates)


def _language(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= MAX_LANGUAGE:
        raise BadMessage(f"language must be a language tag of 1 to {MAX_LANGUAGE} characters, "
                         f"got {_json_type(value) if not isinstance(value, str) else repr(value[:40])}")
    return value


async def _read_body(request: web.Request) -> Any:
    """The posted JSON value, read no further than MAX_BODY bytes whatever Content-Length claims."""
    too_large = BadMessage(f"the message must be at most {MAX_BODY} bytes", status=413)
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise too_large
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_large
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadMessage("the message is not valid JSON") from None


def _session(request: web.Request) -> tuple[str, bool]:
    """The person's session id from the cookie, and whether it is new (the cookie was missing or malformed)."""
    session = request.cookies.get(COOKIE, "")
    if _SESSION.fullmatch(session):
        return session, False
    return secrets.token_urlsafe(16), True


def _set_cookie(response: web.StreamResponse, session: str, *, secure: bool) -> None:
    # SameSite=Strict: another site's page cannot post as this person; HttpOnly: the page's script never reads it.
    response.set_cookie(COOKIE, session, max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="Strict",
                        secure=True if secure else None)


def _json(value: Any, *, status: int) -> web.Response:
    return web.json_response(value, status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False),
                             headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _read(name: str) -> bytes:
    return resources.files("bot.channels.web").joinpath("static", name).read_bytes()


def _load(name: str, content_type: str) -> StaticFile:
    body = _read(name)
    return StaticFile(body=body, content_type=content_type, version=hashlib.sha256(body).hexdigest()[:16])
