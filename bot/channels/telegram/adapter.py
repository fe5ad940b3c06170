"""Telegram: updates in through a webhook route (or long polling), the engine's replies out as Bot API calls.

Per update the adapter works on the Bot API's JSON itself (issue 8): the webhook body becomes a channel-neutral
`Incoming`, the engine's `Reply` objects become Telegram HTML (`bot.render`) posted by `BotApi`, and a button press
is answered (answerCallbackQuery) in the webhook's own HTTP response, as the Bot API allows, which saves a request.
In long-polling mode a python-telegram-bot `Application` (held, not inherited) fetches the updates; webhook mode
needs no SDK at all, which also keeps it out of the server's cold start.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from bot.channels.telegram.api import (
    ApiError,
    BadRequest,
    BotApi,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from bot.channels.telegram.keyboards import reply_markup
from bot.core.engine import Handle
from bot.core.model import Delivery, Incoming, Kind, Location, Outcome, Reply
from bot.render import sanitize, split_telegram, to_telegram_html

log = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
# Telegram's rule for setWebhook's secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# How long one getUpdates waits for news; PTB adds it to the request's read timeout below.
POLL_TIMEOUT = dt.timedelta(seconds=30)
POLL_READ_MARGIN = 10.0
# A flood wait up to this long is sat out and the call made once more; a longer one drops the rest of the answer.
MAX_FLOOD_WAIT = 30.0
# A venue pin shows its title and address in one or two lines; longer text only crowds the map card.
VENUE_TEXT = 200
_JSON = "application/json"
# Updates served at once. Beyond, a webhook request waits for a free slot before it is answered: Telegram then holds
# back further deliveries (it waits for answers, up to the webhook's max_connections), so a flood queues at Telegram
# instead of filling this process's memory.
MAX_IN_FLIGHT = 512


class TelegramChannel:
    """One Telegram bot, in webhook mode (a `webhook_url` is given) or long-polling mode.

    Lifecycle inside an aiohttp app: mount `routes()` before the app starts, `await start()` in on_startup,
    `await stop()` in on_cleanup (the site no longer accepts requests then), before the shared session closes.
    """

    name = CHANNEL

    def __init__(self, *, token: str, handle: Handle, api_url: str = "https://api.telegram.org/bot",
                 webhook_url: str | None = None, webhook_secret: str | None = None,
                 session: aiohttp.ClientSession, rtl: Callable[[str], bool], max_in_flight: int = MAX_IN_FLIGHT
                 ) -> None:
        if webhook_secret is not None and not _SECRET.fullmatch(webhook_secret):
            # The value is a secret: name its shape, never echo it.
            raise ValueError(f"the Telegram webhook secret must be 1-256 characters from A-Z, a-z, 0-9, _ and -, "
                             f"got {len(webhook_secret)} characters")
        self._handle = handle
        self._rtl = rtl
        self._api_url = api_url
        self._api = BotApi(session, token, api_url)
        self._webhook_url = webhook_url or None
        self._secret = webhook_secret
        self._serving = False
        self._in_flight: set[asyncio.Task] = set()  # updates being served, awaited by stop()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._session = session
        self._token = token
        self._application: Any = None  # PTB's, in long-polling mode only
        _keep_sdk_logs_private()

    def routes(self) -> list[web.RouteDef]:
        """The webhook route in webhook mode; nothing when polling."""
        return [web.post(WEBHOOK_PATH, self._webhook)] if self._webhook_url is not None else []

    async def start(self) -> None:
        """Check the token (getMe), start serving, and tell Telegram where updates go."""
        try:
            await self.open()
            if self._webhook_url is not None:
                self._serving = True
                params = {"url": self._webhook_url, "allowed_updates": ALLOWED_UPDATES}
                if self._secret is not None:
                    params["secret_token"] = self._secret
                await self._api.call("setWebhook", params)
            else:
                application = self._application = self._polling_application()
                await application.initialize()
                await application.start()
                # start_polling calls deleteWebhook first: Telegram serves no getUpdates while a webhook is set.
                await application.updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
                self._serving = True
        except BaseException:
            await self.stop()
            raise

    async def open(self) -> None:
        """Check the token (getMe); enough for a process that only sends (an announcement from the command line)."""
        try:
            await self._api.call("getMe", {})
        except InvalidToken:
            # Said in our words: they name the API's address, never the token.
            raise InvalidToken(f"the Telegram bot token was rejected by the Bot API at {self._api_url}") from None

    async def stop(self) -> None:
        """Stop taking updates, answer every update already received, then release PTB's resources. Idempotent."""
        self._serving = False
        application = self._application
        if application is not None and application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application is not None and application.running:
            await application.stop()  # waits for polled updates in flight
        while self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        if application is not None:
            await application.shutdown()

    def _polling_application(self) -> Any:
        """PTB's Application with its Updater, which long-polls getUpdates with backoff (imported only here)."""
        from telegram import Update
        from telegram.ext import Application, TypeHandler

        from bot.channels.telegram.request import AiohttpRequest

        application = (Application.builder().token(self._token).base_url(self._api_url)
                       .request(AiohttpRequest(self._session))
                       .get_updates_request(AiohttpRequest(self._session, read_timeout=POLL_READ_MARGIN))
                       # People are served side by side; the engine orders one person's updates itself.
                       .concurrent_updates(True).build())
        application.add_handler(TypeHandler(Update, self._on_polled))
        return application

    # ---- in ----------------------------------------------------------------------------------------

    async def _webhook(self, request: web.Request) -> web.Response:
        """Accept one Update from Telegram and answer at once; the update is served in the background.

        A button press is answered (answerCallbackQuery) in this response, which Telegram carries out itself.
        """
        if self._secret is not None:
            given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
            # compare in constant time, so the secret cannot be guessed byte by byte from response times
            if not hmac.compare_digest(given, self._secret.encode()):
                return web.json_response({"error": f"missing or wrong {SECRET_HEADER}"}, status=403)
        if not self._serving:
            # Telegram redelivers after a 5xx; an update taken now would never be served.
            return web.json_response({"error": "the Telegram channel is not running"}, status=503)
        try:
            data = orjson.loads(await request.read())
        except orjson.JSONDecodeError:
            return web.json_response({"error": "the body is not JSON"}, status=400)
        if not isinstance(data, dict):
            return web.json_response({"error": f"the body must be a JSON object (an Update), got "
                                               f"{_json_type(data)}"}, status=400)
        try:
            incoming = to_incoming(data)
        except ValueError as error:  # untrusted input: a shape Telegram never sends
            return web.json_response({"error": f"the body is not a Telegram Update ({error})"}, status=400)
        query = data.get("callback_query")
        if incoming is not None:
            await self._slots.acquire()
            task = asyncio.create_task(self._serve(data, incoming))
            self._in_flight.add(task)
            task.add_done_callback(self._finished)
        if query is not None:
            # The spinner on the button stops now, before the engine works; the answer has no result to wait for.
            return web.Response(body=orjson.dumps({"method": "answerCallbackQuery", "callback_query_id": query["id"]}),
                                content_type=_JSON)
        return web.Response()

    def _finished(self, task: asyncio.Task) -> None:
        self._in_flight.discard(task)
        self._slots.release()

    async def _on_polled(self, update: Any, context: Any) -> None:
        """An update from long polling: the same path as a webhook's, and the press answered by a call."""
        data = update.to_dict()
        try:
            incoming = to_incoming(data)
        except ValueError as error:
            log.warning("update %s: not served: %s", update.update_id, error)
            return
        query = data.get("callback_query")
        answering = asyncio.ensure_future(self._answer(query["id"])) if query is not None else None
        try:
            if incoming is not None:
                await self._serve(data, incoming)
        finally:
            if answering is not None:
                await answering

    async def _serve(self, update: dict, incoming: Incoming) -> None:
        """Serve one update; nothing escapes, and nothing a person sent or is goes into the log."""
        number = update.get("update_id")
        try:
            replies = await self._handle(incoming)
            query = update.get("callback_query")
            message = update.get("message") or {}
            chat = (query.get("message") or {}).get("chat") if query is not None else message.get("chat")
            pressed = query["message"].get("message_id") if query is not None and query.get("message") else None
            await self._send(chat["id"], replies, pressed=pressed if isinstance(pressed, int) else None)
        except Forbidden as error:
            log.info("update %s: Telegram refused delivery: %s", number, error.description)
        except ApiError as error:
            log.warning("update %s: Bot API error %s: %s", number, type(error).__name__, error.description)
        except Exception:
            log.exception("update %s: serving it failed", number)

    async def _answer(self, query_id: str) -> None:
        try:
            await self._api.call("answerCallbackQuery", {"callback_query_id": query_id})
        except ApiError as error:
            # Too old or already answered: the spinner stops by itself, and the reply is sent anyway.
            log.debug("answerCallbackQuery failed: %s", error.description)

    # ---- out ---------------------------------------------------------------------------------------

    async def _send(self, chat_id: int, replies: list[Reply], *, pressed: int | None,
                    call: Callable[..., Awaitable[Any]] | None = None) -> None:
        """Send replies in order; after a button press, the first reply replaces the pressed message if it can.

        Answers wait out a short flood wait themselves; the outbox passes its own `call`, and schedules its own retry.
        """
        api = self._api
        _call = call or _wait_out_flood
        for index, reply in enumerate(replies):
            html = to_telegram_html(reply.text, rtl=self._rtl(reply.language))
            chunks = [chunk for chunk in split_telegram(html) if chunk.strip()]
            markup = reply_markup(reply)
            previews = {"is_disabled": not reply.link_preview}
            editable = (index == 0 and pressed is not None and len(chunks) == 1 and reply.location is None
                        and not reply.request_location and reply.document is None)
            if editable and await self._edit(chat_id, pressed, chunks[0], markup, previews):
                continue
            for number, chunk in enumerate(chunks, 1):
                await _call(api, "sendMessage", _without_none(
                    chat_id=chat_id, text=chunk, parse_mode="HTML", link_preview_options=previews,
                    reply_markup=markup if number == len(chunks) else None))
            if reply.location is not None and reply.location_title:
                # A venue: the pin with a name and an address under it.
                await _call(api, "sendVenue", _without_none(
                    chat_id=chat_id, latitude=reply.location.lat, longitude=reply.location.lon,
                    title=reply.location_title[:VENUE_TEXT],
                    address=(reply.location_address or reply.location_title)[:VENUE_TEXT],
                    reply_markup=None if chunks else markup))
            elif reply.location is not None:
                await _call(api, "sendLocation", _without_none(
                    chat_id=chat_id, latitude=reply.location.lat, longitude=reply.location.lon,
                    reply_markup=None if chunks else markup))
            elif not chunks and reply.document is None:
                log.warning("reply %d has neither text nor a location; nothing sent", index)
            if reply.document is not None:
                document = reply.document
                await _call(api, "sendDocument", _without_none(
                    chat_id=chat_id, reply_markup=None if chunks or reply.location is not None else markup),
                    files={"document": (document.name, document.data)})

    async def deliver(self, chat: str, reply: Reply, done: int = 0) -> Outcome:
        """Send one outbox message (a case, an answer) to a chat, reporting instead of raising; the first `done`
        Bot API calls it takes were made by an earlier attempt and are skipped."""
        calls = _Counted(skip=done)
        try:
            await self._send(int(chat), [reply], pressed=None, call=calls)
        except RetryAfter as error:
            return Outcome(Delivery.RETRY, error.retry_after, "flood control", parts=calls.sent)
        except Forbidden as error:
            return Outcome(Delivery.BLOCKED, error=error.description[:200], parts=calls.sent)
        except BadRequest as error:  # a malformed message stays malformed
            return Outcome(Delivery.FAILED, error=error.description[:200], parts=calls.sent)
        except NetworkError as error:  # timeouts, 5xx and connection failures
            return Outcome(Delivery.RETRY, error=type(error).__name__, parts=calls.sent)
        except InvalidToken as error:  # the token was revoked while running: an operator must act; try later
            return Outcome(Delivery.RETRY, error=f"token rejected: {error.description}"[:200], parts=calls.sent)
        except ValueError:
            return Outcome(Delivery.FAILED, error="not a Telegram chat id")
        return Outcome(Delivery.SENT, parts=calls.sent)

    async def _edit(self, chat_id: int, message_id: int, html: str, markup: dict | None, previews: dict) -> bool:
        """Replace the pressed message; False when it cannot be edited and a new message must be sent."""
        assert markup is None or "inline_keyboard" in markup, "an edited message takes inline buttons"
        try:
            await _wait_out_flood(self._api, "editMessageText", _without_none(
                text=html, chat_id=chat_id, message_id=message_id, parse_mode="HTML",
                link_preview_options=previews, reply_markup=markup))
        except BadRequest as error:
            if "message is not modified" in error.description.lower():
                return True  # the same screen pressed twice: it already shows what it should
            # Too old, deleted, or not the bot's text message: the answer still has to arrive.
            log.info("editing the pressed message failed (%s); sending a new one", error.description)
            return False
        return True


