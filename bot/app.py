"""The composition root: the one module that imports every layer and wires them into one aiohttp server."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy.engine import make_url

from bot import memory
from bot.channels.telegram.adapter import TelegramChannel
from bot.channels.telegram.api import ApiError as TelegramApiError
from bot.channels.telegram.api import InvalidToken as TelegramTokenRejected
from bot.channels.viber.adapter import ViberChannel
from bot.channels.web.adapter import WebChannel
from bot.config import ConfigError, Settings
from bot.content.cache import file_states, load_with_cache
from bot.core.engine import Engine
from bot.core.identity import Pseudonyms
from bot.core.ports import ContentIndex
from bot.delivery import Sender
from bot.i18n.detect import warm_up as warm_up_detection
from bot.i18n.po import CatalogError
from bot.i18n.translator import BabelTranslator
from bot.privacy.sealing import Sealer
from bot.storage import Database, database_url, open_database
from bot.storage.cases import SqlCases
from bot.storage.coordinators import SqlCoordinators
from bot.storage.database import ServingLock
from bot.storage.engine import stop_between
from bot.storage.questions import SqlQuestionLog
from bot.storage.statecache import CachedUserStore
from bot.storage.subscriptions import SqlSubscriptions

log = logging.getLogger("putokaz")
CASE_SCHEDULE_SECONDS = 60.0
RUNTIME: web.AppKey["Runtime"] = web.AppKey("runtime")


def announce_channels(settings: Settings, reachable: frozenset[str]) -> frozenset[str]:
    """Where event news go: every channel that can reach a person, Viber only when the network accepts its bill."""
    return frozenset(c for c in reachable if c != "viber" or settings.viber_announcements)


def rates(settings: Settings) -> dict[str, float]:
    """Announcements' pace per channel, messages a second."""
    return {"telegram": settings.telegram_rate, "viber": settings.viber_rate}


class StartupError(RuntimeError):
    """Content or catalogs have errors; the message lists them as file:line: message."""


@dataclass
class ContentHolder:
    """The content pack in use; a reload replaces `pack` between two updates."""

    root: Path
    cache_dir: Path | None = None  # where the loaded pack is kept between starts (bot.content.cache); None: never
    pack: ContentIndex | None = None
    on_reload: Callable[[], Awaitable[None]] | None = None  # after a reload took: announce new events
    # Held for a whole reload, the announcement of new events included: a SIGHUP waits for a watched reload instead of
    # racing it, and a stop waits for a reload under way (stop_between).
    reloading: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def load(self, today: dt.date) -> list[str]:
        pack, problems = load_with_cache(self.root, self.cache_dir, today=today)
        errors = [str(p) for p in problems if p.severity == "error"]
        if errors:
            raise StartupError("\n".join(errors))
        self.pack = pack
        return [str(p) for p in problems if p.severity != "error"]

    async def reload(self, today: dt.date) -> bool:
        """Load the folder again, validating first; on errors log them and keep serving the old pack."""
        loop = asyncio.get_running_loop()
        async with self.reloading:
            try:
                # Parsing a few hundred files takes a moment: off the event loop, so updates keep flowing.
                await loop.run_in_executor(None, self.load, today)
            except StartupError as error:
                for line in str(error).splitlines():
                    log.error("content reload refused, still serving the previous content: %s", line)
                return False
            log.info("content reloaded from %s", self.root)
            memory.refreeze()
            if self.on_reload is not None:
                try:
                    await self.on_reload()
                except Exception:
                    log.exception("announcing the reloaded content's new events failed; the schedule tries again")
        return True

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Every file under the folder with its modification time and size: what a save changes."""
        return file_states(self.root)

    async def watch(self, interval: float) -> None:
        """Reload whenever a file is added, changed or removed; look every `interval` seconds, off the loop."""
        loop = asyncio.get_running_loop()
        seen = await loop.run_in_executor(None, self.fingerprint)
        while True:
            await asyncio.sleep(interval)
            now = await loop.run_in_executor(None, self.fingerprint)
            if now != seen:
                seen = now
                # A refused edit is not retried until the next save: the log already says what to fix.
                await self.reload(dt.date.today())

    def __call__(self) -> ContentIndex:
        assert self.pack is not None, "content is loaded before the engine answers"
        return self.pack


@dataclass
class Runtime:
    """Everything a running Putokaz holds, so the CLI's `chat` and the server share one wiring."""

    settings: Settings
    database: Database
    content: ContentHolder
    translator: BabelTranslator
    engine: Engine
    sealer: Sealer
    subscriptions: SqlSubscriptions | None = None
    state: CachedUserStore | None = None  # people's state in memory (PUTOKAZ_STATE_CACHE), written behind
    questions: SqlQuestionLog | None = None  # the question log, which may hold questions still to be written
    # Set when something was queued for the sender (a case opened, an answer written): it sends at once.
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    channels: list = field(default_factory=list)
    sender: Sender | None = None

    async def close(self) -> None:
        try:
            if self.state is not None:
                await self.state.close()  # what is pending reaches the database before it closes
            if self.questions is not None:
                await self.questions.close()
        finally:
            await self.database.close()


