"""`putokaz announce <event-id>`: queue an event for its subscribers and send it, with a progress bar.

Beside the server, not inside it: an operator announces from a shell, the running server may send the same queue at
the same time (each message is claimed once), and a stopped run is simply run again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import aiohttp
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from bot.app import announce_channels, build, rates
from bot.channels.telegram.adapter import TelegramChannel
from bot.channels.viber.adapter import ViberChannel
from bot.config import ConfigError, Settings
from bot.core.model import Reply
from bot.delivery import Sender
from bot.render import to_plain
from bot.storage.outbox import PENDING, SENDING

LOOK = 0.5  # seconds between looks at the progress


async def announce(settings: Settings, event_id: str, *, dry_run: bool, console: Console | None = None) -> int:
    console = console or Console()
    runtime = await build(settings, answering=False)
    session = aiohttp.ClientSession()
    channels: list = []
    try:
        events = {e.id: e for e in runtime.content().events()}
        event = events.get(event_id)
        if event is None:
            known = ", ".join(sorted(events)) or "none"
            raise ConfigError(f'no event "{event_id}" in {settings.content_dir}; the events are: {known}')
        if event.ends <= dt.datetime.now(dt.timezone.utc):
            raise ConfigError(f'event "{event_id}" ended on {event.ends.date().isoformat()}; nothing to announce')
        if event.example and not settings.example_events:
            raise ConfigError(f'event "{event_id}" is an example (example: true); it is announced only with '
                              "PUTOKAZ_EXAMPLE_EVENTS=true")

        async def nobody(incoming) -> list[Reply]:
            return []  # this process only sends; people's messages reach the server

        if settings.telegram_token:
            telegram = TelegramChannel(token=settings.telegram_token, handle=nobody, api_url=settings.telegram_api_url,
                                       session=session, rtl=runtime.translator.is_rtl)
            channels.append(telegram)
        if settings.viber_token:
            translator = runtime.translator
            channels.append(ViberChannel(token=settings.viber_token, handle=nobody, session=session,
                                         api_url=settings.viber_api_url, sender_name=settings.viber_name,
                                         rtl=translator.is_rtl, public_url=settings.public_url,
                                         more=lambda language: translator.messages(language).gettext("More…")))
        engine = runtime.engine
        engine.reachable = frozenset(c.name for c in channels)
        engine.announce_to = announce_channels(settings, engine.reachable)
        assert runtime.subscriptions is not None
        if dry_run:
            audience = await runtime.subscriptions.audience(event, channels=engine.announce_to)
            _show_audience(console, event_id, audience, engine.announce_to, runtime)
            return 0
        if not engine.announce_to:
            raise ConfigError("no channel to announce on: set PUTOKAZ_TELEGRAM_TOKEN (or PUTOKAZ_VIBER_TOKEN with "
                              "PUTOKAZ_VIBER_ANNOUNCEMENTS=true)")
        for channel in channels:
            if isinstance(channel, TelegramChannel):
                await channel.open()
        queued = await engine.announce(event)
        console.print(f"{event_id}: {queued} new subscriber(s) queued")

        async def unsubscribe(message) -> None:
            if message.recipient is not None and runtime.subscriptions is not None:
                await runtime.subscriptions.drop(message.recipient)

        sender = Sender(runtime.database.outbox, runtime.sealer, {c.name: c for c in channels},
                        rates=rates(settings), on_blocked=unsubscribe)
        sending = asyncio.create_task(sender.run(), name="announcement")
        try:
            counts = await _follow(console, runtime.database.outbox, f"ev:{event_id}")
        finally:
            await sender.stop(sending)
        console.print(f"{event_id}: {counts.get('sent', 0)} sent, {counts.get('failed', 0)} failed, "
                      f"{counts.get('blocked', 0)} blocked the bot (unsubscribed)")
        return 0
    finally:
        for channel in channels:
            if isinstance(channel, TelegramChannel):
                await channel.stop()
        await session.close()
        await runtime.close()


async def _follow(console: Console, outbox, announcement: str) -> dict[str, int]:
    """Show sent, failed and remaining until nothing is left to send; the final counts."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("sent {task.fields[sent]} · failed {task.fields[failed]} · remaining {task.fields[left]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(announcement, total=None, sent=0, failed=0, left="…")
        while True:
            counts = await outbox.progress(announcement)
            left = counts.get(PENDING, 0) + counts.get(SENDING, 0)
            done = sum(counts.values()) - left
            failed = counts.get("failed", 0) + counts.get("blocked", 0)
            progress.update(task, total=sum(counts.values()), completed=done, sent=counts.get("sent", 0),
                            failed=failed, left=left)
            if left == 0:
                return counts
            await asyncio.sleep(LOOK)


def _show_audience(console: Console, event_id: str, audience: Counter, channels: frozenset[str], runtime) -> None:
    table = Table(title=f"{event_id}: who would get it (nothing is sent)")
    for name in ("channel", "language", "subscribers"):
        table.add_column(name)
    for (channel, language), count in sorted(audience.items()):
        table.add_row(channel, language, str(count))
    console.print(table)
    console.print(f"{sum(audience.values())} subscriber(s) on {', '.join(sorted(channels)) or 'no channel'}")
    event = next(e for e in runtime.content().events() if e.id == event_id)
    for language in sorted({language for _, language in audience}) or ["en"]:
        console.rule(language)
        console.print(to_plain(runtime.engine.announcement(event, language).text), markup=False, highlight=False)
