"""Cases in storage: routing, the schedule (reminders, escalation, idle closing, purging), taking and blocking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.core.identity import Pseudonyms
from bot.core.model import Coordinator, Reply
from bot.privacy.sealing import Sealer
from bot.storage.cases import SqlCases, route
from bot.storage.coordinators import SqlCoordinators
from bot.storage.tables import cases, outbox

KEY = b"cases-test-key-0123456789abcdef!"
START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)


def country_of(place: str) -> str:
    return place.split("-")[0]


def coordinator(number, places, topics=("all",), languages=()):
    return Coordinator(number, f"c{number}", tuple(places), tuple(topics), tuple(languages), True)


def test_routing_prefers_the_place_then_the_country_and_the_language():
    sid_ar = coordinator(1, ["rs-sid"], ["legal"], ["ar"])
    sid = coordinator(2, ["rs-sid"], ["legal"])
    serbia = coordinator(3, ["rs"])
    health = coordinator(4, ["rs-sid"], ["health"])
    everyone = [sid_ar, sid, serbia, health]
    assert route(everyone, "rs-sid", "rs", "legal", "ar") == [sid_ar]
    assert route(everyone, "rs-sid", "rs", "legal", "fa") == [sid_ar, sid]
    assert route(everyone, "rs-beograd", "rs", "legal", "fa") == [serbia]
    assert route(everyone, "mk-skopje", "mk", "legal", "fa") == []


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


@pytest.fixture
async def desk(database):
    clock = Clock()
    registry = SqlCoordinators(database.engine, Pseudonyms(KEY), Sealer(KEY), clock)
    for name, places, chat in (("Šid", ["rs-sid"], "1"), ("Serbia", ["rs"], "2")):
        _, code = await registry.invite(name, places, ["all"])
        await registry.register(code, "telegram", chat)
    return SqlCases(database.engine, Sealer(KEY), clock), clock, database


def note(*_args) -> Reply:
    return Reply(text="note")


async def outbox_rows(database):
    async with database.engine.connect() as connection:
        return (await connection.execute(select(outbox.c.purpose, outbox.c.payload))).all()


async def test_a_case_nobody_takes_is_reminded_then_escalated_then_closed_then_purged(desk):
    store, clock, database = desk
    case = await store.open(user="u", channel="telegram", sender="9", place="rs-sid", country="rs", topic="legal",
                            language="ar", text="question", urgent=False, notify=note)
    assert len(await outbox_rows(database)) == 1  # the Šid coordinator only
    keep = dict(remind=dt.timedelta(hours=4), urgent_remind=dt.timedelta(hours=1), idle=dt.timedelta(days=14),
                purge=dt.timedelta(days=30), announce=note, idle_notice=note, country_of=country_of)
    clock.now += dt.timedelta(hours=3)
    assert (await store.keep(**keep))["reminded"] == 0
    clock.now += dt.timedelta(hours=2)
    assert (await store.keep(**keep))["reminded"] == 1 and len(await outbox_rows(database)) == 2
    clock.now += dt.timedelta(hours=5)
    assert (await store.keep(**keep))["escalated"] == 1
    assert len(await outbox_rows(database)) == 4  # the Šid and the Serbia coordinators
    clock.now += dt.timedelta(days=15)
    done = await store.keep(**keep)
    assert done["closed"] == 1 and (await store.case(case.number)).status == "closed"
    assert [p for p, _ in await outbox_rows(database)].count("refugee") == 1  # the notice
    clock.now += dt.timedelta(days=31)
    assert (await store.keep(**keep))["purged"] == 1
    async with database.engine.connect() as connection:
        assert (await connection.execute(select(cases.c.address))).scalar() is None


async def test_urgent_cases_come_first_in_a_coordinators_list(desk):
    store, clock, database = desk
    for topic, urgent in (("legal", False), ("protection", True)):
        await store.open(user="u", channel="telegram", sender="9", place="rs-sid", country="rs", topic=topic,
                         language="en", text=topic, urgent=urgent, notify=note)
    found = await store.for_coordinator(coordinator(1, ["rs-sid"]), country_of)
    assert [c.topic for c in found] == ["protection", "legal"]


async def test_taking_tells_the_others_and_blocking_ends_the_case(desk):
    store, clock, database = desk
    case = await store.open(user="u", channel="telegram", sender="9", place="rs-beograd", country="rs",
                            topic="legal", language="en", text="q", urgent=False, notify=note)
    serbia = coordinator(2, ["rs"])
    assert await store.take(serbia, case.number, note, country_of) is not None
    assert await store.take(serbia, case.number, note, country_of) is None  # taken already
    await store.undeliverable(case.number, note)
    assert (await store.case(case.number)).status == "undeliverable"
