"""The outbox: every message to a refugee or a coordinator, written in the transaction that caused it, and
drained by bot.delivery.Sender. Nothing is lost between a commit and a send: a row stays pending until a channel
says it was delivered; a row caught mid-send by a crash is sent again at start (at least once, never zero).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.model import Button, Document, Location, Reply
from bot.storage.engine import writing
from bot.storage.tables import outbox, receipts

PENDING, SENDING, SENT, BLOCKED, FAILED, WITHDRAWN = "pending", "sending", "sent", "blocked", "failed", "withdrawn"
FINISHED = (SENT, BLOCKED, FAILED, WITHDRAWN)
# Delivery reports a channel sends about a message after it was accepted (Viber's callbacks).
DELIVERED, SEEN = "delivered", "seen"


@dataclass(frozen=True)
class Message:
    id: int
    channel: str
    address: str  # sealed
    purpose: str
    reply: Reply
    case_id: int | None
    attempts: int
    parts: int = 0  # of the reply's messages, already sent by earlier attempts
    announcement: str | None = None  # "ev:<event>": bulk, paced to the channel's rate
    recipient: str | None = None  # the subscriber's pseudonym, for an announcement


async def enqueue_many(connection: AsyncConnection, rows: Sequence[dict], now: dt.datetime) -> int:
    """Queue the rows of one announcement (channel, address, purpose, reply, announcement, recipient), a thousand a
    statement; a recipient already queued for it is skipped. The number queued."""
    queued = 0
    values = [{"channel": r["channel"], "address": r["address"], "purpose": r["purpose"],
               "payload": to_json(r["reply"]), "case_id": None, "status": PENDING, "attempts": 0,
               "next_attempt": now, "created": now, "announcement": r["announcement"],
               "recipient": r["recipient"], "bulk": 1} for r in rows]
    for start in range(0, len(values), 1000):
        chunk = values[start:start + 1000]
        taken = set((await connection.execute(select(outbox.c.recipient).where(
            outbox.c.announcement == chunk[0]["announcement"],
            outbox.c.recipient.in_([v["recipient"] for v in chunk])))).scalars())
        fresh = [v for v in chunk if v["recipient"] not in taken]
        if fresh:
            await connection.execute(insert(outbox), fresh)
            queued += len(fresh)
    return queued


def to_json(reply: Reply) -> str:
    data: dict = {"text": reply.text, "language": reply.language,
                  "buttons": [[[b.label, b.action, b.url] for b in row] for row in reply.buttons]}
    if reply.location is not None:
        data["location"] = [reply.location.lat, reply.location.lon, reply.location_title, reply.location_address]
    if reply.request_location:
        data["request_location"] = True
    if reply.link_preview:
        data["link_preview"] = True
    if reply.document is not None:
        document = reply.document
        data["document"] = [document.name, document.mime, base64.b64encode(document.data).decode(), document.path]
    return json.dumps(data, ensure_ascii=False)


def from_json(payload: str) -> Reply:
    data = json.loads(payload)
    buttons = tuple(tuple(Button(label, action, url) for label, action, url in row) for row in data["buttons"])
    lat, lon, title, address = data.get("location") or (None, None, "", "")
    document = None
    if data.get("document"):
        name, mime, content, path = data["document"]
        document = Document(name, mime, base64.b64decode(content), path)
    return Reply(text=data["text"], buttons=buttons, language=data["language"], document=document,
                 location=Location(lat, lon) if lat is not None else None, location_title=title,
                 location_address=address, request_location=data.get("request_location", False),
                 link_preview=data.get("link_preview", False))


async def enqueue(connection: AsyncConnection, *, channel: str, address: str, purpose: str, reply: Reply,
                  case_id: int | None, now: dt.datetime) -> None:
    """Add a message inside the caller's transaction: it is sent if and only if the transaction commits."""
    await connection.execute(insert(outbox).values(channel=channel, address=address, purpose=purpose,
                                                   payload=to_json(reply), case_id=case_id, status=PENDING,
                                                   attempts=0, next_attempt=now, created=now))