async def build(settings: Settings, *, answering: bool = True, server: bool = False) -> Runtime:
    """Open the database, load content and catalogs, and make the engine; `answering=False` (a process that only
    sends, like `putokaz announce`) skips loading the language-detection models people's questions need.

    `server`: this is the process that serves people (create_app); with PUTOKAZ_STATE_CACHE on it is the database's
    only server (serve() claims the file), which lets it number questions and know coordinators without asking."""
    # The language models load now, not on somebody's first question; in a thread, beside the content and the
    # catalogs (measured: the restart to /healthz went from about 1.9 s to 1.65 s with this and the catalog cache).
    loop = asyncio.get_running_loop()
    detection = loop.run_in_executor(None, warm_up_detection) if answering else None
    try:
        content = ContentHolder(settings.content_dir, cache_dir=settings.data_dir)
        for warning in content.load(dt.date.today()):
            log.debug("content: %s", warning)
        try:
            translator = BabelTranslator(settings.locales_dir, cache_dir=settings.data_dir)
        except CatalogError as error:
            raise StartupError(str(error)) from None
    finally:
        if detection is not None:
            await detection
    # Dates, hours and names in every UI language come from CLDR, which babel reads on first use: now, in a thread
    # while the database opens, so that the server can freeze it with the rest of what it loaded (serve()).
    cldr = loop.run_in_executor(None, translator.load_cldr) if answering else None
    try:
        secret_key = settings.load_secret_key()
        database = await open_database(database_url(settings.database_url, settings.data_dir))
    finally:
        if cldr is not None:
            await cldr
    pseudonyms = Pseudonyms(secret_key)
    sealer = Sealer(secret_key)
    sole_server = server and settings.state_cache > 0
    coordinators = SqlCoordinators(database.engine, pseudonyms, sealer, sole_server=sole_server)
    questions = SqlQuestionLog(database.engine, sole_server=sole_server)
    await questions.open()
    subscriptions = SqlSubscriptions(database.engine, sealer)
    wake = asyncio.Event()
    state = CachedUserStore(database.users, capacity=settings.state_cache) if settings.state_cache else None
    engine = Engine(users=state or database.users, content=content, translator=translator, pseudonyms=pseudonyms,
                    questions=questions, coordinators=coordinators,
                    cases=SqlCases(database.engine, sealer, queued=wake.set), subscriptions=subscriptions,
                    example_events=settings.example_events)
    return Runtime(settings=settings, database=database, content=content, translator=translator, engine=engine,
                   sealer=sealer, subscriptions=subscriptions, wake=wake, state=state, questions=questions)