def to_incoming(update: dict) -> Incoming | None:
    """The update as the engine sees it, or None for what Putokaz does not serve (groups, edits, channels).

    Raises ValueError for a body that is not an Update: the fields Telegram always sends are checked
    (platform-facts A4), the rest is read defensively.
    """
    if not isinstance(update.get("update_id"), int):
        raise ValueError("update_id must be an integer")
    query = update.get("callback_query")
    message = update.get("message")
    if query is not None:
        _check(query, "callback_query", id=str, chat_instance=str)
        user = _user(query.get("from"), "callback_query.from")
        inside = query.get("message")
        if inside is not None:
            _message_shape(inside, "callback_query.message")
        chat = inside.get("chat") if isinstance(inside, dict) else None
        data = query.get("data")
        if chat is None or chat.get("type") != "private" or not isinstance(data, str) or not data:
            return None  # a press on an inline-mode message, or on a game: nothing Putokaz serves
        return Incoming(kind=Kind.ACTION, action=data, **_person(user))
    if message is None:
        return None  # edited messages, channel posts, chat member changes...
    _message_shape(message, "message")
    user = message.get("from")
    if user is None or message["chat"].get("type") != "private":
        return None
    person = _person(_user(user, "message.from"))
    location = message.get("location")
    if location is not None:
        _check(location, "message.location", latitude=(int, float), longitude=(int, float))
        return Incoming(kind=Kind.LOCATION, location=Location(float(location["latitude"]),
                                                              float(location["longitude"])), **person)
    text = message.get("text")
    if not isinstance(text, str):
        return Incoming(kind=Kind.OTHER, **person)  # sticker, photo, voice, document, contact...
    entities = message.get("entities")
    first = entities[0] if isinstance(entities, list) and entities and isinstance(entities[0], dict) else None
    if first is not None and first.get("type") == "bot_command" and first.get("offset") == 0 \
            and isinstance(first.get("length"), int):
        command = _utf16_slice(text, 0, first["length"])  # "/start" or "/start@fake_bot"
        argument = text[len(command):]
        return Incoming(kind=Kind.COMMAND, command=command[1:].partition("@")[0].lower(),
                        argument=sanitize(argument).strip(), **person)
    quoted = message.get("reply_to_message")
    replying_to = ""
    if isinstance(quoted, dict) and isinstance(quoted.get("from"), dict) and quoted["from"].get("is_bot") is True:
        replying_to = quoted.get("text") if isinstance(quoted.get("text"), str) else ""
    return Incoming(kind=Kind.TEXT, text=sanitize(text), replying_to=replying_to[:200], **person)


