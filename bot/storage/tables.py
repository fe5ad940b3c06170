"""The schema as SQLAlchemy Core tables: what the stores query and what Alembic's autogenerate compares against.

A change here needs a migration in migrations/versions/ (tests/storage checks that the two agree).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

# Named constraints, so that a later migration can drop or alter one on every backend (SQLite's batch mode needs names).
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime, stored as UTC and always read back as UTC.

    SQLite keeps no offset: it would store an aware value's wall-clock time and hand back a naive one.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"a stored datetime must be timezone-aware, got {value.isoformat()} without an offset")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


users = Table(
    "users",
    metadata,
    # The keyed pseudonym from bot.core.identity. Nothing else that could identify a person belongs in this table:
    # no channel id, no name, no username, no phone number.
    Column("pseudonym", String(64), primary_key=True),
    Column("language", String(16), nullable=True),
    Column("place", String(64), nullable=True),
    Column("awaiting", String(32), nullable=False, server_default=text("''")),
    Column("updated", UtcDateTime(), nullable=False),
)


questions = Table(
    "questions",
    metadata,
    # No pseudonym and no time of day: a question cannot be linked to a person or to their chat's timeline.
    # `text` is scrubbed of phone numbers, e-mails, ids and names before it is written (bot.privacy.scrub).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_on", Date, nullable=False),
    Column("language", String(16), nullable=False),
    Column("place", String(64), nullable=True),
    Column("text", Text, nullable=False),
    Column("answer", String(64), nullable=True),
    Column("score", Float, nullable=False, server_default=text("0")),
    Column("feedback", SmallInteger, nullable=False, server_default=text("0")),  # 1 helpful, -1 not, 0 none
    Column("alert", String(32), nullable=True),
)


# ---- coordinators and cases (issue 5) --------------------------------------------------------------------------

coordinators = Table(
    "coordinators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),  # as the network knows them; shown in the audit, never to refugees
    Column("places", String(400), nullable=False),  # "rs-sid,rs-beograd" or a country "rs"
    Column("topics", String(200), nullable=False),  # "legal,health" or "all"
    Column("languages", String(200), nullable=False, server_default=text("''")),
    Column("channel", String(16), nullable=True),  # set when they register
    Column("address", Text, nullable=True),  # their chat id, sealed (bot.privacy.sealing)
    Column("address_key", String(64), nullable=True, unique=True),  # keyed pseudonym of channel + chat id, to find them
    Column("created", UtcDateTime(), nullable=False),
    Column("revoked", UtcDateTime(), nullable=True),
)

invites = Table(
    "invites",
    metadata,
    Column("code_hash", String(64), primary_key=True),  # sha256 of the code: a database copy cannot register anyone
    Column("coordinator_id", Integer, nullable=False),
    Column("expires", UtcDateTime(), nullable=False),
    Column("used", UtcDateTime(), nullable=True),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(64), nullable=False, index=True),  # the refugee's pseudonym, for their thread and /forget
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=True),  # the refugee's chat id, sealed; erased after the case closes
    Column("place", String(64), nullable=False),
    Column("topic", String(16), nullable=False),
    Column("language", String(16), nullable=False),
    Column("urgent", Integer, nullable=False, server_default=text("0")),
    Column("status", String(16), nullable=False),  # open, taken, closed, withdrawn, undeliverable
    Column("taken_by", Integer, nullable=True),
    Column("created", UtcDateTime(), nullable=False),
    Column("updated", UtcDateTime(), nullable=False),
    Column("announced", UtcDateTime(), nullable=False),  # last time coordinators were told of it
    Column("escalated", Integer, nullable=False, server_default=text("0")),
    Column("closed", UtcDateTime(), nullable=True),
    Column("rating", SmallInteger, nullable=True),
)

case_messages = Table(
    "case_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("author", String(16), nullable=False),  # refugee, coordinator, system
    Column("coordinator_id", Integer, nullable=True),
    Column("text", Text, nullable=False),
    Column("created", UtcDateTime(), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    # Every message to a refugee or a coordinator, written in the transaction that caused it; a sender drains it.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=False),  # sealed
    Column("purpose", String(16), nullable=False),  # refugee or coordinator: the sealing purpose of `address`
    Column("payload", Text, nullable=False),  # the Reply as JSON
    Column("case_id", Integer, nullable=True, index=True),
    Column("status", String(16), nullable=False, index=True),  # pending, sending, sent, failed, blocked
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt", UtcDateTime(), nullable=False),
    Column("created", UtcDateTime(), nullable=False),
    Column("sent", UtcDateTime(), nullable=True),
    Column("error", String(200), nullable=True),
    Column("delivered", UtcDateTime(), nullable=True),  # the channel reported it on the person's phone
    Column("seen", UtcDateTime(), nullable=True),  # ... and read
    # A reply can be several messages (a long text, then a map pin); a retry starts after those already sent.
    Column("parts", Integer, nullable=False, server_default=text("0")),
    # An announcement ("ev:<event id>", "rm:<event id>") and its subscriber's pseudonym: one row per subscriber and
    # announcement at most, so an announcement run twice or resumed after a crash sends nobody anything twice.
    Column("announcement", String(80), nullable=True),
    Column("recipient", String(64), nullable=True),
    # 1 for announcements: a bulk lane the sender drains at the channel's rate, after what people wait for now.
    Column("bulk", SmallInteger, nullable=False, server_default=text("0")),
    UniqueConstraint("announcement", "recipient"),
    Index("ix_outbox_status_bulk", "status", "bulk"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    # Opt-in event news: under the pseudonym, with the chat address sealed (bot.privacy.sealing, "subscriber").
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(64), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=False),
    Column("place", String(64), nullable=False, index=True),
    Column("category", String(32), nullable=False),  # an event category, or "all"
    Column("created", UtcDateTime(), nullable=False),
    UniqueConstraint("user", "place", "category"),
)

reminders = Table(
    "reminders",
    metadata,
    # "Remind me": the day before an event, once; the row goes when the reminder is queued.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(64), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=False),
    Column("event", String(64), nullable=False),
    Column("remind_at", UtcDateTime(), nullable=False, index=True),
    UniqueConstraint("user", "event"),
)

announced = Table(
    "announced",
    metadata,
    # Events already announced, so a restart or a content reload does not announce them again.
    Column("event", String(64), primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("queued", Integer, nullable=False),
)

receipts = Table(
    "receipts",
    metadata,
    # The channel's id of each message an outbox row became (Viber's message_token), so that a later delivery
    # report finds its row; one row can be several messages (a long text, a map pin).
    Column("channel", String(16), primary_key=True),
    Column("token", String(40), primary_key=True),
    Column("outbox_id", Integer, nullable=False, index=True),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("coordinator_id", Integer, nullable=True),
    Column("action", String(32), nullable=False),  # invited, registered, revoked, took, replied, closed, ...
    Column("case_id", Integer, nullable=True),
    Column("detail", String(400), nullable=False, server_default=text("''")),
)
