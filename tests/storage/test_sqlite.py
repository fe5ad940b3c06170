"""What only SQLite has: a file in the data folder, per-connection pragmas, and bytes anyone with the disk can read."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text

from bot.config import PACKAGE_ROOT
from bot.content.loader import load_content
from bot.core.engine import Engine
from bot.core.identity import Pseudonyms
from bot.core.model import Incoming, Kind, Reply, UserState
from bot.delivery import Sender
from bot.i18n.translator import BabelTranslator
from bot.privacy.sealing import Sealer
from bot.storage import open_database, sqlite_url
from bot.storage.cases import SqlCases
from bot.storage.subscriptions import SqlSubscriptions
from bot.storage.coordinators import SqlCoordinators
from bot.storage.engine import create_engine, stop_between, writing
from bot.storage.database import ServingLock
from bot.storage.statecache import CachedUserStore
from bot.storage.tables import metadata

FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "data" / "content"
SECRET = b"storage-test-secret-key-0123456789abcdef"


@pytest.fixture
async def sqlite_database(tmp_path):
    database = await open_database(sqlite_url(tmp_path))
    yield database
    await database.close()


def test_sqlite_url_is_the_absolute_path_of_putokaz_db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sqlite_url(Path("var")) == f"sqlite+aiosqlite:///{tmp_path.resolve()}/var/putokaz.db"


async def test_a_folder_name_with_url_characters_is_still_the_folder(tmp_path):
    folder = tmp_path / "a?b #c%20d"
    database = await open_database(sqlite_url(folder))
    await database.close()
    assert sorted(p.name for p in tmp_path.rglob("*.db")) == ["putokaz.db"]
    assert (folder / "putokaz.db").is_file()


async def test_open_creates_missing_folders(tmp_path):
    database = await open_database(sqlite_url(tmp_path / "not" / "yet"))
    await database.close()
    assert (tmp_path / "not" / "yet" / "putokaz.db").is_file()


@pytest.mark.parametrize(("pragma", "expected"), [
    ("journal_mode", "wal"),
    ("synchronous", 1),  # NORMAL
    ("foreign_keys", 1),
    ("busy_timeout", 5000),
    ("secure_delete", 1),
])
async def test_every_connection_has_the_pragmas(sqlite_database, pragma, expected):
    engine = sqlite_database.engine
    # Two connections checked out together: the pool opens a second one, which must be configured too.
    async with engine.connect() as first, engine.connect() as second:
        values = [(await c.execute(text(f"PRAGMA {pragma}"))).scalar_one() for c in (first, second)]
    assert values == [expected, expected]


async def test_schema_changes_roll_back_with_their_transaction(sqlite_database):
    # So a migration that fails half way leaves the schema as it was.
    with pytest.raises(RuntimeError, match="half way"):
        async with sqlite_database.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE half_way (id INTEGER)"))
            raise RuntimeError("half way")
    async with sqlite_database.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))).scalars()
        assert sorted(names) == sorted(["alembic_version", *metadata.tables])


async def test_an_in_memory_database_works():
    database = await open_database("sqlite+aiosqlite://")
    try:
        state = UserState(user="ab" * 16, language="bg")
        await database.users.save(state)
        assert await database.users.get(state.user) == state
    finally:
        await database.close()


@pytest.mark.parametrize("url", ["sqlite:///putokaz.db", "putokaz.db"])
async def test_a_url_without_an_async_driver_is_refused_by_name(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=f'got "{url}"'):
        await open_database(url)


def test_a_password_in_a_refused_url_is_hidden():
    with pytest.raises(ValueError) as refused:
        create_engine("postgresql+psycopg2://putokaz:hunter2@127.0.0.1/putokaz")
    assert ("hunter2" in str(refused.value), "postgresql+psycopg2://putokaz:***@127.0.0.1/putokaz" in str(
        refused.value)) == (False, True)


async def test_the_file_holds_the_pseudonym_and_not_the_id_it_was_made_from(tmp_path):
    raw_id = "5550123987"
    pseudonym = Pseudonyms(SECRET)("telegram", raw_id)
    database = await open_database(sqlite_url(tmp_path))
    await database.users.save(UserState(user=pseudonym, language="ar", place="rs-sid"))
    await database.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert (pseudonym.encode() in on_disk, b"rs-sid" in on_disk, raw_id.encode() in on_disk,
            SECRET in on_disk) == (True, True, False, False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["putokaz.db"]  # the WAL was checkpointed into the file


async def test_forget_leaves_no_trace_in_the_file(tmp_path):
    pseudonym = Pseudonyms(SECRET)("telegram", "5550123987")
    database = await open_database(sqlite_url(tmp_path))
    await database.users.save(UserState(user=pseudonym, language="ar", place="rs-sid"))
    await database.users.save(UserState(user="ff" * 16, language="en", place="mk-skopje"))
    await database.users.forget(pseudonym)
    await database.close()
    on_disk = (tmp_path / "putokaz.db").read_bytes()
    assert (pseudonym.encode() in on_disk, b"rs-sid" in on_disk, b"ff" * 16 in on_disk) == (False, False, True)


async def test_a_conversation_stores_no_channel_id(tmp_path):
    # The whole way in: a person talks to the real engine, which saves their state through this store.
    content, problems = load_content(FIXTURE_CONTENT, today=dt.date(2026, 11, 25))
    assert [p for p in problems if p.severity == "error"] == []
    pseudonyms = Pseudonyms(SECRET)
    database = await open_database(sqlite_url(tmp_path))
    engine = Engine(users=database.users, content=lambda: content, translator=BabelTranslator(PACKAGE_ROOT / "locales"),
                    pseudonyms=pseudonyms, questions=database.questions,
                    coordinators=SqlCoordinators(database.engine, pseudonyms, Sealer(SECRET)),
                    cases=SqlCases(database.engine, Sealer(SECRET)),
                    subscriptions=SqlSubscriptions(database.engine, Sealer(SECRET)))
    sender = "5550123987"
    for kind, fields in [(Kind.COMMAND, {"command": "start"}), (Kind.ACTION, {"action": "l:en"}),
                         (Kind.ACTION, {"action": "c:rs"}), (Kind.ACTION, {"action": "p:rs-sid"}),
                         (Kind.TEXT, {"text": "how do I ask for asylum? my number is 064 123 4567"})]:
        await engine.handle(Incoming(channel="telegram", sender=sender, kind=kind, language_hint="en", **fields))
    pseudonym = pseudonyms("telegram", sender)
    assert (await database.users.get(pseudonym)).place == "rs-sid"
    await database.close()
    on_disk = (tmp_path / "putokaz.db").read_bytes()
    assert (pseudonym.encode() in on_disk, sender.encode() in on_disk) == (True, False)
    # The question is logged, scrubbed, and without the pseudonym next to it.
    assert b"how do I ask for asylum? my number is [phone]" in on_disk and b"064 123 4567" not in on_disk


def test_a_file_is_served_by_one_caching_process_or_by_many_without(tmp_path):
    path = str(tmp_path / "putokaz.db")
    caching, plain, other_plain = ServingLock(path), ServingLock(path), ServingLock(path)
    assert caching.claim(alone=True)
    assert not plain.claim(alone=False)  # the caching one is alone
    caching.release()
    assert plain.claim(alone=False) and other_plain.claim(alone=False)  # without memory of state, many may serve
    assert not caching.claim(alone=True)
    plain.release()
    other_plain.release()
    assert caching.claim(alone=True)
    caching.release()


def slow_writes(database, seconds: float) -> list[BaseException]:
    """Let a trigger make writes take `seconds` inside SQLite (its function `sleep`), so that a writer can be caught in
    the middle of its statement; the list returned collects what made SQLAlchemy drop a connection."""
    def sleep(_: object) -> int:
        time.sleep(seconds)
        return 0

    dropped: list[BaseException] = []
    event.listen(database.engine.sync_engine, "connect",
                 lambda connection, record: connection.create_function("sleep", 1, sleep))
    event.listen(database.engine.sync_engine.pool, "invalidate",
                 lambda connection, record, exception: dropped.append(exception))
    database.engine.sync_engine.pool.dispose()  # connections opened from now on have the function
    return dropped


async def test_a_stop_in_the_middle_of_the_state_writers_batch_still_writes_it(sqlite_database):
    # Cancelled inside its statement, the writer's connection was dropped mid-transaction (SQLAlchemy does that on a
    # cancellation), which at times left SQLite's write lock held by the closed connection: the stop then could not
    # write the state (15 s of "database is locked", then lost), nor could anything else in the process.
    dropped = slow_writes(sqlite_database, 0.3)
    async with writing(sqlite_database.engine) as connection:
        await connection.execute(text("CREATE TRIGGER slow AFTER INSERT ON users BEGIN SELECT sleep(1); END"))
    cache = CachedUserStore(sqlite_database.users, capacity=10, delay=0)
    cache.start()
    await cache.save(UserState(user="a" * 32, language="fa", place="rs-sid"))
    await asyncio.sleep(0.1)  # the batch is inside its INSERT now
    async with asyncio.timeout(4):  # well within SQLite's 5 s wait for a lock: nothing was left holding one
        await cache.close()
        await sqlite_database.users.save(UserState(user="b" * 32, language="ar"))
    assert (await sqlite_database.users.get("a" * 32)).language == "fa"
    assert dropped == []  # the batch was let finish, not cut off


async def test_a_stop_in_the_middle_of_the_outbox_senders_round_leaves_the_database_writable(sqlite_database):
    async with writing(sqlite_database.engine) as connection:
        await connection.execute(text("CREATE TRIGGER slow AFTER UPDATE ON outbox BEGIN SELECT sleep(1); END"))
    dropped = slow_writes(sqlite_database, 0.3)
    sealer = Sealer(SECRET)
    await sqlite_database.outbox.add(channel="telegram", address=sealer.seal("telegram:1", "reply"), purpose="reply",
                                     replies=[Reply(text="hi")], now=dt.datetime.now(dt.timezone.utc))
    async with writing(sqlite_database.engine) as connection:  # caught mid-send by a crash: run() recovers it first
        await connection.execute(text("UPDATE outbox SET status = 'sending'"))
    sender = Sender(sqlite_database.outbox, sealer, {})
    running = asyncio.create_task(sender.run())
    await asyncio.sleep(0.1)  # inside a round, in an UPDATE of the outbox
    async with asyncio.timeout(4):
        await sender.stop(running)
        await sqlite_database.users.save(UserState(user="b" * 32, language="ar"))
    assert (running.cancelled(), dropped) == (True, [])


async def test_a_round_that_never_ends_is_cut_after_the_wait_and_the_log_says_so(caplog):
    busy = asyncio.Lock()

    async def stuck() -> None:
        async with busy:
            await asyncio.Event().wait()  # a round that never ends

    task = asyncio.create_task(stuck(), name="stuck loop")
    await asyncio.sleep(0)
    await stop_between(task, busy, wait=0.1)
    assert task.cancelled()
    assert "stuck loop still working after 0.1 s; stopping it mid-round" in caplog.text