def _message_shape(message: Any, where: str) -> None:
    _check(message, where, message_id=int, date=int, chat=dict)
    _check(message["chat"], f"{where}.chat", id=int, type=str)


def _user(user: Any, where: str) -> dict:
    _check(user, where, id=int, is_bot=bool, first_name=str)
    return user


def _check(value: Any, where: str, **fields: type | tuple[type, ...]) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object, got {_json_type(value)}")
    for name, kind in fields.items():
        field = value.get(name)
        if not isinstance(field, kind) or (kind is int and isinstance(field, bool)):
            raise ValueError(f"{where}.{name} is missing or not {_json_type_name(kind)}")


def _person(user: dict) -> dict[str, Any]:
    hint = user.get("language_code")
    return {"channel": CHANNEL, "sender": str(user["id"]), "language_hint": hint if isinstance(hint, str) else None}


def _utf16_slice(text: str, offset: int, length: int) -> str:
    """Telegram counts entity offsets in UTF-16 code units (an emoji is two)."""
    return text.encode("utf-16-le")[offset * 2:(offset + length) * 2].decode("utf-16-le", "ignore")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _json_type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "an integer", float: "a number", str: "a string", bool: "a boolean", dict: "an object"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _without_none(**params: Any) -> dict[str, Any]:
    return {name: value for name, value in params.items() if value is not None}


