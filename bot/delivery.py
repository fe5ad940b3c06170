"""The sender: drains the outbox through the channels, with retries and backoff, losing nothing.

A message is claimed (pending -> sending) before the channel is called and settled after: sent, retried later
(flood control honours retry_after; timeouts and server errors back off 2, 4, 8 ... seconds up to 10 minutes),
blocked (the person blocked the bot: never again, and whoever waits is told by `on_blocked`) or failed. A crash
between claim and settle leaves the row "sending"; `run` puts it back to pending at start, so it is sent again
rather than never.

Chats are served side by side (up to `CONCURRENT_CHATS` at once), and each chat's messages one after another in
the order they were queued: a retried message holds back the ones queued after it for the same chat, so a person
never reads an answer before the question it follows.

Announcements are a bulk lane: taken only after what people wait for now, a few at a time, and paced to each
channel's rate (Telegram allows about 30 messages a second to different chats and 1 a second to one chat); a flood
wait (429) holds the channel's whole lane back for as long as Telegram asks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol

from bot.core.model import Delivery, Outcome, Reply
from bot.privacy.sealing import Sealer, SealError
from bot.storage.engine import stop_between
from bot.storage.outbox import BLOCKED, FAILED, PENDING, SENT, Message, SqlOutbox

log = logging.getLogger(__name__)

MAX_BACKOFF = 600.0
IDLE = 1.0  # seconds between looks when nobody wakes the sender
CONCURRENT_CHATS = 32
BATCH = 200
BULK_WINDOW = 64  # announcements taken at once: a couple of seconds' worth, so the loop stays light
SAME_CHAT_GAP = 1.0  # seconds between two announcements to one chat (Telegram's 1 message a second a chat)
REPLY = "reply"  # the sealing purpose of an answer queued by a channel that cannot answer in its webhook's response


class Deliverer(Protocol):
    async def deliver(self, chat: str, reply: Reply, done: int = 0) -> Outcome:
        """Send one reply to a chat, skipping the first `done` messages it became (an earlier attempt sent them),
        and say how it went; never raises for the channel's own errors."""


Clock = Callable[[], dt.datetime]
Callback = Callable[[Message], Awaitable[None]]


