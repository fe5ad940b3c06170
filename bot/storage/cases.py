"""Cases: a refugee's question to the local network, its thread, and its routing to coordinators.

Every change and the messages it causes are one transaction: the case row, the thread message and the outbox rows
(bot.storage.outbox) commit together or not at all. The refugee's chat address is kept sealed, only while the case
needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.model import Case, Coordinator, Reply
from bot.privacy.sealing import Sealer
from bot.storage.coordinators import PURPOSE as COORDINATOR
from bot.storage.coordinators import _audit, _coordinator
from bot.storage.engine import writing
from bot.storage.outbox import enqueue
from bot.storage.tables import case_messages, cases, coordinators, outbox

REFUGEE = "refugee"
OPEN_STATES = ("open", "taken")

Clock = Callable[[], dt.datetime]
ToCoordinator = Callable[[Case, Coordinator], Reply]
ToRefugee = Callable[[Case], Reply]


def routes_to(coordinator: Coordinator, place: str, country: str, topic: str) -> tuple[bool, bool]:
    """(covers the place itself, covers the country) for a case of this topic."""
    if not (set(coordinator.topics) & {topic, "all"}):
        return False, False
    return place in coordinator.places, country in coordinator.places


def route(candidates: Sequence[Coordinator], place: str, country: str, topic: str, language: str
          ) -> list[Coordinator]:
    """The place's coordinators for the topic, else the country's; those who speak the language when any do."""
    local = [c for c in candidates if routes_to(c, place, country, topic)[0]]
    chosen = local or [c for c in candidates if routes_to(c, place, country, topic)[1]]
    speakers = [c for c in chosen if language in c.languages or language.split("_")[0] in c.languages]
    return speakers or chosen


class SqlCases:
    def __init__(self, engine: AsyncEngine, sealer: Sealer,
                 clock: Clock = lambda: dt.datetime.now(dt.timezone.utc),
                 queued: Callable[[], None] = lambda: None) -> None:
        self._engine = engine
        self._sealer = sealer
        self._clock = clock
        self._queued = queued  # the sender's wake-up: what a change queued goes out now, not at its next look

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncConnection]:
        """A case change and its outbox messages in one transaction; once it commits, the sender is woken."""
        async with writing(self._engine) as connection:
            yield connection
        self._queued()

    async def _coordinators(self, connection: AsyncConnection) -> list[tuple[Coordinator, str, str]]:
        rows = (await connection.execute(select(coordinators).where(
            coordinators.c.revoked.is_(None), coordinators.c.address.is_not(None)))).all()
        return [(_coordinator(row), row.channel, row.address) for row in rows]

    async def open(self, *, user: str, channel: str, sender: str, place: str, country: str, topic: str,
                   language: str, text: str, urgent: bool, notify: ToCoordinator) -> Case | None:
        """Open a case and tell its coordinators; None (and nothing stored) when no coordinator covers it."""
        now = self._clock()
        async with self._writing() as connection:
            registered = await self._coordinators(connection)
            chosen = route([c for c, _, _ in registered], place, country, topic, language)
            if not chosen:
                return None
            result = await connection.execute(insert(cases).values(
                user=user, channel=channel, address=self._sealer.seal(f"{channel}:{sender}", REFUGEE), place=place,
                topic=topic, language=language, urgent=int(urgent), status="open", created=now, updated=now,
                announced=now).returning(cases.c.id))
            number = int(result.scalar_one())
            await connection.execute(insert(case_messages).values(case_id=number, author=REFUGEE, text=text,
                                                                  created=now))
            case = Case(number, place, topic, language, "open", now, ((REFUGEE, text),), urgent=urgent)
            addresses = {c.id: (ch, address) for c, ch, address in registered}
            for coordinator in chosen:
                ch, address = addresses[coordinator.id]
                await enqueue(connection, channel=ch, address=address, purpose=COORDINATOR,
                              reply=notify(case, coordinator), case_id=number, now=now)
            await _audit(connection, now, None, "opened", f"to {','.join(str(c.id) for c in chosen)}", number)
        return case

    async def case(self, number: int) -> Case | None:
        async with self._engine.connect() as connection:
            return await self._case(connection, number)

    async def _case(self, connection: AsyncConnection, number: int) -> Case | None:
        row = (await connection.execute(select(cases).where(cases.c.id == number))).first()
        if row is None:
            return None
        thread = (await connection.execute(select(case_messages.c.author, case_messages.c.text).where(
            case_messages.c.case_id == number).order_by(case_messages.c.id))).all()
        return Case(row.id, row.place, row.topic, row.language, row.status, row.created,
                    tuple((a, t) for a, t in thread), row.taken_by, bool(row.urgent))

    async def for_coordinator(self, coordinator: Coordinator, country_of: Callable[[str], str]) -> list[Case]:
        """Open cases this coordinator may answer: routed to their places and topics, not taken by another."""
        async with self._engine.connect() as connection:
            # Urgent cases (protection) first, then the oldest.
            rows = (await connection.execute(select(cases.c.id, cases.c.place, cases.c.topic, cases.c.taken_by)
                                             .where(cases.c.status.in_(OPEN_STATES))
                                             .order_by(cases.c.urgent.desc(), cases.c.id))).all()
            found = []
            for row in rows:
                local, national = routes_to(coordinator, row.place, country_of(row.place), row.topic)
                if (local or national) and row.taken_by in (None, coordinator.id):
                    case = await self._case(connection, row.id)
                    if case is not None:
                        found.append(case)
        return found

    async def take(self, coordinator: Coordinator, number: int, notify_others: ToCoordinator | None = None,
                   country_of: Callable[[str], str] | None = None) -> Case | None:
        """Take an open case; the other coordinators it went to are told it is taken."""
        now = self._clock()
        async with self._writing() as connection:
            changed = await connection.execute(update(cases).where(
                cases.c.id == number, cases.c.status == "open").values(status="taken", taken_by=coordinator.id,
                                                                       updated=now))
            if not changed.rowcount:
                return None
            await _audit(connection, now, coordinator.id, "took", "", number)
            case = await self._case(connection, number)
            assert case is not None
            if notify_others is not None and country_of is not None:
                registered = await self._coordinators(connection)
                routed = route([c for c, _, _ in registered], case.place, country_of(case.place), case.topic,
                               case.language)
                ids = {c.id for c in routed} - {coordinator.id}
                for other, ch, address in registered:
                    if other.id in ids:
                        await enqueue(connection, channel=ch, address=address, purpose=COORDINATOR,
                                      reply=notify_others(case, other), case_id=number, now=now)
            return case

    async def keep(self, *, remind: dt.timedelta, urgent_remind: dt.timedelta, idle: dt.timedelta,
                   purge: dt.timedelta, announce: ToCoordinator, idle_notice: ToRefugee,
                   country_of: Callable[[str], str]) -> dict[str, int]:
        """The schedule: re-announce cases nobody took, then escalate them to the country's coordinators; close
        cases idle too long (telling the refugee); erase the sealed addresses of cases closed long enough ago."""
        now = self._clock()
        done = {"reminded": 0, "escalated": 0, "closed": 0, "purged": 0}
        async with self._writing() as connection:
            registered = await self._coordinators(connection)
            waiting = (await connection.execute(select(cases).where(cases.c.status == "open"))).all()
            for row in waiting:
                if now - row.announced < (urgent_remind if row.urgent else remind):
                    continue
                case = await self._case(connection, row.id)
                assert case is not None
                candidates = [c for c, _, _ in registered]
                if row.escalated == 0:
                    chosen = route(candidates, row.place, country_of(row.place), row.topic, row.language)
                    key = "reminded"
                else:
                    # Escalation: every coordinator of the country for the topic, whatever their place.
                    chosen = [c for c in candidates if routes_to(c, row.place, country_of(row.place), row.topic)[1]
                              or routes_to(c, row.place, country_of(row.place), row.topic)[0]]
                    key = "escalated"
                ids = {c.id for c in chosen}
                for coordinator, ch, address in registered:
                    if coordinator.id in ids:
                        await enqueue(connection, channel=ch, address=address, purpose=COORDINATOR,
                                      reply=announce(case, coordinator), case_id=row.id, now=now)
                await connection.execute(update(cases).where(cases.c.id == row.id).values(
                    announced=now, escalated=min(row.escalated + 1, 2)))
                done[key] += 1
            stale = (await connection.execute(select(cases).where(
                cases.c.status.in_(OPEN_STATES), cases.c.updated < now - idle))).all()
            for row in stale:
                await connection.execute(update(cases).where(cases.c.id == row.id).values(
                    status="closed", updated=now, closed=now))
                case = await self._case(connection, row.id)
                assert case is not None
                if row.address:
                    await enqueue(connection, channel=row.channel, address=row.address, purpose=REFUGEE,
                                  reply=idle_notice(case), case_id=row.id, now=now)
                await _audit(connection, now, None, "closed", "idle", row.id)
                done["closed"] += 1
            purged = await connection.execute(update(cases).where(
                cases.c.status.not_in(OPEN_STATES), cases.c.closed < now - purge, cases.c.address.is_not(None))
                .values(address=None))
            done["purged"] = purged.rowcount
        return done

    async def undeliverable(self, number: int, notify: ToCoordinator) -> None:
        """The refugee blocked the bot: the case cannot be answered; whoever took it is told."""
        now = self._clock()
        async with self._writing() as connection:
            row = (await connection.execute(select(cases).where(cases.c.id == number))).first()
            if row is None or row.status == "undeliverable":
                return
            await connection.execute(update(cases).where(cases.c.id == number).values(
                status="undeliverable", updated=now, closed=now, address=None))
            case = await self._case(connection, number)
            assert case is not None
            for coordinator, ch, address in await self._coordinators(connection):
                if coordinator.id == row.taken_by:
                    await enqueue(connection, channel=ch, address=address, purpose=COORDINATOR,
                                  reply=notify(case, coordinator), case_id=number, now=now)
            await _audit(connection, now, None, "undeliverable", "the person blocked the bot", number)

    async def answer(self, coordinator: Coordinator, number: int, text: str, to_refugee: ToRefugee) -> Case | None:
        """A coordinator's answer, into the thread and on its way to the refugee; takes the case if it was open."""
        now = self._clock()
        async with self._writing() as connection:
            row = await _open_to(connection, number, coordinator)
            if row is None:
                return None
            await connection.execute(update(cases).where(cases.c.id == number).values(
                status="taken", taken_by=coordinator.id, updated=now))
            await connection.execute(insert(case_messages).values(case_id=number, author=COORDINATOR,
                                                                  coordinator_id=coordinator.id, text=text,
                                                                  created=now))
            case = await self._case(connection, number)
            assert case is not None
            await enqueue(connection, channel=row.channel, address=row.address, purpose=REFUGEE,
                          reply=to_refugee(case), case_id=number, now=now)
            await _audit(connection, now, coordinator.id, "replied", "", number)
            return case

    async def follow_up(self, user: str, number: int, text: str, notify: ToCoordinator,
                        country_of: Callable[[str], str]) -> Case | None:
        """The refugee writes again inside their case: to the coordinator who took it, or to every one routed."""
        now = self._clock()
        async with self._writing() as connection:
            row = (await connection.execute(select(cases).where(cases.c.id == number, cases.c.user == user))).first()
            if row is None or row.status not in OPEN_STATES:
                return None
            await connection.execute(insert(case_messages).values(case_id=number, author=REFUGEE, text=text,
                                                                  created=now))
            await connection.execute(update(cases).where(cases.c.id == number).values(updated=now))
            case = await self._case(connection, number)
            assert case is not None
            await self._tell_coordinators(connection, row, case, notify, country_of, now)
            return case

    async def _tell_coordinators(self, connection: AsyncConnection, row, case: Case, notify: ToCoordinator,
                                 country_of: Callable[[str], str], now: dt.datetime) -> None:
        """Queue a message about a case for whoever took it, or, while nobody has, for every coordinator it went to."""
        registered = await self._coordinators(connection)
        if row.taken_by is not None:
            chosen = {row.taken_by}
        else:
            chosen = {c.id for c in route([c for c, _, _ in registered], row.place, country_of(row.place),
                                          row.topic, row.language)}
        for coordinator, ch, address in registered:
            if coordinator.id in chosen:
                await enqueue(connection, channel=ch, address=address, purpose=COORDINATOR,
                              reply=notify(case, coordinator), case_id=row.id, now=now)

    async def close(self, coordinator: Coordinator, number: int, to_refugee: ToRefugee) -> Case | None:
        now = self._clock()
        async with self._writing() as connection:
            row = await _open_to(connection, number, coordinator)
            if row is None:
                return None
            await connection.execute(update(cases).where(cases.c.id == number).values(
                status="closed", taken_by=coordinator.id, updated=now, closed=now))
            case = await self._case(connection, number)
            assert case is not None
            await enqueue(connection, channel=row.channel, address=row.address, purpose=REFUGEE,
                          reply=to_refugee(case), case_id=number, now=now)
            await _audit(connection, now, coordinator.id, "closed", "", number)
            return case

    async def forget(self, user: str, notify: ToCoordinator, country_of: Callable[[str], str]) -> list[int]:
        """/forget: withdraw the person's open cases (telling their coordinators), and unlink every case of theirs
        from them: no pseudonym, no address. The thread stays with the coordinator, without anyone behind it."""
        now = self._clock()
        async with self._writing() as connection:
            rows = (await connection.execute(select(cases).where(cases.c.user == user))).all()
            withdrawn = []
            for row in rows:
                if row.status in OPEN_STATES:
                    await connection.execute(update(cases).where(cases.c.id == row.id).values(
                        status="withdrawn", updated=now, closed=now))
                    case = await self._case(connection, row.id)
                    assert case is not None
                    await self._tell_coordinators(connection, row, case, notify, country_of, now)
                    await _audit(connection, now, None, "withdrawn", "the person used /forget", row.id)
                    withdrawn.append(row.id)
            await connection.execute(update(cases).where(cases.c.user == user).values(user="", address=None))
            # Messages still waiting for this person can no longer be delivered, and must not be.
            await connection.execute(update(outbox).where(
                outbox.c.case_id.in_([row.id for row in rows]), outbox.c.purpose == REFUGEE,
                outbox.c.status == "pending").values(status="withdrawn", address=""))
        return withdrawn

    async def rate(self, user: str, number: int, helpful: bool) -> bool:
        async with self._writing() as connection:
            changed = await connection.execute(update(cases).where(
                cases.c.id == number, cases.c.user == user, cases.c.status == "closed").values(
                rating=1 if helpful else -1))
            return bool(changed.rowcount)


async def _open_to(connection: AsyncConnection, number: int, coordinator: Coordinator):
    """The case's row while this coordinator may still answer or close it (open, or taken by them); else None."""
    row = (await connection.execute(select(cases).where(cases.c.id == number))).first()
    if row is None or row.status not in OPEN_STATES or row.taken_by not in (None, coordinator.id):
        return None
    return row
