"""The schema's history as Alembic migrations, applied through the application's own async engine.

The Alembic configuration is built here in code, so a running Putokaz needs no alembic.ini; developers use
bot/storage/alembic.ini for `alembic revision`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import WRITE_LOCK

FOLDER = Path(__file__).resolve().parent

# Serialises migrations between processes that open one PostgreSQL database at once ("putokaz" in ASCII).
POSTGRES_LOCK = 0x707574_6F6B617A


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration; env.py migrates `connection` when one is given."""
    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision in versions/."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None, f"{FOLDER / 'versions'} holds no migration"
    return revision


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, in one transaction; a no-op when it is there already."""
    await _run(engine, lambda config: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to `revision` ("base" drops every table the migrations made)."""
    await _run(engine, lambda config: command.downgrade(config, revision))


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
