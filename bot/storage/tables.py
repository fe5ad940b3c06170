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
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
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
