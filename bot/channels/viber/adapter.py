"""Viber: callbacks in through a signed webhook, the engine's replies out through the outbox (platform-facts B).

Viber calls `POST /viber/webhook` with one event per request, signed with the bot's token. The adapter checks the
signature, answers at once, and serves the event in the background: the engine's replies are queued in the outbox
(as every message to a person is), and the sender delivers them with `deliver`, which also reports Viber's status
codes. The one exception is the welcome: Viber lets a bot answer `conversation_started` only in the HTTP response,
and only with one message, before the person has subscribed.

What a person is (id, name, avatar, country) never goes into a log: only event kinds, status codes and counts do.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from bot.channels.viber.api import (
    ACCOUNT_PROBLEMS,
    OK,
    RECEIVER_NOT_REGISTERED,
    RECEIVER_NOT_SUBSCRIBED,
    SIGNATURE_HEADER,
    TOO_MANY_REQUESTS,
    ViberAPI,
    ViberError,
    signed,
)
from bot.channels.viber.keyboards import (
    MAX_ROWS,
    PAGE,
    ROWS_PER_PAGE,
    keyboard,
    pressed,
)
from bot.core.engine import Handle
from bot.core.model import Button, Delivery, Incoming, Kind, Location, Outcome, Reply
from bot.render import sanitize, split_text, to_viber

log = logging.getLogger(__name__)

CHANNEL = "viber"
WEBHOOK_PATH = "/viber/webhook"
# Everything but the mandatory message, subscribed and unsubscribed (platform-facts B2).
EVENT_TYPES = ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"]
MAX_BODY = 64 * 1024  # Viber's own requests are at most 30 KB
MAX_TEXT = 7000
MAX_NAME = 28
MAX_ID = 100
# Deep-link context, as Telegram's start payload: "ar__rs-sid", "c_<invite code>".
_CONTEXT = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@\S*)?(?:\s+(.*))?", re.DOTALL)
# Viber retries a callback it got no 200 for, for up to an hour; one token is served once within that time.
DUPLICATE_WINDOW = 3600.0
DUPLICATE_MEMORY = 100_000
PAGED_MEMORY = 10_000
TOO_MANY_WAIT = 60.0  # Viber's 100 unanswered messages an hour: try again in a minute, then back off
ACCOUNT_WAIT = 600.0


class Outbox(Protocol):
    """What the channel needs of the sender (bot.delivery.Sender)."""

    async def queue(self, channel: str, chat: str, replies: Sequence[Reply]) -> None: ...

    async def stop_sending(self, channel: str, chat: str, reason: str) -> int: ...

    async def report(self, channel: str, token: str, event: str, at: dt.datetime, error: str = "") -> None: ...


class BadCallback(ValueError):
    """A callback that is not one Viber sends; the message is safe to answer with."""


class ViberChannel:
    """One Viber bot account. Mount `routes()`, `attach()` the outbox, `start()`, and `stop()` at the end."""

    name = CHANNEL

    def __init__(self, *, token: str, handle: Handle, session: aiohttp.ClientSession, api_url: str,
                 sender_name: str, rtl: Callable[[str], bool], more: Callable[[str], str],
                 public_url: str | None = None) -> None:
        if not 1 <= len(sender_name) <= MAX_NAME:
            raise ValueError(f"a Viber sender name is 1-{MAX_NAME} characters, got {len(sender_name)}")
        self._token = token
        self._handle = handle
        self._api = ViberAPI(token=token, session=session, api_url=api_url)
        self._sender = {"name": sender_name}
        self._rtl = rtl
        self._more = more
        self._public_url = public_url  # Viber fetches a file from a link: this server's, when it is reachable
        self._outbox: Outbox | None = None
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._paged: OrderedDict[str, Reply] = OrderedDict()  # a chat's last keyboard too long for one screen
        self._tasks: set[asyncio.Task] = set()
        self._latest: dict[str, asyncio.Task] = {}  # per person, the callback served last: the next one waits for it
        self._running = False

    def attach(self, outbox: Outbox) -> None:
        self._outbox = outbox

    def routes(self) -> list[web.RouteDef]:
        return [web.post(WEBHOOK_PATH, self._webhook)]

    async def start(self) -> None:
        assert self._outbox is not None, "attach the outbox before starting"
        self._running = True

    async def stop(self) -> None:
        """Stop taking callbacks, then let the ones being served finish queueing their answers."""
        self._running = False
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)

    async def set_webhook(self, url: str) -> dict[str, Any]:
        """Register the webhook with Viber; Viber's whole answer. Viber calls it back at once, so serve first."""
        return (await self._api.set_webhook(url, EVENT_TYPES)).body

    # ---- in ----------------------------------------------------------------------------------------

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return _error(413, f"the body is larger than {MAX_BODY} bytes")
        given = request.headers.get(SIGNATURE_HEADER) or request.query.get("sig", "")
        if not given or not signed(self._token, body, given):
            return _error(403, f"missing or wrong {SIGNATURE_HEADER}")
        if not self._running:
            return _error(503, "the Viber channel is not running")  # Viber retries: nothing is lost
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return _error(400, "the body is not JSON")
        try:
            return await self._serve(data)
        except BadCallback as error:
            return _error(400, str(error))

    async def _serve(self, data: Any) -> web.Response:
        if not isinstance(data, dict) or not isinstance(data.get("event"), str):
            raise BadCallback("the body must be a JSON object with an \"event\"")
        event = data["event"]
        if event == "webhook":
            return web.json_response({})
        if event in ("delivered", "seen", "failed"):
            token = _token(data)
            at = _timestamp(data)
            error = str(data.get("desc", ""))[:200] if event == "failed" else ""
            assert self._outbox is not None
            await self._outbox.report(CHANNEL, token, event, at, error)
            return web.json_response({})
        if event == "unsubscribed":
            user = _id(data.get("user_id"), "user_id")
            self._later(user, self._outbox_stop(user))
            return web.json_response({})
        if event not in ("conversation_started", "subscribed", "message"):
            log.info("Viber event %r ignored", event[:40])  # a kind added after this was written
            return web.json_response({})
        token = _token(data)
        if self._duplicate(event, token):
            return web.json_response({})
        if event == "conversation_started":
            return await self._welcome(data)
        if event == "subscribed":
            user = _person(data, "user")
            # Subscribing from the chat's info screen: greet as /start does (the language, else the menu).
            incoming = Incoming(channel=CHANNEL, sender=user["id"], kind=Kind.COMMAND, command="start",
                                language_hint=_language(user))
            self._later(user["id"], self._answer(incoming))
            return web.json_response({})
        incoming = to_incoming(data)
        page = pressed(incoming.text)[1] if incoming.kind is Kind.TEXT and pressed(incoming.text) else None
        if page is not None:
            self._later(incoming.sender, self._turn_page(incoming.sender, int(page)))
        else:
            self._later(incoming.sender, self._answer(incoming))
        return web.json_response({})

    async def _welcome(self, data: dict) -> web.Response:
        """The one message Viber allows before a person subscribes: the engine's /start, as the HTTP response."""
        user = _person(data, "user")
        context = data.get("context")
        argument = context if isinstance(context, str) and _CONTEXT.fullmatch(context) else ""
        incoming = Incoming(channel=CHANNEL, sender=user["id"], kind=Kind.COMMAND, command="start",
                            argument=argument, language_hint=_language(user))
        replies = await self._handle(incoming)
        if not replies:
            return web.json_response({})
        # One message: the texts one after another, under the last keyboard sent.
        text = "\n\n".join(to_viber(r.text, rtl=self._rtl(r.language)) for r in replies if r.text.strip())
        last = next((r for r in reversed(replies) if r.buttons or r.request_location), replies[-1])
        message: dict[str, Any] = {"sender": self._sender, "type": "text", "text": split_text(text, MAX_TEXT)[0]
                                   if text.strip() else "👋"}
        markup = keyboard(self._first_page(user["id"], last), more=self._more(last.language))
        if markup is not None:
            message["keyboard"] = markup
        return web.json_response(message)

    def _duplicate(self, event: str, token: str) -> bool:
        now = time.monotonic()
        while self._seen and next(iter(self._seen.values())) < now - DUPLICATE_WINDOW:
            self._seen.popitem(last=False)
        key = (event, token)
        if key in self._seen:
            log.info("Viber %s %s delivered again; served once", event, "callback")
            return True
        self._seen[key] = now
        if len(self._seen) > DUPLICATE_MEMORY:
            self._seen.popitem(last=False)
        return False

    def _later(self, person: str, work) -> None:
        """Serve in the background: Viber wants its 200 at once, and retries what it does not get. One person's
        callbacks are served one after another, in the order they came, so their answers are queued in order."""
        task = asyncio.ensure_future(self._guarded(self._latest.get(person), work))
        self._latest[person] = task
        self._tasks.add(task)

        def done(finished: asyncio.Task) -> None:
            self._tasks.discard(finished)
            if self._latest.get(person) is finished:
                del self._latest[person]
        task.add_done_callback(done)

    @staticmethod
    async def _guarded(before: asyncio.Task | None, work) -> None:
        if before is not None:
            await asyncio.wait([before])
        try:
            await work
        except Exception:
            log.exception("serving a Viber callback failed")

    async def _answer(self, incoming: Incoming) -> None:
        replies = await self._handle(incoming)
        assert self._outbox is not None
        await self._outbox.queue(CHANNEL, incoming.sender, replies)

    async def _outbox_stop(self, user: str) -> None:
        assert self._outbox is not None
        self._paged.pop(user, None)
        dropped = await self._outbox.stop_sending(CHANNEL, user, "the person unsubscribed")
        if dropped:
            log.info("a Viber user unsubscribed; %d waiting message(s) dropped", dropped)

    async def _turn_page(self, chat: str, page: int) -> None:
        """"More…" pressed: the next rows of the last long keyboard, or the menu when it is forgotten."""
        reply = self._paged.get(chat)
        if reply is None:
            # A restart forgot it: the engine answers a stale button with the current screen.
            await self._answer(Incoming(channel=CHANNEL, sender=chat, kind=Kind.ACTION, action=PAGE + str(page)))
            return
        assert self._outbox is not None
        await self._outbox.queue(CHANNEL, chat, [self._page(reply, page)])

    # ---- out ---------------------------------------------------------------------------------------

    def _first_page(self, chat: str, reply: Reply) -> Reply:
        rows = [row for row in reply.buttons if row]
        if len(rows) <= MAX_ROWS:
            turning = bool(rows) and rows[-1][-1].action.startswith(PAGE)
            if rows and not turning:
                self._paged.pop(chat, None)  # a new keyboard replaces the long one on the screen
            return reply
        self._paged[chat] = reply
        self._paged.move_to_end(chat)
        if len(self._paged) > PAGED_MEMORY:
            self._paged.popitem(last=False)
        return self._page(reply, 1, text=reply.text)

    def _page(self, reply: Reply, page: int, *, text: str | None = None) -> Reply:
        rows = [row for row in reply.buttons if row]
        pages = math.ceil(len(rows) / ROWS_PER_PAGE)
        page = min(max(page, 1), pages)
        more = self._more(reply.language)
        shown = rows[(page - 1) * ROWS_PER_PAGE:page * ROWS_PER_PAGE]
        turn = Button(f"{more} ({page % pages + 1}/{pages})", action=PAGE + str(page % pages + 1))
        return replace(reply, text=f"{more} ({page}/{pages})" if text is None else text,
                       buttons=(*shown, (turn,)), location=None if text is None else reply.location)

    def messages(self, chat: str, reply: Reply) -> list[dict[str, Any]]:
        """The send_message bodies for one reply: its text (split at 7000 characters), then its map pin; the
        keyboard rides on the last of them, since Viber shows the keyboard of the latest message."""
        reply = self._first_page(chat, reply)
        base = {"receiver": chat, "sender": self._sender}
        text = to_viber(reply.text, rtl=self._rtl(reply.language))
        if reply.location is not None and reply.location_title and not text.strip():
            # Viber's pin has no name: what Telegram shows under a venue goes above the map instead.
            text = "\n".join(sanitize(line) for line in (f"📍 {reply.location_title}", reply.location_address)
                              if line and line != reply.location_title)
        bodies: list[dict[str, Any]] = [{**base, "type": "text", "text": chunk} for chunk in split_text(text, MAX_TEXT)]
        if reply.location is not None:
            bodies.append({**base, "type": "location", "location": {"lat": reply.location.lat,
                                                                   "lon": reply.location.lon}})
        document = reply.document
        if document is not None and self._public_url and document.path.startswith("/"):
            bodies.append({**base, "type": "file", "media": self._public_url + document.path,
                           "size": len(document.data), "file_name": document.name})
        markup = keyboard(reply, more=self._more(reply.language))
        if markup is not None:
            if not bodies:
                bodies.append({**base, "type": "text", "text": "⬇️"})
            bodies[-1]["keyboard"] = markup
        return bodies

    async def deliver(self, chat: str, reply: Reply, done: int = 0) -> Outcome:
        """Send one outbox message, skipping the first `done` parts a failed attempt already sent."""
        tokens: list[str] = []
        bodies = self.messages(chat, reply)
        for number, body in enumerate(bodies):
            if number < done:
                continue
            sent = done + len(tokens)
            try:
                answer = await self._api.send_message(body)
            except ViberError as error:
                return Outcome(Delivery.RETRY if error.retry else Delivery.FAILED, error=str(error),
                               receipts=tuple(tokens), parts=sent)
            if answer.status == OK:
                tokens.append(str(answer.body.get("message_token", "")))
                continue
            name = f"{answer.name} ({answer.status})"
            if answer.status in (RECEIVER_NOT_SUBSCRIBED, RECEIVER_NOT_REGISTERED):
                return Outcome(Delivery.BLOCKED, error=name, receipts=tuple(tokens), parts=sent)
            if answer.status == TOO_MANY_REQUESTS:
                return Outcome(Delivery.RETRY, TOO_MANY_WAIT, name, tuple(tokens), parts=sent)
            if answer.status in ACCOUNT_PROBLEMS:
                log.error("Viber refuses to send for the bot's account: %s; messages wait until it is fixed", name)
                return Outcome(Delivery.RETRY, ACCOUNT_WAIT, name, tuple(tokens), parts=sent)
            log.warning("Viber refused a message: %s", name)
            return Outcome(Delivery.FAILED, error=name, receipts=tuple(tokens), parts=sent)
        return Outcome(Delivery.SENT, receipts=tuple(t for t in tokens if t), parts=len(bodies))


