"""The schema comes from the Alembic migrations, at open, on every backend."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, event, inspect, text

from bot.core.model import UserState
from bot.storage import migrations, open_database
from bot.storage.tables import metadata

TABLES = {"alembic_version", *metadata.tables}
# Exactly these columns: a column that could hold a channel id, a name or a username must never appear.
USERS_COLUMNS = {
    "pseudonym": {"nullable": False, "primary_key": True},
    "language": {"nullable": True, "primary_key": False},
    "place": {"nullable": True, "primary_key": False},
    "awaiting": {"nullable": False, "primary_key": False},
    "updated": {"nullable": False, "primary_key": False},
}


async def tables_and_users_columns(engine):
    def read(connection):
        inspector = inspect(connection)
        primary_key = inspector.get_pk_constraint("users")["constrained_columns"]
        columns = {c["name"]: {"nullable": c["nullable"], "primary_key": c["name"] in primary_key}
                   for c in inspector.get_columns("users")}
        return set(inspector.get_table_names()), columns

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def version(engine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars())


async def test_open_creates_the_users_table_with_only_its_columns(database):
    tables, columns = await tables_and_users_columns(database.engine)
    assert (tables, columns) == (TABLES, USERS_COLUMNS)


async def test_the_question_log_has_no_column_that_could_name_a_person(database):
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: {c["name"] for c in inspect(sync).get_columns("questions")})
    assert names == {"id", "asked_on", "language", "place", "text", "answer", "score", "feedback", "alert"}


async def test_open_leaves_the_database_at_the_newest_migration(database):
    assert (await version(database.engine), migrations.head()) == (["0005"], "0005")


async def test_the_migrations_build_what_tables_py_declares(database):
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    assert differences == []


async def test_a_second_open_changes_nothing(database_url):
    first = await open_database(database_url)
    state = UserState(user="ab" * 16, language="mk", place="mk-skopje")
    await first.users.save(state)
    await first.close()
    statements: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append(statement.strip().split()[0].upper())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        second = await open_database(database_url)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    try:
        assert statements != []  # the listener saw the migration check, so an empty set below means something
        assert {s for s in statements if s in {"CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"}} == set()
        assert (await version(second.engine), await second.users.get(state.user)) == ([migrations.head()], state)
    finally:
        await second.close()


async def test_downgrade_to_base_drops_the_schema_and_upgrade_restores_it(database):
    await migrations.downgrade(database.engine, "base")
    async with database.engine.connect() as connection:
        after_downgrade = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await migrations.upgrade(database.engine)
    assert (after_downgrade, await tables_and_users_columns(database.engine)) == (
        {"alembic_version"}, (TABLES, USERS_COLUMNS))


async def test_processes_opening_a_new_database_at_once_all_succeed(database_url):
    # Each open has its own engine, as separate processes would; the migrations must queue, not collide.
    opened = await asyncio.gather(*(open_database(database_url) for _ in range(4)))
    try:
        assert [await version(d.engine) for d in opened] == [[migrations.head()]] * 4
    finally:
        for database in opened:
            await database.close()


def test_the_newest_revision_read_from_the_files_is_alembics_head():
    # upgrade() skips Alembic when the database is already there; it must agree with Alembic on where "there" is.
    assert migrations._newest() == migrations.head()