async def create_app(settings: Settings) -> web.Application:
    """The aiohttp application: web chat, Telegram webhook, /healthz; everything loaded before it listens."""
    services = await build(settings, server=True)
    app = web.Application(client_max_size=1024 * 1024)
    app[RUNTIME] = services
    session = aiohttp.ClientSession()
    engine = services.engine

    handle = engine.handle
    services.channels.append(WebChannel(handle=handle, rtl=services.translator.is_rtl))
    if settings.telegram_token:
        services.channels.append(TelegramChannel(
            token=settings.telegram_token, handle=handle, api_url=settings.telegram_api_url,
            webhook_url=settings.telegram_webhook_url, webhook_secret=settings.telegram_webhook_secret,
            session=session, rtl=services.translator.is_rtl))
    if settings.viber_token:
        translator = services.translator

        def more(language: str) -> str:
            # The button that turns to the next rows of a keyboard longer than Viber's 12.
            return translator.messages(language).gettext("More…")

        services.channels.append(ViberChannel(
            token=settings.viber_token, handle=handle, session=session, api_url=settings.viber_api_url,
            sender_name=settings.viber_name, rtl=translator.is_rtl, more=more, public_url=settings.public_url))
    for channel in services.channels:
        app.router.add_routes(channel.routes())
    # Channels that can reach a chat on their own (not the web chat, which only answers requests) drain the outbox.
    deliverers = {channel.name: channel for channel in services.channels if hasattr(channel, "deliver")}
    engine.reachable = frozenset(deliverers)
    engine.announce_to = announce_channels(settings, engine.reachable)

    async def refugee_unreachable(message) -> None:
        if message.purpose == "refugee" and message.case_id is not None:
            await engine.case_undeliverable(message.case_id)
        if message.recipient is not None and services.subscriptions is not None:
            # Blocked the bot, or left it on Viber: no more news for them.
            await services.subscriptions.drop(message.recipient)

    services.sender = Sender(services.database.outbox, services.sealer, deliverers, on_blocked=refugee_unreachable,
                             rates=rates(settings), wake=services.wake)
    for channel in services.channels:
        if hasattr(channel, "attach"):
            channel.attach(services.sender)
    started: list = []
    background: list[tuple[asyncio.Task, asyncio.Lock]] = []  # each with the lock it holds while it works
    tending, preloading = asyncio.Lock(), asyncio.Lock()

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "channels": [type(c).__name__ for c in started]})

    app.router.add_get("/healthz", healthz)

    async def calendar(request: web.Request) -> web.Response:
        """An event's .ics, for channels that send a link to the file (Viber, the web chat)."""
        event_id = request.match_info["event"]
        event = engine.event(event_id)  # what the chat shows: no ended events, no hidden examples
        if event is None:
            return web.json_response({"error": f"no event {event_id!r}"}, status=404)
        language = services.translator.resolve(request.query.get("lang")) or "en"
        return web.Response(body=engine.calendar(event, language), content_type="text/calendar", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{event.id}.ics"',
                                     "Cache-Control": "no-cache"})

    app.router.add_get("/events/{event}.ics", calendar)

    async def tend_cases() -> None:
        remind = dt.timedelta(hours=settings.case_remind_hours)
        while True:
            try:
                async with tending:  # stop() waits for a round under way (stop_between)
                    done = await engine.tend_cases(remind=remind, urgent_remind=remind / 4,
                                                   idle=dt.timedelta(days=settings.case_idle_days),
                                                   purge=dt.timedelta(days=settings.case_purge_days))
                    if any(done.values()):
                        log.info("cases: %s", ", ".join(f"{count} {what}" for what, count in done.items() if count))
                        services.sender.wake.set()
                    await announce_events()
                    reminded = await engine.send_reminders()
                    if reminded:
                        log.info("events: %d reminder(s) queued", reminded)
                        services.sender.wake.set()
                    # Sent messages are kept as long as closed cases' addresses, for delivery reports, then go.
                    await services.database.outbox.prune(
                        dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=settings.case_purge_days))
            except Exception:
                log.exception("the case schedule failed; trying again in a minute")
            await asyncio.sleep(CASE_SCHEDULE_SECONDS)

    async def announce_events() -> None:
        """Tell subscribers of events editors added (at start, and after each content reload)."""
        for event_id, count in (await engine.announce_new_events()).items():
            log.info("event %s announced: %d subscriber(s) queued", event_id, count)
            services.sender.wake.set()

    services.content.on_reload = announce_events

    async def remember_people(state: CachedUserStore) -> None:
        async with preloading:
            try:
                read = await state.preload()
                if read:
                    log.info("read %d people's state back into memory", read)
            except Exception:
                log.exception("reading people's state back into memory failed; each is read on their next update")

    def run_in_background(work: Awaitable[None], name: str, busy: asyncio.Lock) -> None:
        background.append((asyncio.create_task(work, name=name), busy))

    async def start_channels(app: web.Application) -> None:
        if services.state is not None:
            services.state.start()  # people's state is written a moment after each reply, in batches
            # This server is the database's only one (serve() claims it): it may know everyone (bot.storage.statecache)
            run_in_background(remember_people(services.state), "state preload", preloading)
        run_in_background(services.sender.run(), "outbox sender", services.sender.working)
        run_in_background(tend_cases(), "case schedule", tending)
        if settings.content_watch > 0:
            run_in_background(services.content.watch(settings.content_watch), "content watch",
                              services.content.reloading)
        try:
            for channel in services.channels:
                if hasattr(channel, "start"):
                    await channel.start()
                started.append(channel)
        except BaseException:
            # aiohttp runs no cleanup for an app that failed to start: close what is open here.
            await stop_everything(app)
            raise
        log.info("Putokaz ready: %s", ", ".join(type(c).__name__ for c in started))

    async def stop_everything(app: web.Application) -> None:
        # Each stops between two rounds of its work, never inside a database call (stop_between says why).
        await asyncio.gather(*(stop_between(task, busy) for task, busy in background))
        # Channels first, so updates in flight are answered while the database is still open.
        for channel in reversed(started):
            if hasattr(channel, "stop"):
                try:
                    await channel.stop()
                except Exception:
                    log.exception("stopping %s failed", type(channel).__name__)
        await session.close()
        await services.close()

    app.on_startup.append(start_channels)
    app.on_cleanup.append(stop_everything)
    return app