def to_incoming(data: dict) -> Incoming:
    """A `message` callback as the engine sees it; BadCallback when it is not shaped as Viber sends it."""
    person = _person(data, "sender")
    message = data.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise BadCallback("a message callback needs a \"message\" object with a \"type\"")
    base = {"channel": CHANNEL, "sender": person["id"], "language_hint": _language(person)}
    kind = message["type"]
    if kind == "location":
        location = message.get("location")
        try:
            lat, lon = float(location["lat"]), float(location["lon"])  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            raise BadCallback("a location message needs \"location\": {\"lat\": ..., \"lon\": ...}") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BadCallback(f"a location must be within -90..90 and -180..180, got {lat}, {lon}")
        return Incoming(kind=Kind.LOCATION, location=Location(lat, lon), **base)
    if kind != "text":
        return Incoming(kind=Kind.OTHER, **base)  # picture, sticker, file, video, contact, url
    text = message.get("text")
    if not isinstance(text, str):
        raise BadCallback("a text message needs a \"text\" string")
    press = pressed(text)
    if press is not None and press[0] == "action":
        return Incoming(kind=Kind.ACTION, action=press[1], **base)
    if press is not None:
        return Incoming(kind=Kind.TEXT, text=text, **base)  # a page turn: the adapter's own
    text = sanitize(text).strip()
    command = _COMMAND.fullmatch(text)
    if command is not None:
        return Incoming(kind=Kind.COMMAND, command=command.group(1).lower(),
                        argument=(command.group(2) or "").strip(), **base)
    return Incoming(kind=Kind.TEXT, text=text, **base)


def _person(data: dict, field: str) -> dict[str, str]:
    person = data.get(field)
    if not isinstance(person, dict):
        raise BadCallback(f"the callback needs a \"{field}\" object")
    return {"id": _id(person.get("id"), f"{field}.id"), "language": str(person.get("language") or "")[:35]}


def _id(value: Any, name: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_ID or not value.isprintable():
        raise BadCallback(f"\"{name}\" must be a Viber user id (a string of 1-{MAX_ID} characters)")
    return value


def _language(person: dict[str, str]) -> str | None:
    return person.get("language") or None


def _token(data: dict) -> str:
    token = data.get("message_token")
    if isinstance(token, bool) or not isinstance(token, (int, str)) or not str(token).strip("-").isdigit():
        raise BadCallback("\"message_token\" must be a number")
    return str(token)


def _timestamp(data: dict) -> dt.datetime:
    value = data.get("timestamp")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e14:
        return dt.datetime.fromtimestamp(value / 1000, dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
