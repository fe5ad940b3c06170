"""The coordinator registry: invites, registration, revocation, and the audit of it all.

An invite code is random (192 bits), single use and expires; only its SHA-256 is stored, so a copy of the database
registers nobody. A coordinator's chat id is stored sealed (bot.privacy.sealing), and found again through a keyed
pseudonym of it, like a refugee's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.identity import Pseudonyms
from bot.core.model import Coordinator
from bot.privacy.sealing import Sealer
from bot.storage.engine import writing
from bot.storage.tables import audit, coordinators, invites

INVITE_VALID = dt.timedelta(hours=72)
CODE_BYTES = 24  # 192 bits, 32 URL-safe characters: fits a Telegram /start payload with its "c_" prefix
PURPOSE = "coordinator"

Clock = Callable[[], dt.datetime]


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(",") if part)


def _coordinator(row) -> Coordinator:
    return Coordinator(id=row.id, name=row.name, places=_split(row.places), topics=_split(row.topics),
                       languages=_split(row.languages), registered=row.address is not None,
                       revoked=row.revoked is not None)


class SqlCoordinators:
    def __init__(self, engine: AsyncEngine, pseudonyms: Pseudonyms, sealer: Sealer,
                 clock: Clock = lambda: dt.datetime.now(dt.timezone.utc), *, sole_server: bool = False) -> None:
        """`sole_server`: this process is the only one serving the database (bot.app claims it), so a chat can
        become a coordinator only through this object's register(): the chats registered are kept in memory and
        find() asks the database only about those (revocation and edits come from the CLI: always read)."""
        self._engine = engine
        self._pseudonyms = pseudonyms
        self._sealer = sealer
        self._clock = clock
        self._sole_server = sole_server
        self._registered: set[str] | None = None  # address keys of registered chats, read on first find()

    def _key(self, channel: str, sender: str) -> str:
        return self._pseudonyms(f"{PURPOSE}:{channel}", sender)

    async def invite(self, name: str, places: Sequence[str], topics: Sequence[str],
                     languages: Sequence[str] = ()) -> tuple[Coordinator, str]:
        """A new coordinator and their one-time invite code."""
        code = secrets.token_urlsafe(CODE_BYTES)
        now = self._clock()
        async with writing(self._engine) as connection:
            result = await connection.execute(insert(coordinators).values(
                name=name, places=",".join(places), topics=",".join(topics), languages=",".join(languages),
                created=now).returning(coordinators.c.id))
            number = int(result.scalar_one())
            await connection.execute(insert(invites).values(code_hash=_hash(code), coordinator_id=number,
                                                            expires=now + INVITE_VALID))
            await _audit(connection, now, number, "invited", f"places={','.join(places)} topics={','.join(topics)}")
        return Coordinator(number, name, tuple(places), tuple(topics), tuple(languages)), code

    async def register(self, code: str, channel: str, sender: str) -> Coordinator | None:
        now = self._clock()
        async with writing(self._engine) as connection:
            invite = (await connection.execute(select(invites).where(invites.c.code_hash == _hash(code)))).first()
            if invite is None or invite.used is not None or invite.expires <= now:
                return None
            row = (await connection.execute(select(coordinators).where(
                coordinators.c.id == invite.coordinator_id))).first()
            if row is None or row.revoked is not None:
                return None
            # One chat is one coordinator: a chat registered before under another invite gives that one up.
            key = self._key(channel, sender)
            await connection.execute(update(coordinators).where(coordinators.c.address_key == key)
                                     .values(address_key=None, address=None, channel=None))
            await connection.execute(update(invites).where(invites.c.code_hash == invite.code_hash).values(used=now))
            await connection.execute(update(coordinators).where(coordinators.c.id == row.id).values(
                channel=channel, address=self._sealer.seal(f"{channel}:{sender}", PURPOSE), address_key=key))
            await _audit(connection, now, row.id, "registered", channel)
            row = (await connection.execute(select(coordinators).where(coordinators.c.id == row.id))).first()
        if self._registered is not None:
            self._registered.add(key)
        return _coordinator(row)

    async def find(self, channel: str, sender: str) -> Coordinator | None:
        """The coordinator registered from this chat and not revoked, or None (most people: no query at all when
        this is the sole server)."""
        key = self._key(channel, sender)
        if self._sole_server:
            if self._registered is None:
                async with self._engine.connect() as connection:
                    self._registered = set((await connection.execute(select(coordinators.c.address_key).where(
                        coordinators.c.address_key.is_not(None)))).scalars())
            if key not in self._registered:
                return None
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(coordinators).where(
                coordinators.c.address_key == key, coordinators.c.revoked.is_(None)))).first()
        return _coordinator(row) if row is not None else None

    async def all(self) -> list[Coordinator]:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(select(coordinators).order_by(coordinators.c.id))).all()
        return [_coordinator(row) for row in rows]

    async def revoke(self, number: int) -> bool:
        now = self._clock()
        async with writing(self._engine) as connection:
            changed = await connection.execute(update(coordinators).where(
                coordinators.c.id == number, coordinators.c.revoked.is_(None)).values(revoked=now))
            if changed.rowcount:
                await _audit(connection, now, number, "revoked", "")
            return bool(changed.rowcount)

    async def edit(self, number: int, *, name: str | None = None, places: Sequence[str] | None = None,
                   topics: Sequence[str] | None = None, languages: Sequence[str] | None = None) -> bool:
        values = {key: value for key, value in (
            ("name", name), ("places", ",".join(places) if places is not None else None),
            ("topics", ",".join(topics) if topics is not None else None),
            ("languages", ",".join(languages) if languages is not None else None)) if value is not None}
        if not values:
            return False
        now = self._clock()
        async with writing(self._engine) as connection:
            changed = await connection.execute(update(coordinators).where(coordinators.c.id == number).values(values))
            if changed.rowcount:
                await _audit(connection, now, number, "edited", " ".join(f"{k}={v}" for k, v in values.items()))
            return bool(changed.rowcount)


async def _audit(connection: AsyncConnection, at: dt.datetime, coordinator: int | None, action: str, detail: str,
                 case: int | None = None) -> None:
    await connection.execute(insert(audit).values(at=at, coordinator_id=coordinator, action=action, case_id=case,
                                                  detail=detail[:400]))
