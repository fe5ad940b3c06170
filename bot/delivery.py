"""The sender: drains the outbox through the channels, with retries and backoff, losing nothing.

A message is claimed (pending -> sending) before the channel is called and settled after: sent, retried later
(flood control honours retry_after; timeouts and server errors back off 2, 4, 8 ... seconds up to 10 minutes),
blocked (the person blocked the bot: never again, and whoever waits is told by `on_blocked`) or failed. A crash
between claim and settle leaves the row "sending"; `run` puts it back to pending at start, so it is sent again
rather than never.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from bot.core.model import Delivery, Reply
from bot.privacy.sealing import Sealer, SealError
from bot.storage.outbox import BLOCKED, FAILED, PENDING, SENT, Message, SqlOutbox

log = logging.getLogger(__name__)

MAX_BACKOFF = 600.0
IDLE = 1.0  # seconds between looks when nobody wakes the sender


class Deliverer(Protocol):
    async def deliver(self, chat: str, reply: Reply) -> tuple[Delivery, float, str]:
        """Send one message to a chat: the outcome, seconds to wait before a retry, and an error text."""


Clock = Callable[[], dt.datetime]


class Sender:
    def __init__(self, outbox: SqlOutbox, sealer: Sealer, channels: Mapping[str, Deliverer], *,
                 clock: Clock = lambda: dt.datetime.now(dt.timezone.utc),
                 on_blocked: Callable[[Message], Awaitable[None]] | None = None) -> None:
        self._outbox = outbox
        self._sealer = sealer
        self._channels = channels
        self._clock = clock
        self._on_blocked = on_blocked
        self.wake = asyncio.Event()

    async def run(self) -> None:
        recovered = await self._outbox.recover()
        if recovered:
            log.warning("outbox: %d message(s) caught mid-send by a stop are sent again", recovered)
        while True:
            try:
                await self.drain()
            except Exception:
                log.exception("outbox: draining failed; trying again shortly")
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), IDLE)
            except TimeoutError:
                pass

    async def drain(self) -> int:
        """Send every message that is due; the number sent."""
        sent = 0
        for message in await self._outbox.due(self._clock()):
            if await self._outbox.claim(message.id):
                sent += await self._send(message)
        return sent

    async def _send(self, message: Message) -> int:
        now = self._clock()
        channel = self._channels.get(message.channel)
        if channel is None:
            # The channel is not configured in this run; the message waits for a run that has it.
            await self._outbox.settle(message.id, PENDING, now, retry_at=now + dt.timedelta(seconds=MAX_BACKOFF),
                                      error=f"channel {message.channel} is not running")
            return 0
        try:
            address = self._sealer.open(message.address, message.purpose)
        except SealError:
            await self._outbox.settle(message.id, FAILED, now, error="the address cannot be opened with this key")
            log.error("outbox message %d: the sealed address does not open with PUTOKAZ_SECRET_KEY", message.id)
            return 0
        chat = address.partition(":")[2]
        try:
            outcome, wait, error = await channel.deliver(chat, message.reply)
        except Exception as exc:  # a channel defect must not stop the outbox; the message is retried
            outcome, wait, error = Delivery.RETRY, 0.0, f"{type(exc).__name__}"
            log.exception("outbox message %d: the %s channel failed", message.id, message.channel)
        now = self._clock()
        if outcome is Delivery.SENT:
            await self._outbox.settle(message.id, SENT, now)
            return 1
        if outcome is Delivery.RETRY:
            backoff = max(wait, min(2.0 ** message.attempts, MAX_BACKOFF))
            await self._outbox.settle(message.id, PENDING, now, retry_at=now + dt.timedelta(seconds=backoff),
                                      error=error)
            return 0
        await self._outbox.settle(message.id, BLOCKED if outcome is Delivery.BLOCKED else FAILED, now, error=error)
        log.warning("outbox message %d: %s (%s)", message.id, outcome.value, error)
        if outcome is Delivery.BLOCKED and self._on_blocked is not None:
            await self._on_blocked(message)
        return 0