class SqlOutbox:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, *, channel: str, address: str, purpose: str, replies: Sequence[Reply],
                  now: dt.datetime) -> None:
        """Queue the replies to one chat, in order, in one transaction: all of them or none."""
        async with writing(self._engine) as connection:
            for reply in replies:
                await enqueue(connection, channel=channel, address=address, purpose=purpose, reply=reply,
                              case_id=None, now=now)

    async def recover(self) -> int:
        """At start: messages a crash caught between claiming and confirming go back to pending."""
        async with writing(self._engine) as connection:
            result = await connection.execute(update(outbox).where(outbox.c.status == SENDING).values(status=PENDING))
            return result.rowcount

    async def due(self, now: dt.datetime, limit: int = 50, *, bulk: bool = False) -> list[Message]:
        """Messages whose time has come, oldest first: what people wait for now, or (bulk) announcements."""
        query = (select(outbox).where(outbox.c.status == PENDING, outbox.c.bulk == int(bulk),
                                      outbox.c.next_attempt <= now)
                 .order_by(outbox.c.id).limit(limit))
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_message(r) for r in rows]

    async def progress(self, announcement: str) -> dict[str, int]:
        """How far an announcement got: rows by status."""
        query = (select(outbox.c.status, func.count()).where(outbox.c.announcement == announcement)
                 .group_by(outbox.c.status))
        async with self._engine.connect() as connection:
            return {status: count for status, count in (await connection.execute(query)).all()}

    async def claim(self, number: int) -> bool:
        """Pending -> sending; False when another sender took it first."""
        async with writing(self._engine) as connection:
            changed = await connection.execute(update(outbox).where(outbox.c.id == number, outbox.c.status == PENDING)
                                               .values(status=SENDING, attempts=outbox.c.attempts + 1))
            return changed.rowcount == 1

    async def settle(self, number: int, status: str, now: dt.datetime, *, retry_at: dt.datetime | None = None,
                     error: str = "", channel: str = "", tokens: Sequence[str] = (), erase: bool = False,
                     parts: int | None = None) -> None:
        """Record how a send ended; `tokens` are the channel's ids of what was sent, for its delivery reports;
        `erase` drops the message's text and address once sent (a menu shown to someone is nobody's record)."""
        values: dict = {"status": status, "error": error[:200] or None}
        if status == SENT:
            values["sent"] = now
            if erase:
                values.update(payload="", address="")
        if status == PENDING:
            values["next_attempt"] = retry_at or now
        if parts is not None:
            values["parts"] = parts
        async with writing(self._engine) as connection:
            await connection.execute(update(outbox).where(outbox.c.id == number).values(values))
            for token in dict.fromkeys(tokens):
                await connection.execute(insert(receipts).values(channel=channel, token=token[:40],
                                                                 outbox_id=number))

    async def report(self, channel: str, token: str, event: str, at: dt.datetime,
                     error: str = "") -> tuple[int, str, int | None] | None:
        """A channel's later word on a sent message: delivered, seen or failed. The row's id, purpose and case, or
        None when the token is unknown (a message from before a purge, or not ours)."""
        async with writing(self._engine) as connection:
            row = (await connection.execute(
                select(outbox.c.id, outbox.c.purpose, outbox.c.case_id, outbox.c.delivered)
                .join(receipts, receipts.c.outbox_id == outbox.c.id)
                .where(receipts.c.channel == channel, receipts.c.token == token[:40]))).first()
            if row is None:
                return None
            if event == DELIVERED and row.delivered is None:
                values: dict = {"delivered": at}
            elif event == SEEN:
                values = {"seen": at}
            elif event == FAILED:
                values = {"status": FAILED, "error": (error or "the channel reported a failure")[:200]}
            else:
                return row.id, row.purpose, row.case_id
            await connection.execute(update(outbox).where(outbox.c.id == row.id).values(values))
            return row.id, row.purpose, row.case_id

    async def pending(self, channel: str) -> list[Message]:
        """Every message of a channel still waiting to be sent."""
        query = select(outbox).where(outbox.c.channel == channel, outbox.c.status == PENDING).order_by(outbox.c.id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_message(r) for r in rows]

    async def prune(self, before: dt.datetime) -> int:
        """Delete finished messages created before `before`, with their receipts; the number deleted."""
        async with writing(self._engine) as connection:
            old = select(outbox.c.id).where(outbox.c.status.in_(FINISHED), outbox.c.created < before)
            await connection.execute(delete(receipts).where(receipts.c.outbox_id.in_(old)))
            result = await connection.execute(delete(outbox).where(outbox.c.status.in_(FINISHED),
                                                                   outbox.c.created < before))
            return result.rowcount

    async def counts(self) -> dict[str, int]:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))).all()
        return {status: count for status, count in rows}


def _message(row) -> Message:
    return Message(row.id, row.channel, row.address, row.purpose, from_json(row.payload), row.case_id, row.attempts,
                   row.parts, row.announcement, row.recipient)
