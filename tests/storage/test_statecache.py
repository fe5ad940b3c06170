"""The state cache's promises beyond the UserStore suite: replies never wait for the database, writes come in one
batch, and no cached or pending state outlives /forget, a restart, or a failed write."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.core.model import UserState
from bot.storage import open_database
from bot.storage.statecache import CachedUserStore

WHEN = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc)


def person(n: int, **values) -> UserState:
    return UserState(user=f"{n:032x}", updated=WHEN, **{"language": "ar", "place": "rs-sid", **values})


class Counting:
    """The real SQL store, counting what reaches it and failing the next `fail` batches on request."""

    def __init__(self, store) -> None:
        self.store = store
        self.reads = 0
        self.batches: list[list[str]] = []
        self.fail = 0

    async def get(self, user):
        self.reads += 1
        return await self.store.get(user)

    def check(self, state):
        self.store.check(state)

    async def save_many(self, states):
        states = list(states)
        if self.fail:
            self.fail -= 1
            raise ConnectionError("the database went away")
        self.batches.append(sorted(s.user for s in states))
        await self.store.save_many(states)

    async def forget(self, user):
        await self.store.forget(user)

    async def recent(self, limit):
        return await self.store.recent(limit)


@pytest.fixture
async def counted(database):
    return Counting(database.users)


async def test_a_known_person_is_read_from_the_database_once(counted):
    cache = CachedUserStore(counted, capacity=10)
    await cache.save(person(1))
    assert [await cache.get(person(1).user) for _ in range(5)] == [person(1)] * 5
    assert counted.reads == 0
    assert await cache.get(person(2).user) is None and await cache.get(person(2).user) is None
    assert counted.reads == 1  # a first contact is remembered as "no row" too


async def test_saves_wait_for_the_writer_and_go_in_one_transaction(counted, database):
    cache = CachedUserStore(counted, capacity=100, delay=0.05)
    cache.start()
    try:
        for n in range(20):
            await cache.save(person(n))
        assert (counted.batches, await database.users.get(person(0).user)) == ([], None)  # nothing waited for SQL
        await asyncio.sleep(0.3)
        assert counted.batches == [sorted(person(n).user for n in range(20))]
        assert await database.users.get(person(19).user) == person(19)
    finally:
        await cache.close()


async def test_close_writes_what_is_pending(counted, database_url):
    database = await open_database(database_url)
    cache = CachedUserStore(database.users, capacity=10, delay=60)
    cache.start()
    await cache.save(person(1, language="fa"))
    await cache.close()
    await database.close()
    reopened = await open_database(database_url)  # a restart reads what the last process wrote
    try:
        assert await CachedUserStore(reopened.users, capacity=10).get(person(1).user) == person(1, language="fa")
    finally:
        await reopened.close()


async def test_forget_drops_a_pending_change_so_it_never_comes_back(counted, database):
    await database.users.save(person(1, language="en"))
    cache = CachedUserStore(counted, capacity=10, delay=60)
    cache.start()
    try:
        await cache.save(person(1, language="uk"))
        await cache.forget(person(1).user)
        await cache.flush()
        assert (await cache.get(person(1).user), await database.users.get(person(1).user)) == (None, None)
    finally:
        await cache.close()
    assert await database.users.get(person(1).user) is None


async def test_forget_during_a_batch_erases_after_it(database):
    release = asyncio.Event()

    class Slow(Counting):
        async def save_many(self, states):
            states = list(states)
            await release.wait()  # the batch is on its way to the database while the person asks to be forgotten
            await self.store.save_many(states)

    cache = CachedUserStore(Slow(database.users), capacity=10, delay=0)
    cache.start()
    try:
        await cache.save(person(1))
        await asyncio.sleep(0.05)
        forgetting = asyncio.create_task(cache.forget(person(1).user))
        await asyncio.sleep(0.05)
        assert not forgetting.done()  # it waits for the batch, else the batch would write the row back
        release.set()
        await forgetting
        assert (await cache.get(person(1).user), await database.users.get(person(1).user)) == (None, None)
    finally:
        await cache.close()


async def test_a_person_pushed_out_of_memory_keeps_their_unwritten_change(counted):
    cache = CachedUserStore(counted, capacity=2, delay=60)
    cache.start()
    try:
        await cache.save(person(1, language="ps"))
        await cache.save(person(2))
        await cache.save(person(3))  # person 1 leaves memory before any write
        assert await cache.get(person(1).user) == person(1, language="ps")
        assert counted.reads == 0
    finally:
        await cache.close()


async def test_a_failed_batch_is_kept_and_written_later(counted, database, caplog):
    counted.fail = 1
    cache = CachedUserStore(counted, capacity=10, delay=0)
    with pytest.raises(ConnectionError):
        await cache.save(person(1))  # without a writer, the save itself writes, and says so when it cannot
    assert (cache.pending, await cache.get(person(1).user)) == (1, person(1))
    await cache.flush()
    assert (cache.pending, await database.users.get(person(1).user)) == (0, person(1))


async def test_a_newer_change_wins_over_a_failed_older_batch(counted, database):
    counted.fail = 1
    cache = CachedUserStore(counted, capacity=10, delay=0)
    with pytest.raises(ConnectionError):
        await cache.save(person(1, language="en"))
    await cache.save(person(1, language="tr"))
    assert await database.users.get(person(1).user) == person(1, language="tr")


async def test_a_state_that_cannot_be_stored_is_refused_at_once(counted):
    cache = CachedUserStore(counted, capacity=10)
    cache.start()
    try:
        with pytest.raises(ValueError, match="UserState.language must be at most 16 characters"):
            await cache.save(person(1, language="x" * 17))
        assert (await cache.get(person(1).user), cache.pending) == (None, 0)
    finally:
        await cache.close()


def test_capacity_must_be_positive(database):
    with pytest.raises(ValueError, match="capacity must be at least 1, got 0"):
        CachedUserStore(database.users, capacity=0)


def later(n: int, minutes: int) -> UserState:
    return UserState(user=f"{n:032x}", language="uk", place="bg-sofia", updated=WHEN + dt.timedelta(minutes=minutes))


async def test_a_restart_reads_people_back_and_then_knows_newcomers_without_asking(counted, database):
    await database.users.save_many([later(1, 1), later(2, 2)])
    cache = CachedUserStore(counted, capacity=10)
    assert await cache.preload() == 2
    assert (await cache.get(later(1, 1).user), await cache.get(later(2, 2).user)) == (later(1, 1), later(2, 2))
    assert await cache.get(person(3).user) is None  # everyone with a row is in memory: this one is new
    assert counted.reads == 0


async def test_with_more_people_than_memory_holds_the_most_recent_come_back_and_the_rest_are_read(counted, database):
    await database.users.save_many([later(n, n) for n in range(1, 5)])
    cache = CachedUserStore(counted, capacity=3)
    assert await cache.preload() == 3
    assert [await cache.get(later(n, n).user) for n in (4, 3, 2)] == [later(4, 4), later(3, 3), later(2, 2)]
    assert counted.reads == 0
    assert await cache.get(later(1, 1).user) == later(1, 1)  # not in memory, so asked for: still there
    assert await cache.get(person(9).user) is None
    assert counted.reads == 2


async def test_once_a_known_person_is_pushed_out_unknown_people_are_looked_up_again(counted, database):
    await database.users.save_many([later(1, 1)])
    cache = CachedUserStore(counted, capacity=2)
    await cache.preload()
    await cache.save(person(2))
    await cache.save(person(3))  # person 1 (with a row) leaves memory
    assert await cache.get(later(1, 1).user) == later(1, 1)
    assert counted.reads == 1


async def test_what_happens_while_people_are_read_back_is_newer_and_wins(database):
    await database.users.save_many([later(1, 1), later(2, 2), later(3, 3)])
    reading = asyncio.Event()
    go_on = asyncio.Event()

    class Slow(Counting):
        async def recent(self, limit):
            rows = await self.store.recent(limit)
            reading.set()
            await go_on.wait()  # the rows are read; people go on talking to the bot meanwhile
            return rows

    cache = CachedUserStore(Slow(database.users), capacity=10)
    loading = asyncio.create_task(cache.preload())
    await reading.wait()
    await cache.save(later(1, 9))  # changed their place meanwhile
    await cache.forget(later(2, 2).user)  # asked to be forgotten meanwhile
    go_on.set()
    assert await loading == 1
    assert [await cache.get(later(n, 1).user) for n in (1, 2, 3)] == [later(1, 9), None, later(3, 3)]
    assert await database.users.get(later(2, 2).user) is None


async def test_someone_pushed_out_while_people_are_read_back_is_not_taken_for_new(database):
    go_on = asyncio.Event()

    class Slow(Counting):
        async def recent(self, limit):
            rows = await self.store.recent(limit)  # nobody yet
            await go_on.wait()
            return rows

    counted = Slow(database.users)
    cache = CachedUserStore(counted, capacity=2)
    loading = asyncio.create_task(cache.preload())
    await asyncio.sleep(0)
    for n in (5, 6, 7):  # person 5 gets a row, then leaves memory before the reading ends
        await cache.save(person(n))
    go_on.set()
    assert await loading == 0
    assert await cache.get(person(5).user) == person(5)
    assert counted.reads == 1
