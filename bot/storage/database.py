"""Opening Putokaz's database: an engine, the schema brought up to date, and the stores over it."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrations
from bot.storage.engine import create_engine
from bot.storage.outbox import SqlOutbox
from bot.storage.questions import SqlQuestionLog
from bot.storage.users import SqlUserStore

SQLITE_FILE = "putokaz.db"


def sqlite_url(data_dir: Path) -> str:
    """The URL of the SQLite file in `data_dir`, as an absolute path."""
    path = Path(data_dir).resolve() / SQLITE_FILE
    # Percent-encoded, so that a "?", "#" or "%" in a folder name is not read as URL syntax.
    return "sqlite+aiosqlite:///" + quote(str(path), safe="/")


def database_url(configured: str | None, data_dir: Path) -> str:
    """PUTOKAZ_DATABASE_URL when it is set, else the SQLite file in the data folder."""
    return configured or sqlite_url(Path(data_dir).resolve())


class Database:
    """An open database and its stores; `close()` when done."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.users = SqlUserStore(engine)
        self.questions = SqlQuestionLog(engine)
        self.outbox = SqlOutbox(engine)

    async def close(self) -> None:
        # Closing SQLite's last connection also checkpoints the WAL into the file and removes it.
        await self.engine.dispose()


async def open_database(url: str) -> Database:
    """Connect to an async database URL and upgrade its schema to the newest migration."""
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
    except BaseException:
        await engine.dispose()
        raise
    return Database(engine)


class ServingLock:
    """Claims an SQLite file for serving processes, as long as the process lives (the OS frees it on exit).

    A process that keeps people's state in memory must be the only one serving its database: another would serve what
    the first has since changed (bot.storage.statecache). It claims the file alone; processes without that memory
    (PUTOKAZ_STATE_CACHE=0) claim it together. PostgreSQL deployments of several processes set PUTOKAZ_STATE_CACHE=0.
    """

    def __init__(self, database_file: str) -> None:
        self.path = Path(database_file + ".serving")
        self._fd: int | None = None

    def claim(self, *, alone: bool) -> bool:
        """Take the claim; False when a process holds it in a way that excludes this one."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if alone else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