async def serve(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Serve until SIGTERM or SIGINT, then finish in-flight updates and close the database."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not a Unix loop
            pass
    serving = _claim_database(settings)  # before anything opens, so a refusal leaves nothing half-started
    try:
        app = await create_app(settings)
    except BaseException:
        if serving is not None:
            serving.release()
        raise
    content = app[RUNTIME].content
    reloads: set[asyncio.Task] = set()

    def reload_content() -> None:
        task = asyncio.ensure_future(content.reload(dt.date.today()))
        reloads.add(task)  # keep a reference until done, as asyncio asks
        task.add_done_callback(reloads.discard)

    try:
        # Editors change content while the bot runs: `kill -HUP <pid>` picks it up without a restart.
        loop.add_signal_handler(signal.SIGHUP, reload_content)
    except (NotImplementedError, RuntimeError):
        pass
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    try:
        try:
            await runner.setup()  # the channels start here: getMe, setWebhook
        except BaseException as error:
            await runner.cleanup()  # closes what was opened, the database and the HTTP session too
            if isinstance(error, TelegramTokenRejected):
                raise ConfigError(f"PUTOKAZ_TELEGRAM_TOKEN: {error}; give the token @BotFather gave") from None
            if isinstance(error, TelegramApiError):
                raise StartupError(f"PUTOKAZ_TELEGRAM_API_URL: the Bot API at {settings.telegram_api_url} "
                                   f"did not answer as expected: {error}") from None
            raise
        memory.freeze_loaded()  # everything is loaded: the collector need not walk it again (bot.memory)
        try:
            site = web.TCPSite(runner, settings.host, settings.port, shutdown_timeout=30)
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise ConfigError(f"PUTOKAZ_PORT {settings.port} on PUTOKAZ_HOST {settings.host} "
                              f"cannot be used: {error.strerror}") from None
        log.info("listening on http://%s:%s", settings.host, settings.port)
        try:
            await stop.wait()
        finally:
            log.info("stopping: finishing updates in flight")
            await runner.cleanup()
    finally:
        if serving is not None:
            serving.release()


def _claim_database(settings: Settings) -> ServingLock | None:
    """Make sure no two processes serve one SQLite file while one of them keeps people's state in memory."""
    url = make_url(database_url(settings.database_url, settings.data_dir))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    claim = ServingLock(url.database)
    if not claim.claim(alone=settings.state_cache > 0):
        raise ConfigError(f"PUTOKAZ_STATE_CACHE is {settings.state_cache}, but another process already serves "
                          f"{url.database}, and with people's state in memory two processes would disagree: stop "
                          "the other one, or set PUTOKAZ_STATE_CACHE=0 in every process that serves this database.")
    return claim
