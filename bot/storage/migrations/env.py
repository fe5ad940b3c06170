"""Alembic's environment: migrate the connection Putokaz hands over, or, run by hand, the database named by
`-x url=...`, PUTOKAZ_DATABASE_URL or sqlalchemy.url in bot/storage/alembic.ini (in that order)."""

from __future__ import annotations

import asyncio
import logging.config
import os

from alembic import context
from sqlalchemy import Connection

from bot.storage.engine import create_engine
from bot.storage.tables import metadata

config = context.config


def migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        # bot/storage/engine.py makes SQLite's DDL transactional, which Alembic does not assume by itself.
        transactional_ddl=True if connection.dialect.name == "sqlite" else None,
    )
    with context.begin_transaction():
        context.run_migrations()


def url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("PUTOKAZ_DATABASE_URL")
    return given or config.get_main_option("sqlalchemy.url") or ""


async def migrate_by_hand() -> None:
    engine = create_engine(url())
    try:
        async with engine.begin() as connection:
            await connection.run_sync(migrate)
    finally:
        await engine.dispose()


given = config.attributes.get("connection")
if given is not None:
    migrate(given)
else:
    if config.config_file_name is not None:
        logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)
    if context.is_offline_mode():
        context.configure(url=url(), target_metadata=metadata, literal_binds=True,
                          dialect_opts={"paramstyle": "named"})
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(migrate_by_hand())
