"""The async engine: one per database URL, with SQLite's per-connection settings and real transactions."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

log = logging.getLogger(__name__)

# SQLite keeps these per connection (journal_mode is kept in the file, but asking again costs nothing).
SQLITE_BUSY_SECONDS = 5
SQLITE_PRAGMAS: tuple[tuple[str, str], ...] = (
    # First: switching a new file to WAL takes a lock, and without a timeout a second process opening the same new
    # database at that moment fails at once with "database is locked".
    ("busy_timeout", str(SQLITE_BUSY_SECONDS * 1000)),  # wait up to 5 s for another writer instead of failing at once
    ("journal_mode", "WAL"),  # readers never wait for the writer, nor the writer for readers
    ("synchronous", "NORMAL"),  # with WAL a power cut can lose the last commits, never corrupt the file
    ("foreign_keys", "ON"),
    # forget() erases: deleted rows are overwritten, not left in free pages. Debian's SQLite is built with this on,
    # other builds are not.
    ("secure_delete", "ON"),
)

SQLITE_POOL_SIZE = 12
# How long a stop waits for a background task's round of database work before cutting it (stop_between).
STOP_WAIT = 20.0

# Execution option: open the transaction with BEGIN IMMEDIATE (take the write lock first), for transactions that read
# and then write, like a migration. A plain BEGIN that later wants to write can fail at once with "database is
# locked" when another writer committed in between; busy_timeout does not help there.
WRITE_LOCK = "putokaz_sqlite_write_lock"


def create_engine(url: str | URL) -> AsyncEngine:
    """An engine for an async database URL; a SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
        dialect = parsed.get_dialect()
    except ArgumentError:
        raise ValueError(f'the database URL must look like sqlite+aiosqlite:///var/putokaz.db or '
                         f'postgresql+asyncpg://user@host/db, got "{url}"') from None
    shown = parsed.render_as_string(hide_password=True)
    if not getattr(dialect, "is_async", False):
        raise ValueError(f'the database URL must name an async driver (sqlite+aiosqlite, postgresql+asyncpg), '
                         f'got "{shown}"')
    if parsed.get_backend_name() == "sqlite":
        _make_folder(parsed)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite" and (parsed.database or ":memory:") != ":memory:":
        # Readers run side by side in WAL: keep enough connections open for a burst, and no overflow ones: those
        # were opened (pragmas and all) and closed again on every use under load, and a closing SQLite connection
        # may checkpoint, which got in the writers' way.
        options = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 0}
    try:
        engine = create_async_engine(parsed, **options)
    except ModuleNotFoundError as error:
        raise ValueError(f'the database URL "{shown}" needs the Python package {error.name}, '
                         f'which is not installed') from None
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
    return engine


def _make_folder(url: URL) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    Path(database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for name, value in SQLITE_PRAGMAS:
            _pragma(cursor, name, value)
    finally:
        cursor.close()
    # The sqlite3 module opens transactions only before INSERT/UPDATE/DELETE, so DDL would be autocommitted and a
    # half-applied migration left behind. Take BEGIN over (SQLAlchemy's documented recipe, "sqlite_transactions").
    dbapi_connection.isolation_level = None


def _pragma(cursor: Any, name: str, value: str) -> None:
    """Set one pragma; SQLite does not wait (busy_timeout) to switch a new file to WAL while another process opening
    it at the same moment holds a lock, so that one is retried for as long as busy_timeout would wait."""
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            cursor.execute(f"PRAGMA {name}={value}")
            return
        except Exception as error:  # the driver's OperationalError, as aiosqlite and SQLAlchemy adapt it
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)  # blocks: but only while processes race to create one new database, at start


def _begin_sqlite(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_LOCK, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction that writes. On SQLite, this process's writers take turns in memory first (an asyncio lock per
    engine), then take the write lock (BEGIN IMMEDIATE): a writer never fails with "database is locked" because
    another committed between its read and its write, and never sleeps in SQLite's busy handler, whose growing
    naps (up to 100 ms each) made the slowest answers wait seconds under load. Writers of other processes (the CLI)
    are still waited for by busy_timeout."""
    if engine.dialect.name != "sqlite":
        async with engine.begin() as connection:
            yield connection
        return
    async with _turn(engine):
        async with engine.connect() as connection:
            connection = await connection.execution_options(**{WRITE_LOCK: True})
            async with connection.begin():
                yield connection


def _turn(engine: AsyncEngine) -> asyncio.Lock:
    """The lock this process's writers of one SQLite database queue on (made on first use, in the running loop)."""
    lock = _WRITERS.get(engine.sync_engine)
    if lock is None:
        lock = _WRITERS[engine.sync_engine] = asyncio.Lock()
    return lock


_WRITERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def stop_between(task: asyncio.Task, busy: asyncio.Lock, *, wait: float = STOP_WAIT) -> None:
    """Cancel a task that works on the database inside `busy`, at a moment it is outside, and wait for it to end.
    A round that is still under way after `wait` seconds is cancelled where it is, and the log says so.

    Never cancel a task inside a database call: SQLAlchemy then drops the connection mid-transaction (its state is
    unknown), and aiosqlite closes it while the statement is still open, which leaves SQLite's write lock held by a
    closed connection for as long as the process lives. Every later write of the process then fails with "database is
    locked"; seen when a stop cut the outbox sender or the state writer mid-batch, and the stop then could not write
    people's pending state.
    """
    try:
        async with asyncio.timeout(wait):
            await busy.acquire()
    except TimeoutError:
        log.warning("%s still working after %g s; stopping it mid-round", task.get_name(), wait)
        task.cancel()
    else:
        task.cancel()  # it is waiting outside `busy`, or for it
        busy.release()
    await asyncio.gather(task, return_exceptions=True)
