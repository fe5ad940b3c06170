"""Backends every storage test runs on: SQLite in a temporary folder, and PostgreSQL when a URL is given."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import open_database, sqlite_url
from bot.storage.tables import metadata

POSTGRES_URL = os.environ.get("PUTOKAZ_TEST_POSTGRES_URL", "")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.skipif(
        not POSTGRES_URL,
        reason="PUTOKAZ_TEST_POSTGRES_URL is not set; give it postgresql+asyncpg://user:password@127.0.0.1/db "
               "of a throwaway database (the tests drop its tables) to run the PostgreSQL backend")),
]


@pytest.fixture(params=BACKENDS)
async def database_url(request, tmp_path):
    """The URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "data")
        return
    await drop_everything(POSTGRES_URL)
    yield POSTGRES_URL
    await drop_everything(POSTGRES_URL)


@pytest.fixture
async def database(database_url):
    """An open database, schema at head, closed after the test."""
    opened = await open_database(database_url)
    yield opened
    await opened.close()


async def drop_everything(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        await engine.dispose()
