"""The sole server's coordinator lookup: most people are told apart from coordinators without a query, and a
revocation from the command line still takes effect at once."""

from __future__ import annotations

from sqlalchemy import event

from bot.core.identity import Pseudonyms
from bot.privacy.sealing import Sealer
from bot.storage.coordinators import SqlCoordinators

KEY = b"k" * 32


async def test_the_sole_server_asks_the_database_only_about_registered_chats(database):
    server = SqlCoordinators(database.engine, Pseudonyms(KEY), Sealer(KEY), sole_server=True)
    command_line = SqlCoordinators(database.engine, Pseudonyms(KEY), Sealer(KEY))
    first, code = await command_line.invite("Šid legal aid", ["rs-sid"], ["legal"])
    queries = []
    event.listen(database.engine.sync_engine, "before_cursor_execute", lambda *args: queries.append(args[2]))

    assert await server.find("telegram", "111") is None  # the first look reads who is registered
    seen = len(queries)
    assert [await server.find("telegram", str(n)) for n in range(100, 110)] == [None] * 10
    assert len(queries) == seen  # then people who are not coordinators cost no query

    registered = await server.register(code, "telegram", "555")
    assert (await server.find("telegram", "555")).id == registered.id == first.id
    assert await command_line.revoke(first.id)
    assert await server.find("telegram", "555") is None  # revoked from the command line: refused at once


async def test_a_server_that_is_not_alone_always_asks(database):
    one = SqlCoordinators(database.engine, Pseudonyms(KEY), Sealer(KEY))
    other = SqlCoordinators(database.engine, Pseudonyms(KEY), Sealer(KEY))
    assert await one.find("viber", "abc") is None
    _, code = await other.invite("Skopje", ["mk-skopje"], ["all"])
    await other.register(code, "viber", "abc")  # registered through another process
    assert (await one.find("viber", "abc")).name == "Skopje"