class _Counted:
    """Makes each Bot API call once, skipping the first `skip` (made by an earlier attempt), and counts what is out,
    so a retried outbox message resumes after its last delivered part instead of repeating it."""

    def __init__(self, skip: int) -> None:
        self.sent = skip
        self._skip = skip
        self._made = 0

    async def __call__(self, api: BotApi, method: str, params: dict[str, Any], **options: Any) -> Any:
        self._made += 1
        if self._made <= self._skip:
            return None
        result = await api.call(method, params, **options)
        self.sent += 1
        return result


async def _wait_out_flood(api: BotApi, method: str, params: dict[str, Any], **options: Any) -> Any:
    """Make a Bot API call, sitting out one short flood wait (429 with retry_after)."""
    try:
        return await api.call(method, params, **options)
    except RetryAfter as error:
        if error.retry_after > MAX_FLOOD_WAIT:
            raise
        log.warning("Telegram flood control: retrying %s in %.0f s", method, error.retry_after)
        await asyncio.sleep(error.retry_after)
        return await api.call(method, params, **options)


def _keep_sdk_logs_private() -> None:
    """Keep PTB's DEBUG records out of every log.

    At DEBUG, PTB logs whole updates ("Processing update ...") and every Bot API call with its parameters,
    i.e. people's chat ids and words; Putokaz never logs either (SPEC: the adapter never logs the sender).
    """
    sdk = logging.getLogger("telegram")
    if sdk.level < logging.INFO:  # NOTSET (inherit) included
        sdk.setLevel(logging.INFO)
