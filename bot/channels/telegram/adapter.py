"""Telegram: updates in through a webhook route (or long polling), the engine's replies out as Bot API calls.

The adapter holds a python-telegram-bot `Application` (it is not one). It turns an Update into a
channel-neutral `Incoming`, hands it to the engine's `handle`, and renders the `Reply` objects with
`bot.render` as Telegram HTML.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, TypeHandler

from bot.channels.telegram.keyboards import reply_markup
from bot.channels.telegram.request import AiohttpRequest
from bot.core.engine import Handle
from bot.core.model import Delivery, Incoming, Kind, Location, Outcome, Reply
from bot.render import sanitize, split_telegram, to_telegram_html

log = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# Telegram's rule for setWebhook's secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# How long one getUpdates waits for news; PTB adds it to the request's read timeout below.
POLL_TIMEOUT = dt.timedelta(seconds=30)
POLL_READ_MARGIN = 10.0
# A flood wait up to this long is sat out and the call made once more; a longer one drops the rest of the answer.
MAX_FLOOD_WAIT = 30.0
# A venue pin shows its title and address in one or two lines; longer text only crowds the map card.
VENUE_TEXT = 200


class TelegramChannel:
    """One Telegram bot, in webhook mode (a `webhook_url` is given) or long-polling mode.

    Lifecycle inside an aiohttp app: mount `routes()` before the app starts, `await start()` in on_startup,
    `await stop()` in on_cleanup (the site no longer accepts requests then), before the shared session closes.
    """

    name = CHANNEL

    def __init__(self, *, token: str, handle: Handle, api_url: str = "https://api.telegram.org/bot",
                 webhook_url: str | None = None, webhook_secret: str | None = None,
                 session: aiohttp.ClientSession, rtl: Callable[[str], bool]) -> None:
        if webhook_secret is not None and not _SECRET.fullmatch(webhook_secret):
            # The value is a secret: name its shape, never echo it.
            raise ValueError(f"the Telegram webhook secret must be 1-256 characters from A-Z, a-z, 0-9, _ and -, "
                             f"got {len(webhook_secret)} characters")
        self._handle = handle
        self._rtl = rtl
        self._api_url = api_url
        self._webhook_url = webhook_url or None
        self._secret = webhook_secret
        _keep_sdk_logs_private()
        builder = (Application.builder().token(token).base_url(api_url)
                   .request(AiohttpRequest(session))
                   .get_updates_request(AiohttpRequest(session, read_timeout=POLL_READ_MARGIN))
                   # People are served side by side; the engine orders one person's updates itself.
                   .concurrent_updates(True))
        if self._webhook_url is not None:
            builder = builder.updater(None)
        self._application = builder.build()
        self._application.add_handler(TypeHandler(Update, self._on_update))

    def routes(self) -> list[web.RouteDef]:
        """The webhook route in webhook mode; nothing when polling."""
        return [web.post(WEBHOOK_PATH, self._webhook)] if self._webhook_url is not None else []

    async def start(self) -> None:
        """Check the token (getMe), start serving, and tell Telegram where updates go."""
        application = self._application
        try:
            try:
                await application.initialize()
            except InvalidToken:
                # PTB's own message quotes the token; this one must be safe to log.
                raise InvalidToken(f"the Telegram bot token was rejected by the Bot API at {self._api_url}") from None
            await application.start()
            if self._webhook_url is not None:
                await application.bot.set_webhook(url=self._webhook_url, secret_token=self._secret,
                                                  allowed_updates=ALLOWED_UPDATES)
            else:
                # start_polling calls deleteWebhook first: Telegram serves no getUpdates while a webhook is set.
                await application.updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
        except BaseException:
            await self.stop()
            raise

    async def open(self) -> None:
        """Only send (an announcement from the command line): check the token, take no updates."""
        try:
            await self._application.initialize()
        except InvalidToken:
            raise InvalidToken(f"the Telegram bot token was rejected by the Bot API at {self._api_url}") from None

    async def stop(self) -> None:
        """Stop polling, answer every update already received, then release PTB's resources. Idempotent."""
        application = self._application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()  # waits for the update queue and the updates in flight
        await application.shutdown()

    # ---- in ----------------------------------------------------------------------------------------

    async def _webhook(self, request: web.Request) -> web.Response:
        """Accept one Update from Telegram and answer at once; the update is served in the background."""
        if self._secret is not None:
            given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
            # compare in constant time, so the secret cannot be guessed byte by byte from response times
            if not hmac.compare_digest(given, self._secret.encode()):
                return web.json_response({"error": f"missing or wrong {SECRET_HEADER}"}, status=403)
        if not self._application.running:
            # Telegram redelivers after a 5xx; an update queued now would never be served.
            return web.json_response({"error": "the Telegram channel is not running"}, status=503)
        try:
            data = json.loads(await request.read())
        except (ValueError, RecursionError):
            return web.json_response({"error": "the body is not JSON"}, status=400)
        if not isinstance(data, dict):
            return web.json_response({"error": f"the body must be a JSON object (an Update), got "
                                               f"{type(data).__name__}"}, status=400)
        try:
            update = Update.de_json(data, self._application.bot)
        except Exception as error:  # untrusted input: whatever PTB trips over, it is not a valid Update
            return web.json_response({"error": f"the body is not a Telegram Update ({type(error).__name__})"},
                                     status=400)
        await self._application.update_queue.put(update)
        return web.Response()

    async def _on_update(self, update: Update, context: Any) -> None:
        """Serve one update; nothing escapes to PTB, and nothing a person sent or is goes into the log."""
        try:
            await self._serve(update)
        except Forbidden as error:
            log.info("update %s: Telegram refused delivery: %s", update.update_id, error.message)
        except TelegramError as error:
            log.warning("update %s: Bot API error %s: %s", update.update_id, type(error).__name__, error.message)
        except Exception:
            log.exception("update %s: serving it failed", update.update_id)

    async def _serve(self, update: Update) -> None:
        query = update.callback_query
        # Answer a press at once (even a stale one) so the button stops spinning, while the engine works.
        answering = asyncio.ensure_future(_answer(query)) if query is not None else None
        try:
            incoming = to_incoming(update)
            if incoming is None:
                return
            replies = await self._handle(incoming)
            chat = update.effective_chat
            assert chat is not None, "to_incoming serves private chats only"
            pressed = query.message.message_id if query is not None and isinstance(query.message, Message) else None
            await self._send(chat.id, replies, pressed=pressed)
        finally:
            if answering is not None:
                await answering

    # ---- out ---------------------------------------------------------------------------------------

    async def _send(self, chat_id: int, replies: list[Reply], *, pressed: int | None,
                    call: Callable[..., Awaitable[Any]] | None = None) -> None:
        """Send replies in order; after a button press, the first reply replaces the pressed message if it can.

        Answers wait out a short flood wait themselves; the outbox passes its own `call`, and schedules its own retry.
        """
        bot = self._application.bot
        _call = call or _wait_out_flood
        for index, reply in enumerate(replies):
            html = to_telegram_html(reply.text, rtl=self._rtl(reply.language))
            chunks = [chunk for chunk in split_telegram(html) if chunk.strip()]
            markup = reply_markup(reply)
            previews = LinkPreviewOptions(is_disabled=not reply.link_preview)
            editable = (index == 0 and pressed is not None and len(chunks) == 1 and reply.location is None
                        and not reply.request_location and reply.document is None)
            if editable and await self._edit(chat_id, pressed, chunks[0], markup, previews):
                continue
            for number, chunk in enumerate(chunks, 1):
                await _call(bot.send_message, chat_id=chat_id, text=chunk, parse_mode=ParseMode.HTML,
                            link_preview_options=previews, reply_markup=markup if number == len(chunks) else None)
            if reply.location is not None and reply.location_title:
                # A venue: the pin with a name and an address under it.
                await _call(bot.send_venue, chat_id=chat_id, latitude=reply.location.lat,
                            longitude=reply.location.lon, title=reply.location_title[:VENUE_TEXT],
                            address=(reply.location_address or reply.location_title)[:VENUE_TEXT],
                            reply_markup=None if chunks else markup)
            elif reply.location is not None:
                await _call(bot.send_location, chat_id=chat_id, latitude=reply.location.lat,
                            longitude=reply.location.lon, reply_markup=None if chunks else markup)
            elif not chunks and reply.document is None:
                log.warning("reply %d has neither text nor a location; nothing sent", index)
            if reply.document is not None:
                document = reply.document
                await _call(bot.send_document, chat_id=chat_id,
                            document=InputFile(document.data, filename=document.name),
                            reply_markup=None if chunks or reply.location is not None else markup)

    async def deliver(self, chat: str, reply: Reply, done: int = 0) -> Outcome:
        """Send one outbox message (a case, an answer) to a chat, reporting instead of raising; the first `done`
        Bot API calls it takes were made by an earlier attempt and are skipped."""
        calls = _Counted(skip=done)
        try:
            await self._send(int(chat), [reply], pressed=None, call=calls)
        except RetryAfter as error:
            return Outcome(Delivery.RETRY, _seconds(error), "flood control", parts=calls.sent)
        except Forbidden as error:
            return Outcome(Delivery.BLOCKED, error=error.message[:200], parts=calls.sent)
        except BadRequest as error:  # before NetworkError, its base class: a malformed message stays malformed
            return Outcome(Delivery.FAILED, error=error.message[:200], parts=calls.sent)
        except (TimedOut, NetworkError) as error:  # timeouts, 5xx and connection failures
            return Outcome(Delivery.RETRY, error=type(error).__name__, parts=calls.sent)
        except ValueError:
            return Outcome(Delivery.FAILED, error="not a Telegram chat id")
        return Outcome(Delivery.SENT, parts=calls.sent)

    async def _edit(self, chat_id: int, message_id: int, html: str, markup: Any,
                    previews: LinkPreviewOptions) -> bool:
        """Replace the pressed message; False when it cannot be edited and a new message must be sent."""
        assert markup is None or isinstance(markup, InlineKeyboardMarkup), "an edited message takes inline buttons"
        try:
            await _wait_out_flood(self._application.bot.edit_message_text, text=html, chat_id=chat_id, message_id=message_id,
                        parse_mode=ParseMode.HTML, link_preview_options=previews, reply_markup=markup)
        except BadRequest as error:
            if "message is not modified" in error.message.lower():
                return True  # the same screen pressed twice: it already shows what it should
            # Too old, deleted, or not the bot's text message: the answer still has to arrive.
            log.info("editing the pressed message failed (%s); sending a new one", error.message)
            return False
        return True


