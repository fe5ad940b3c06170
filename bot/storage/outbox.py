"""The outbox: every message to a refugee or a coordinator, written in the transaction that caused it, and
drained by bot.delivery.Sender. Nothing is lost between a commit and a send: a row stays pending until a channel
says it was delivered; a row caught mid-send by a crash is sent again at start (at least once, never zero).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.model import Button, Reply
from bot.storage.tables import outbox

PENDING, SENDING, SENT, BLOCKED, FAILED = "pending", "sending", "sent", "blocked", "failed"


@dataclass(frozen=True)
class Message:
    id: int
    channel: str
    address: str  # sealed
    purpose: str
    reply: Reply
    case_id: int | None
    attempts: int


def to_json(reply: Reply) -> str:
    return json.dumps({"text": reply.text, "language": reply.language,
                       "buttons": [[[b.label, b.action, b.url] for b in row] for row in reply.buttons]},
                      ensure_ascii=False)


def from_json(payload: str) -> Reply:
    data = json.loads(payload)
    buttons = tuple(tuple(Button(label, action, url) for label, action, url in row) for row in data["buttons"])
    return Reply(text=data["text"], buttons=buttons, language=data["language"])


async def enqueue(connection: AsyncConnection, *, channel: str, address: str, purpose: str, reply: Reply,
                  case_id: int | None, now: dt.datetime) -> None:
    """Add a message inside the caller's transaction: it is sent if and only if the transaction commits."""
    await connection.execute(insert(outbox).values(channel=channel, address=address, purpose=purpose,
                                                   payload=to_json(reply), case_id=case_id, status=PENDING,
                                                   attempts=0, next_attempt=now, created=now))


class SqlOutbox:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def recover(self) -> int:
        """At start: messages a crash caught between claiming and confirming go back to pending."""
        async with self._engine.begin() as connection:
            result = await connection.execute(update(outbox).where(outbox.c.status == SENDING).values(status=PENDING))
            return result.rowcount

    async def due(self, now: dt.datetime, limit: int = 50) -> list[Message]:
        query = (select(outbox).where(outbox.c.status == PENDING, outbox.c.next_attempt <= now)
                 .order_by(outbox.c.id).limit(limit))
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [Message(r.id, r.channel, r.address, r.purpose, from_json(r.payload), r.case_id, r.attempts)
                for r in rows]

    async def claim(self, number: int) -> bool:
        """Pending -> sending; False when another sender took it first."""
        async with self._engine.begin() as connection:
            changed = await connection.execute(update(outbox).where(outbox.c.id == number, outbox.c.status == PENDING)
                                               .values(status=SENDING, attempts=outbox.c.attempts + 1))
            return changed.rowcount == 1

    async def settle(self, number: int, status: str, now: dt.datetime, *, retry_at: dt.datetime | None = None,
                     error: str = "") -> None:
        values: dict = {"status": status, "error": error[:200] or None}
        if status == SENT:
            values["sent"] = now
        if status == PENDING:
            values["next_attempt"] = retry_at or now
        async with self._engine.begin() as connection:
            await connection.execute(update(outbox).where(outbox.c.id == number).values(values))

    async def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        async with self._engine.connect() as connection:
            rows = (await connection.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))).all()
        return {status: count for status, count in rows}
