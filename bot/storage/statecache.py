"""People's state in memory in front of the database, written behind the reply (issue 8).

Every update needs the person's language, place and what they were asked; reading that from the database each time
was the largest cost of an update after the network. This store keeps recent people in memory (a bounded LRU) and
writes changes in batches a moment after the reply is out, in one transaction, instead of one commit per update.

Coherence, which matters more than speed (a stale language or place must never be served):
- `/forget` drops the person from memory and from the pending writes before erasing the row, and waits for a batch
  being written, so nothing written behind brings the erased state back.
- A stop writes what is pending first (`close()`: SIGTERM, the CLI). A crash loses at most the last `delay`
  seconds of changes, never a case or an answer (those commit at once).
- A restart reads the most recently active people back into memory in the background (`preload()`); whoever it has
  not read yet is read on their first update.
- When everyone in the database fits in memory, memory knows them all: a person it does not know is new, and their
  first update needs no database read (in a spike most people are new). The first person with a row who is pushed
  out of memory ends this, and every unknown person is looked up again. Only the database's one serving process
  may rely on it, as it is the only one that adds people.
- One serving process per database: a second process keeping its own memory would serve what the first has since
  changed. `putokaz run` refuses to start beside another on the same SQLite file; several processes on one
  database must set PUTOKAZ_STATE_CACHE=0, which makes every update read and write the database (README).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Iterable
from typing import Protocol

from bot.core.model import UserState
from bot.storage.engine import stop_between

log = logging.getLogger(__name__)
# Changes wait this long to share one transaction: short enough that a crash loses little, long enough to batch.
WRITE_DELAY = 0.05
# A failed batch is tried again after this long; its changes stay in memory and pending meanwhile.
RETRY_DELAY = 1.0
# How long a stop keeps trying to write what is pending.
CLOSE_WAIT = 15.0


class BatchUserStore(Protocol):
    """A UserStore that can also write many states in one transaction."""

    async def get(self, user: str) -> UserState | None: ...

    def check(self, state: UserState) -> None:
        """Raise ValueError when the state cannot be stored."""

    async def save_many(self, states: Iterable[UserState]) -> None: ...

    async def recent(self, limit: int) -> list[UserState]: ...

    async def forget(self, user: str) -> None: ...


class CachedUserStore:
    """Implements bot.core.ports.UserStore over a BatchUserStore; `start()` the writer, `close()` to write the rest.

    Without a running writer (`start()` not called) every save is written at once, so a short-lived process such as
    a CLI command never needs to remember to flush.
    """

    def __init__(self, store: BatchUserStore, *, capacity: int, delay: float = WRITE_DELAY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self._store = store
        self._capacity = capacity
        self._delay = delay
        # Known people, most recent last; None records someone known to have no row (a first contact).
        self._known: OrderedDict[str, UserState | None] = OrderedDict()
        self._pending: dict[str, UserState] = {}  # changed, not yet handed to the database
        self._writing: dict[str, UserState] = {}  # in the batch being written now
        self._erasing: set[str] = set()  # people whose /forget waits for the batch being written
        self._lock = asyncio.Lock()  # one batch or one erasure at a time
        self._changed = asyncio.Event()
        self._writer: asyncio.Task | None = None
        # True while every person with a row is in _known (after preload(), until one of them is pushed out).
        self._complete = False
        self._pushed_out = 0  # people with a row pushed out of memory so far

    # ---- UserStore ---------------------------------------------------------------------------------

    async def get(self, user: str) -> UserState | None:
        if user in self._known:
            self._known.move_to_end(user)
            return self._known[user]
        # Evicted but not yet in the database: memory still has the newest.
        state = self._pending.get(user) or self._writing.get(user)
        if state is None and not self._complete:
            state = await self._store.get(user)
            if user in self._known:  # erased or changed while the database answered: that is newer
                return self._known[user]
        self._remember(user, state)
        return state

    async def save(self, state: UserState) -> None:
        self._store.check(state)  # a state that cannot be written is refused now, not in a batch later
        if state.updated.tzinfo is not dt.timezone.utc:
            # what the database would give back: the same instant, in UTC
            state = dataclasses.replace(state, updated=state.updated.astimezone(dt.timezone.utc))
        self._remember(state.user, state)
        self._pending[state.user] = state
        if self._writer is None:
            await self.flush()
        else:
            self._changed.set()

    async def forget(self, user: str) -> None:
        self._remember(user, None)
        self._pending.pop(user, None)
        self._erasing.add(user)
        try:
            async with self._lock:  # a batch holding this person's old state commits first, then the row goes
                await self._store.forget(user)
        finally:
            self._erasing.discard(user)

    async def preload(self) -> int:
        """Read the most recently active people into memory (as many as it holds); the number read.

        Only for the database's one serving process (see the module's docstring). What memory learned meanwhile is
        newer than what was read and is kept; someone forgotten meanwhile is in memory as None. Memory never shrinks,
        so anyone pushed out meanwhile (with a pending change, or forgotten) left a full memory, into which nothing
        is read.
        """
        pushed_out = self._pushed_out
        states = await self._store.recent(self._capacity + 1)
        everyone = len(states) <= self._capacity
        read = 0
        for state in states[:self._capacity]:
            user = state.user
            if user in self._known:
                continue  # memory has something newer
            if len(self._known) >= self._capacity:
                everyone = False
                break
            self._known[user] = state
            self._known.move_to_end(user, last=False)  # behind everyone met since the start; the oldest go first
            read += 1
        # Someone with a row pushed out meanwhile is in neither memory nor what was read.
        self._complete = everyone and self._pushed_out == pushed_out
        return read

    # ---- writing behind ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_behind(), name="state writer")

    async def close(self) -> None:
        """Stop writing behind and write everything pending; call before the database closes. A database that
        refuses for CLOSE_WAIT seconds loses the pending changes, and the log says how many."""
        writer, self._writer = self._writer, None
        if writer is not None:
            await stop_between(writer, self._lock)  # a batch under way is written first, not cut off
        deadline = asyncio.get_running_loop().time() + CLOSE_WAIT
        while True:
            try:
                await self.flush()
                return
            except Exception as error:
                if asyncio.get_running_loop().time() >= deadline:
                    log.error("closing with %d person(s)' latest state not written: %s", len(self._pending), error)
                    return
                await asyncio.sleep(RETRY_DELAY)

    async def flush(self) -> None:
        """Write every pending change now, in one transaction; on failure they stay pending and the error rises."""
        async with self._lock:
            if not self._pending:
                return
            self._writing, self._pending = self._pending, {}
            try:
                await self._store.save_many(self._writing.values())
            except BaseException:
                # Keep what failed, unless a newer change (or an erasure) came in meanwhile.
                for user, state in self._writing.items():
                    if user not in self._pending and user not in self._erasing \
                            and self._known.get(user, state) is state:
                        self._pending[user] = state
                raise
            finally:
                self._writing = {}

    async def _write_behind(self) -> None:
        while True:
            await self._changed.wait()
            await asyncio.sleep(self._delay)  # let the next few changes join this transaction
            self._changed.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("writing people's state failed; %d change(s) kept in memory, retrying",
                              len(self._pending))
                await asyncio.sleep(RETRY_DELAY)
                self._changed.set()

    # ---- memory ------------------------------------------------------------------------------------

    def _remember(self, user: str, state: UserState | None) -> None:
        self._known[user] = state
        self._known.move_to_end(user)
        while len(self._known) > self._capacity:
            _, pushed_out = self._known.popitem(last=False)  # a pending change stays in _pending until written
            if pushed_out is not None:
                self._pushed_out += 1
                self._complete = False  # that person has a row memory no longer holds: unknown is not new now

    @property
    def pending(self) -> int:
        return len(self._pending)
