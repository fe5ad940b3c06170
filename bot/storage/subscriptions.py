"""Event news and reminders: who asked to hear of what, under the pseudonym, with the chat address sealed.

Announcing queues one outbox row per subscriber (bulk lane, paced by the sender); the outbox's unique
(announcement, recipient) keeps a second run, or a resumed one, from queueing anybody twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.model import Event, Reply, Subscription
from bot.privacy.sealing import Sealer
from bot.storage.engine import writing
from bot.storage.outbox import SENDING, enqueue_many
from bot.storage.tables import announced, outbox, reminders, subscriptions, users

SUBSCRIBER = "subscriber"  # the sealing purpose of a subscriber's address
ALL = "all"
BATCH = 1000


class SqlSubscriptions:
    def __init__(self, engine: AsyncEngine, sealer: Sealer,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> None:
        self._engine = engine
        self._sealer = sealer
        self._clock = clock

    async def subscribe(self, *, user: str, channel: str, sender: str, place: str, category: str) -> None:
        address = self._sealer.seal(f"{channel}:{sender}", SUBSCRIBER)
        async with writing(self._engine) as connection:
            mine = (subscriptions.c.user == user) & (subscriptions.c.place == place)
            if category == ALL:
                await connection.execute(delete(subscriptions).where(mine))
            else:
                await connection.execute(delete(subscriptions).where(mine, subscriptions.c.category.in_(
                    [category, ALL])))
            await connection.execute(insert(subscriptions).values(
                user=user, channel=channel, address=address, place=place, category=category, created=self._clock()))

    async def unsubscribe(self, user: str) -> int:
        async with writing(self._engine) as connection:
            return (await connection.execute(delete(subscriptions).where(subscriptions.c.user == user))).rowcount

    async def of(self, user: str) -> list[Subscription]:
        query = select(subscriptions.c.place, subscriptions.c.category).where(subscriptions.c.user == user)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query.order_by(subscriptions.c.id))).all()
        return [Subscription(place, category) for place, category in rows]

    async def remind(self, *, user: str, channel: str, sender: str, event: str, at: dt.datetime) -> bool:
        async with writing(self._engine) as connection:
            known = (await connection.execute(select(reminders.c.id).where(
                reminders.c.user == user, reminders.c.event == event))).first()
            if known is not None:
                return False
            await connection.execute(insert(reminders).values(
                user=user, channel=channel, address=self._sealer.seal(f"{channel}:{sender}", SUBSCRIBER),
                event=event, remind_at=at))
        return True

    async def forget(self, user: str) -> None:
        """Subscriptions, reminders, and the announcements queued or sent to the person: gone."""
        async with writing(self._engine) as connection:
            await connection.execute(delete(subscriptions).where(subscriptions.c.user == user))
            await connection.execute(delete(reminders).where(reminders.c.user == user))
            await connection.execute(delete(outbox).where(outbox.c.recipient == user, outbox.c.status != SENDING))

    @staticmethod
    def _audience(event: Event, channels: frozenset[str], after: int = 0, limit: int | None = None):
        """Each subscriber of the event once (their first matching subscription), by subscription id."""
        matching = (subscriptions.c.place.in_(event.places),
                    subscriptions.c.category.in_([event.category, ALL]), subscriptions.c.channel.in_(channels))
        first = select(func.min(subscriptions.c.id)).where(*matching).group_by(subscriptions.c.user)
        query = (select(subscriptions.c.id, subscriptions.c.user, subscriptions.c.channel, subscriptions.c.address,
                        users.c.language)
                 .select_from(subscriptions.outerjoin(users, users.c.pseudonym == subscriptions.c.user))
                 .where(subscriptions.c.id.in_(first), subscriptions.c.id > after).order_by(subscriptions.c.id))
        return query.limit(limit) if limit is not None else query

    async def audience(self, event: Event, *, channels: frozenset[str]) -> Counter:
        """Who an announcement would reach: people by (channel, language); nothing is queued."""
        async with self._engine.connect() as connection:
            rows = (await connection.execute(self._audience(event, channels))).all()
        return Counter((row.channel, row.language or "en") for row in rows)

    async def announce(self, event: Event, render: Callable[[str], Reply], *, channels: frozenset[str],
                       now: dt.datetime) -> int:
        """Queue the event for its subscribers a thousand at a time, each batch its own short transaction (the
        server keeps writing meanwhile, and memory stays flat however many there are); a run stopped half-way
        goes on where it stopped, since the outbox takes each subscriber once."""
        replies: dict[str, Reply] = {}
        queued, after = 0, 0
        while True:
            async with self._engine.connect() as connection:
                batch = (await connection.execute(self._audience(event, channels, after, BATCH))).all()
            if not batch:
                break
            after = batch[-1].id
            rows = []
            for row in batch:
                language = row.language or "en"
                if language not in replies:
                    replies[language] = render(language)
                # The outbox keeps its own copy of the sealed address: a subscription may go (/forget) while the
                # message waits.
                rows.append({"channel": row.channel, "address": row.address, "purpose": SUBSCRIBER,
                             "reply": replies[language], "announcement": f"ev:{event.id}", "recipient": row.user})
            async with writing(self._engine) as connection:
                queued += await enqueue_many(connection, rows, now)
        async with writing(self._engine) as connection:
            known = (await connection.execute(select(announced.c.queued).where(announced.c.event == event.id))).first()
            if known is None:
                await connection.execute(insert(announced).values(event=event.id, at=now, queued=queued))
            else:  # announced again by an operator: count who it reached in all
                await connection.execute(update(announced).where(announced.c.event == event.id).values(
                    queued=known.queued + queued))
        return queued

    async def announced(self, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        async with self._engine.connect() as connection:
            return set((await connection.execute(select(announced.c.event).where(
                announced.c.event.in_(list(event_ids))))).scalars())

    async def remind_due(self, render: Callable[[str, str], Reply | None], *, channels: frozenset[str],
                         now: dt.datetime) -> int:
        query = (select(reminders.c.id, reminders.c.user, reminders.c.channel, reminders.c.address,
                        reminders.c.event, users.c.language)
                 .select_from(reminders.outerjoin(users, users.c.pseudonym == reminders.c.user))
                 .where(reminders.c.remind_at <= now).order_by(reminders.c.id).limit(1000))
        queued = 0
        async with writing(self._engine) as connection:
            due = (await connection.execute(query)).all()
            by_event: dict[str, list[dict]] = {}
            for row in due:
                reply = render(row.event, row.language or "en") if row.channel in channels else None
                if reply is not None:
                    by_event.setdefault(row.event, []).append({
                        "channel": row.channel, "address": row.address, "purpose": SUBSCRIBER,
                        "reply": reply, "announcement": f"rm:{row.event}", "recipient": row.user})
            for rows in by_event.values():
                queued += await enqueue_many(connection, rows, now)
            if due:
                await connection.execute(delete(reminders).where(reminders.c.id.in_([row.id for row in due])))
        return queued

    async def drop(self, user: str) -> None:
        """The person blocked the bot or left: no more news or reminders for them (what was sent stays counted)."""
        async with writing(self._engine) as connection:
            await connection.execute(delete(subscriptions).where(subscriptions.c.user == user))
            await connection.execute(delete(reminders).where(reminders.c.user == user))
