"""The schema's history as Alembic migrations, applied through the application's own async engine.

The Alembic configuration is built here in code, so a running Putokaz needs no alembic.ini; developers use
bot/storage/alembic.ini for `alembic revision`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

from bot.storage.engine import WRITE_LOCK

FOLDER = Path(__file__).resolve().parent

# Serialises migrations between processes that open one PostgreSQL database at once ("putokaz" in ASCII).
POSTGRES_LOCK = 0x707574_6F6B617A


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration; env.py migrates `connection` when one is given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision in versions/."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None, f"{FOLDER / 'versions'} holds no migration"
    return revision


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, in one transaction; a no-op when it is there already."""
    if revision == "head" and await _at(engine, _newest()):
        return  # the usual start: nothing to do, and Alembic (a fifth of a second to import) is not loaded
    from alembic import command

    await _run(engine, lambda config: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to `revision` ("base" drops every table the migrations made)."""
    from alembic import command

    await _run(engine, lambda config: command.downgrade(config, revision))


@cache
def _newest() -> str | None:
    """The revision no migration in versions/ builds on, read from the files as written; None if unsure."""
    revisions, parents = set(), set()
    for path in (FOLDER / "versions").glob("[0-9]*.py"):
        text_ = path.read_text(encoding="utf-8")
        found = re.search(r'^revision: str = "([^"]+)"', text_, re.MULTILINE)
        parent = re.search(r'^down_revision: [^=]+= (?:"([^"]+)"|None)', text_, re.MULTILINE)
        if found is None or parent is None:
            return None  # a file in another shape: let Alembic decide
        revisions.add(found.group(1))
        if parent.group(1):
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def _at(engine: AsyncEngine, revision: str | None) -> bool:
    """Whether the database says it is at `revision` (False when unsure: no table yet, or another answer)."""
    if revision is None:
        return False
    try:
        async with engine.connect() as connection:
            versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except DBAPIError:
        return False  # a new database: no alembic_version table yet
    return versions == [revision]


async def _run(engine: AsyncEngine, step: Callable[[Config], None]) -> None:
    # The database lock is taken before Alembic starts: it keeps two processes from migrating at once, and also two
    # opens in one process, which would otherwise cross (Alembic's `context` and `op` are process-wide proxies).
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            await connection.execution_options(**{WRITE_LOCK: True})
        async with connection.begin():
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK})
            await connection.run_sync(lambda sync: step(alembic_config(sync)))
