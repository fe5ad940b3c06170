"""One suite for the UserStore Protocol, run on every backend and on every way of saving (native upsert, the
UPDATE-then-INSERT path of dialects without one, and the state cache that writes behind)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.core.model import UserState
from bot.core.ports import UserStore
from bot.storage import SqlUserStore
from bot.storage.statecache import CachedUserStore

BELGRADE_WINTER = dt.timezone(dt.timedelta(hours=1))
WHEN = dt.datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=dt.timezone.utc)


@pytest.fixture(params=["native-upsert", "update-then-insert", "cached"])
async def store(request, database) -> UserStore:
    if request.param == "native-upsert":
        yield database.users
    elif request.param == "update-then-insert":
        yield SqlUserStore(database.engine, native_upsert=False)
    else:  # in memory in front of the database, written behind (bot.storage.statecache)
        cached = CachedUserStore(database.users, capacity=8)
        cached.start()
        yield cached
        await cached.close()


class TestUserStore:
    async def test_get_of_an_unknown_pseudonym_is_none(self, store):
        assert await store.get("0" * 32) is None

    async def test_save_then_get_returns_the_same_state(self, store):
        state = UserState(user="a1" * 16, language="sr_Latn", place="rs-sid", awaiting="location", updated=WHEN)
        await store.save(state)
        assert await store.get(state.user) == state

    async def test_a_new_person_with_nothing_chosen_round_trips(self, store):
        state = UserState(user="b2" * 16, updated=WHEN)
        await store.save(state)
        assert await store.get(state.user) == UserState(user="b2" * 16, language=None, place=None, awaiting="",
                                                        updated=WHEN)

    async def test_save_again_overwrites_every_field(self, store):
        first = UserState(user="c3" * 16, language="ar", place="rs-sid", awaiting="location", updated=WHEN)
        second = UserState(user="c3" * 16, language="fa", place=None, awaiting="", updated=WHEN + dt.timedelta(hours=1))
        await store.save(first)
        await store.save(second)
        assert await store.get(first.user) == second

    async def test_forget_removes_that_person_only(self, store):
        leaving = UserState(user="d4" * 16, language="uk", updated=WHEN)
        staying = UserState(user="e5" * 16, language="ru", updated=WHEN)
        await store.save(leaving)
        await store.save(staying)
        await store.forget(leaving.user)
        assert (await store.get(leaving.user), await store.get(staying.user)) == (None, staying)

    async def test_forget_of_an_unknown_pseudonym_does_nothing(self, store):
        await store.forget("f6" * 16)
        assert await store.get("f6" * 16) is None

    async def test_a_forgotten_person_can_start_again(self, store):
        state = UserState(user="a7" * 16, language="tr", updated=WHEN)
        await store.save(state)
        await store.forget(state.user)
        await store.save(state)
        assert await store.get(state.user) == state

    async def test_updated_comes_back_as_the_same_instant_in_utc(self, store):
        in_belgrade = dt.datetime(2026, 11, 25, 10, 30, 15, 123456, tzinfo=BELGRADE_WINTER)
        await store.save(UserState(user="b8" * 16, updated=in_belgrade))
        updated = (await store.get("b8" * 16)).updated
        assert (updated, updated.tzinfo) == (WHEN, dt.timezone.utc)

    async def test_a_naive_updated_is_refused(self, store):
        with pytest.raises(ValueError, match="UserState.updated must be timezone-aware, got 2026-11-25T09:30:15"):
            await store.save(UserState(user="c9" * 16, updated=WHEN.replace(tzinfo=None)))
        assert await store.get("c9" * 16) is None

    @pytest.mark.parametrize(("field", "limit"), [("user", 64), ("language", 16), ("place", 64), ("awaiting", 32)])
    async def test_a_value_longer_than_its_column_is_refused_on_every_backend(self, store, field, limit):
        values = {"user": "d0" * 16, "updated": WHEN, field: "x" * (limit + 1)}
        with pytest.raises(ValueError, match=f"UserState.{field} must be at most {limit} characters, got {limit + 1}"):
            await store.save(UserState(**values))
        assert await store.get(values["user"]) is None

    async def test_values_as_long_as_their_columns_fit(self, store):
        state = UserState(user="u" * 64, language="l" * 16, place="p" * 64, awaiting="a" * 32, updated=WHEN)
        await store.save(state)
        assert await store.get(state.user) == state

    async def test_an_empty_pseudonym_is_refused(self, store):
        with pytest.raises(ValueError, match="UserState.user must be a pseudonym, got an empty string"):
            await store.save(UserState(user="", updated=WHEN))

    async def test_many_people_saving_at_once_are_all_kept(self, store):
        states = [UserState(user=f"{n:032x}", language="en", place=f"rs-{n}", updated=WHEN) for n in range(40)]
        await asyncio.gather(*(store.save(state) for state in states))
        assert await asyncio.gather(*(store.get(state.user) for state in states)) == states