class Pace:
    """At most `rate` messages a second, evenly spaced; `hold` keeps everything back for a while (a flood wait)."""

    def __init__(self, rate: float) -> None:
        if not rate > 0:
            raise ValueError(f"a sending rate must be more than 0 messages a second, got {rate}")
        self.interval = 1.0 / rate
        self._next = 0.0

    def reserve(self) -> float:
        """Take the next free slot; the seconds to wait for it."""
        now = time.monotonic()
        slot = max(now, self._next)
        self._next = slot + self.interval
        return slot - now

    def hold(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


class Sender:
    def __init__(self, outbox: SqlOutbox, sealer: Sealer, channels: Mapping[str, Deliverer], *,
                 clock: Clock = lambda: dt.datetime.now(dt.timezone.utc),
                 on_blocked: Callback | None = None, rates: Mapping[str, float] | None = None,
                 wake: asyncio.Event | None = None) -> None:
        self._outbox = outbox
        self._sealer = sealer
        self._channels = channels
        self._clock = clock
        self._on_blocked = on_blocked
        self._busy: set[str] = set()  # chats with a send in flight
        self._running: set[asyncio.Task] = set()
        self._slots = asyncio.Semaphore(CONCURRENT_CHATS)
        self._paces = {name: Pace(rate) for name, rate in (rates or {}).items()}
        self._bulk_running = 0
        self.wake = wake or asyncio.Event()  # set it when something was queued, and the sender looks at once
        # Held while run() works on the outbox: stop() cancels it only between rounds (bot.storage.engine.stop_between)
        self.working = asyncio.Lock()

    async def queue(self, channel: str, chat: str, replies: Sequence[Reply]) -> None:
        """Queue a channel's answers to a chat (sealed, in order) and wake the sender."""
        if not replies:
            return
        address = self._sealer.seal(f"{channel}:{chat}", REPLY)
        await self._outbox.add(channel=channel, address=address, purpose=REPLY, replies=replies, now=self._clock())
        self.wake.set()

    async def run(self) -> None:
        """Send what is due, and again whenever woken; stop it with stop()."""
        async with self.working:
            recovered = await self._outbox.recover()
        if recovered:
            log.warning("outbox: %d message(s) caught mid-send by a stop are sent again", recovered)
        try:
            while True:
                try:
                    async with self.working:
                        await self.dispatch()
                except Exception:
                    log.exception("outbox: draining failed; trying again shortly")
                self.wake.clear()
                try:
                    # Not asyncio.wait_for: on Python 3.11 it can swallow a cancellation that arrives as the event
                    # is set (the wake-ups are frequent now), and the sender would never stop.
                    async with asyncio.timeout(IDLE):
                        await self.wake.wait()
                except TimeoutError:
                    pass
        finally:
            # Let sends in flight settle, so a clean stop leaves nothing "sending" to be sent twice.
            if self._running:
                await asyncio.wait(self._running, timeout=10)

    async def stop(self, running: asyncio.Task) -> None:
        """Stop `running` (this sender's run()) between two rounds, after the sends in flight settle."""
        await stop_between(running, self.working)

    async def drain(self) -> int:
        """Send every message that is due now and wait for them; the number sent."""
        tasks = await self.dispatch()
        return sum(await asyncio.gather(*tasks)) if tasks else 0

    async def dispatch(self) -> list[asyncio.Task]:
        """Start sending what is due, one task per chat that has nothing in flight; the tasks started."""
        started = []
        for bulk in (False, True):
            room = BULK_WINDOW - self._bulk_running if bulk else BATCH
            if room <= 0:
                continue
            for key, messages in (await self._due(bulk=bulk, limit=room)).items():
                self._busy.add(key)
                task = asyncio.create_task(self._send_chat(key, messages), name="outbox chat")
                if bulk:
                    self._bulk_running += 1
                self._running.add(task)
                task.add_done_callback(self._done(key, bulk))
                started.append(task)
        return started

    def _done(self, key: str, bulk: bool) -> Callable[[asyncio.Task], None]:
        def done(task: asyncio.Task) -> None:
            self._running.discard(task)
            self._busy.discard(key)
            if bulk:
                self._bulk_running -= 1
            self.wake.set()  # more may have been queued for this chat meanwhile
        return done

    async def _due(self, *, bulk: bool, limit: int) -> dict[str, list[tuple[Message, str]]]:
        """Due messages by chat, oldest first, leaving out chats with a send in flight."""
        now = self._clock()
        chats: dict[str, list[tuple[Message, str]]] = {}
        for message in await self._outbox.due(now, limit=limit, bulk=bulk):
            try:
                address = self._sealer.open(message.address, message.purpose)
            except SealError:
                await self._outbox.settle(message.id, FAILED, now, error="the address cannot be opened with this key")
                log.error("outbox message %d: the sealed address does not open with PUTOKAZ_SECRET_KEY", message.id)
                continue
            if address not in self._busy:
                chats.setdefault(address, []).append((message, address.partition(":")[2]))
        return chats

    async def _send_chat(self, key: str, messages: list[tuple[Message, str]]) -> int:
        sent = 0
        async with self._slots:
            for index, (message, chat) in enumerate(messages):
                if not await self._outbox.claim(message.id):
                    continue  # another sender took it
                pace = self._paces.get(message.channel) if message.announcement else None
                if pace is not None:
                    # Claimed first, so the next look at the lane finds the messages after this one.
                    await asyncio.sleep(pace.reserve() + (SAME_CHAT_GAP if index else 0.0))
                outcome = await self._send(message, chat)
                if pace is not None and outcome is not None and outcome.delivery is Delivery.RETRY and outcome.wait:
                    pace.hold(outcome.wait)  # Telegram's flood wait is for the whole bot
                if outcome is None:
                    return sent
                if outcome.delivery is Delivery.SENT:
                    sent += 1
                elif outcome.delivery is Delivery.RETRY:
                    # The rest wait with it, so they cannot overtake it.
                    retry_at = self._clock() + dt.timedelta(seconds=self._backoff(message, outcome))
                    for later, _ in messages[index + 1:]:
                        await self._outbox.settle(later.id, PENDING, self._clock(), retry_at=retry_at,
                                                  error="waiting for an earlier message")
                    return sent
                elif outcome.delivery is Delivery.BLOCKED:
                    for later, _ in messages[index + 1:]:
                        if await self._outbox.claim(later.id):
                            await self._settle_blocked(later, outcome.error)
                    return sent
        return sent

    async def _send(self, message: Message, chat: str) -> Outcome | None:
        now = self._clock()
        channel = self._channels.get(message.channel)
        if channel is None:
            # The channel is not configured in this run; the message waits for a run that has it.
            await self._outbox.settle(message.id, PENDING, now, retry_at=now + dt.timedelta(seconds=MAX_BACKOFF),
                                      error=f"channel {message.channel} is not running")
            return None
        try:
            outcome = await channel.deliver(chat, message.reply, message.parts)
        except Exception as exc:  # a channel defect must not stop the outbox; the message is retried
            outcome = Outcome(Delivery.RETRY, error=type(exc).__name__, parts=message.parts)
            log.exception("outbox message %d: the %s channel failed", message.id, message.channel)
        now = self._clock()
        if outcome.delivery is Delivery.SENT:
            await self._outbox.settle(message.id, SENT, now, channel=message.channel, tokens=outcome.receipts,
                                      erase=message.purpose == REPLY, parts=outcome.parts)
        elif outcome.delivery is Delivery.RETRY:
            await self._outbox.settle(message.id, PENDING, now,
                                      retry_at=now + dt.timedelta(seconds=self._backoff(message, outcome)),
                                      error=outcome.error, channel=message.channel, tokens=outcome.receipts,
                                      parts=max(outcome.parts, message.parts))
        elif outcome.delivery is Delivery.BLOCKED:
            await self._settle_blocked(message, outcome.error)
        else:
            await self._outbox.settle(message.id, FAILED, now, error=outcome.error)
            log.warning("outbox message %d: failed (%s)", message.id, outcome.error)
        return outcome

    @staticmethod
    def _backoff(message: Message, outcome: Outcome) -> float:
        return max(outcome.wait, min(2.0 ** (message.attempts + 1), MAX_BACKOFF))

    async def _settle_blocked(self, message: Message, error: str) -> None:
        await self._outbox.settle(message.id, BLOCKED, self._clock(), error=error)
        log.warning("outbox message %d: blocked (%s)", message.id, error)
        if self._on_blocked is not None:
            await self._on_blocked(message)

    async def stop_sending(self, channel: str, chat: str, reason: str) -> int:
        """The person left (Viber's unsubscribed): whatever still waits for them is not sent; the number dropped."""
        dropped = 0
        for message in await self._outbox.pending(channel):
            try:
                address = self._sealer.open(message.address, message.purpose)
            except SealError:
                continue
            if address == f"{channel}:{chat}" and await self._outbox.claim(message.id):
                await self._settle_blocked(message, reason)
                dropped += 1
        return dropped

    async def report(self, channel: str, token: str, event: str, at: dt.datetime, error: str = "") -> None:
        """A channel's delivery report on a message it accepted earlier: delivered, seen or failed."""
        found = await self._outbox.report(channel, token, event, at, error)
        if found is not None and event == FAILED:
            number, purpose, case = found
            log.warning("outbox message %d (%s%s): %s reports it failed: %s", number, purpose,
                        f", case {case}" if case is not None else "", channel, error or "no reason given")
