"""Per-person state in SQL: bot.core.ports.UserStore over SQLAlchemy Core, one short statement per call."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Insert, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.model import UserState
from bot.storage.engine import writing
from bot.storage.tables import users

# Each UserState field with its column; lengths are checked here so every backend refuses the same values
# (SQLite would store a value of any length, PostgreSQL would raise its own error).
_FIELDS = {"user": users.c.pseudonym, "language": users.c.language, "place": users.c.place,
           "awaiting": users.c.awaiting}


class SqlUserStore:
    """Implements bot.core.ports.UserStore; returns UserState, never rows."""

    def __init__(self, engine: AsyncEngine, *, native_upsert: bool = True) -> None:
        """`native_upsert=False` takes the UPDATE-then-INSERT path that dialects without ON CONFLICT take."""
        self._engine = engine
        self._select = select(users.c.language, users.c.place, users.c.awaiting, users.c.updated).where(
            users.c.pseudonym == bindparam("key"))
        self._delete = delete(users).where(users.c.pseudonym == bindparam("key"))
        self._update = update(users).where(users.c.pseudonym == bindparam("key"))
        self._insert = insert(users)
        self._upsert = _upsert(engine.dialect.name) if native_upsert else None

    async def get(self, user: str) -> UserState | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(self._select, {"key": user})).one_or_none()
        return _state(user, row) if row is not None else None

    async def save(self, state: UserState) -> None:
        await self.save_many([state])

    async def recent(self, limit: int) -> list[UserState]:
        """Up to `limit` people, the most recently changed first (the state cache fills itself from these)."""
        query = select(users.c.pseudonym, users.c.language, users.c.place, users.c.awaiting, users.c.updated
                       ).order_by(users.c.updated.desc()).limit(limit)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_state(row.pseudonym, row) for row in rows]

    def check(self, state: UserState) -> None:
        """Raise ValueError when `state` cannot be stored, as save() would, without writing anything."""
        _values(state)

    async def save_many(self, states: Iterable[UserState]) -> None:
        """Write many people's state in one transaction (the state cache's batches)."""
        rows = [_values(state) for state in states]
        if not rows:
            return
        # The write lock first (BEGIN IMMEDIATE): a batch written while the sender commits waits its turn.
        async with writing(self._engine) as connection:
            if self._upsert is not None:
                await connection.execute(self._upsert, rows)  # one executemany
                return
            for values in rows:
                changed = await connection.execute(self._update, {"key": values["pseudonym"], **values})
                if changed.rowcount == 0:
                    await connection.execute(self._insert, values)

    async def forget(self, user: str) -> None:
        """Erase everything stored under this pseudonym (SQLite overwrites the freed space: see engine.py)."""
        async with writing(self._engine) as connection:
            await connection.execute(self._delete, {"key": user})


def _state(user: str, row: Any) -> UserState:
    return UserState(user=user, language=row.language, place=row.place, awaiting=row.awaiting, updated=row.updated)


def _values(state: UserState) -> dict[str, Any]:
    if not state.user:
        raise ValueError("UserState.user must be a pseudonym, got an empty string")
    for field, column in _FIELDS.items():
        value = getattr(state, field)
        if value is not None and len(value) > column.type.length:
            # The pseudonym's value is left out of the message: it might be a raw id passed by mistake.
            shown = f"{len(value)} characters" if field == "user" else f'{len(value)} characters: "{value[:80]}"'
            raise ValueError(f"UserState.{field} must be at most {column.type.length} characters, got {shown}")
    if state.updated.utcoffset() is None:
        raise ValueError(f"UserState.updated must be timezone-aware, got {state.updated.isoformat()}")
    return {"pseudonym": state.user, "language": state.language, "place": state.place,
            "awaiting": state.awaiting, "updated": state.updated}


def _upsert(dialect: str) -> Insert | None:
    """INSERT ... ON CONFLICT DO UPDATE in the dialect's own words, or None when it has none we use."""
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        return None
    statement = dialect_insert(users)
    return statement.on_conflict_do_update(
        index_elements=[users.c.pseudonym],
        set_={column.name: statement.excluded[column.name] for column in users.c if not column.primary_key})