def to_incoming(update: Update) -> Incoming | None:
    """The update as the engine sees it, or None for what Putokaz does not serve (groups, edits, channels)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    person = {"channel": CHANNEL, "sender": str(user.id), "language_hint": user.language_code}
    if update.callback_query is not None:
        data = update.callback_query.data
        return Incoming(kind=Kind.ACTION, action=data, **person) if data else None
    message = update.message
    if message is None:
        return None
    if message.location is not None:
        return Incoming(kind=Kind.LOCATION, location=Location(message.location.latitude,
                                                              message.location.longitude), **person)
    if message.text is None:
        return Incoming(kind=Kind.OTHER, **person)  # sticker, photo, voice, document, contact...
    first = message.entities[0] if message.entities else None
    if first is not None and first.type == MessageEntity.BOT_COMMAND and first.offset == 0:
        command = message.parse_entity(first)  # "/start" or "/start@fake_bot"; the entity counts UTF-16 units
        argument = message.text[len(command):]
        return Incoming(kind=Kind.COMMAND, command=command[1:].partition("@")[0].lower(),
                        argument=sanitize(argument).strip(), **person)
    quoted = message.reply_to_message
    replying_to = quoted.text or "" if quoted is not None and quoted.from_user is not None and quoted.from_user.is_bot \
        else ""
    return Incoming(kind=Kind.TEXT, text=sanitize(message.text), replying_to=replying_to[:200], **person)


async def _answer(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError as error:
        # Too old or already answered: the spinner stops by itself, and the reply is sent anyway.
        log.debug("answerCallbackQuery failed: %s", error.message)


class _Counted:
    """Makes each Bot API call once, skipping the first `skip` (made by an earlier attempt), and counts what is out,
    so a retried outbox message resumes after its last delivered part instead of repeating it."""

    def __init__(self, skip: int) -> None:
        self.sent = skip
        self._skip = skip
        self._made = 0

    async def __call__(self, method: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
        self._made += 1
        if self._made <= self._skip:
            return None
        result = await method(**kwargs)
        self.sent += 1
        return result


async def _wait_out_flood(method: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
    """Make a Bot API call, sitting out one short flood wait (429 with retry_after)."""
    try:
        return await method(**kwargs)
    except RetryAfter as error:
        wait = _seconds(error)
        if wait > MAX_FLOOD_WAIT:
            raise
        log.warning("Telegram flood control: retrying %s in %.0f s", getattr(method, "__name__", "a call"), wait)
        await asyncio.sleep(wait)
        return await method(**kwargs)


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that retry_after becomes a timedelta
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _keep_sdk_logs_private() -> None:
    """Keep PTB's DEBUG records out of every log.

    At DEBUG, PTB logs whole updates ("Processing update ...") and every Bot API call with its parameters,
    i.e. people's chat ids and words; Putokaz never logs either (SPEC: the adapter never logs the sender).
    """
    sdk = logging.getLogger("telegram")
    if sdk.level < logging.INFO:  # NOTSET (inherit) included
        sdk.setLevel(logging.INFO)
