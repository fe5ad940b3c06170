"""A stand-in for the engine in channel tests: records each Incoming and answers as a test says."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.core.model import Incoming, Reply


def echo(incoming: Incoming) -> list[Reply]:
    return [Reply(text=incoming.text or incoming.command or incoming.action or incoming.kind.value)]


class FakeEngine:
    """Sits where the engine does: records each Incoming and answers with `respond` (an echo unless a test says)."""

    def __init__(self) -> None:
        self.incomings: list[Incoming] = []
        self.respond: Callable[[Incoming], list[Reply]] = echo
        self._changed = asyncio.Condition()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        async with self._changed:
            self.incomings.append(incoming)
            self._changed.notify_all()
        result = self.respond(incoming)
        return await result if asyncio.iscoroutine(result) else result

    async def wait(self, count: int = 1, timeout: float = 5.0) -> list[Incoming]:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: len(self.incomings) >= count), timeout)
            except TimeoutError:
                raise AssertionError(f"expected {count} Incoming(s) within {timeout} s, got {self.incomings}") from None
        return list(self.incomings)

    @property
    def last(self) -> Incoming:
        assert self.incomings, "the engine was not called"
        return self.incomings[-1]
