"""The question log keeps questions without people: scrubbed text, no pseudonym, a day and not a time."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import event, select

from bot.core.model import Question
from bot.storage.questions import SqlQuestionLog
from bot.storage.tables import questions


async def test_a_question_is_stored_scrubbed_with_its_answer(database):
    log = SqlQuestionLog(database.engine, today=lambda: dt.date(2026, 11, 25))
    number = await log.record(Question(text="My name is Ahmad, call me on +381 64 1234567: when can I work?",
                                       language="en", place="rs-sid", answer="a:rights-rs", score=4.5))
    [row] = await log.since(dt.date(2026, 11, 1))
    assert (row.id, row.asked_on, row.language, row.place, row.answer, row.score, row.feedback) == (
        number, dt.date(2026, 11, 25), "en", "rs-sid", "a:rights-rs", 4.5, 0)
    assert row.text == "My name is [name], call me on [phone]: when can I work?"


async def test_nothing_typed_reaches_the_table_unscrubbed(database):
    log = SqlQuestionLog(database.engine)
    await log.record(Question(text="email me at amira.k@example.org", language="en", place=None, answer=None))
    async with database.engine.connect() as connection:
        texts = (await connection.execute(select(questions.c.text))).scalars().all()
    assert texts == ["email me at [email]"]


async def test_feedback_is_recorded_and_an_unknown_number_is_ignored(database):
    log = SqlQuestionLog(database.engine)
    first = await log.record(Question(text="azil", language="sr", place=None, answer="a:asylum-steps-rs"))
    second = await log.record(Question(text="posao", language="sr", place=None, answer=None))
    await log.rate(first, helpful=True)
    await log.rate(second, helpful=False)
    await log.rate(999, helpful=True)
    assert [(q.id, q.feedback) for q in await log.since(dt.date.min)] == [(first, 1), (second, -1)]


async def test_filters_by_place_and_language(database):
    log = SqlQuestionLog(database.engine)
    for language, place in (("ar", "rs-sid"), ("fa", "rs-sid"), ("ar", "mk-skopje")):
        await log.record(Question(text="q", language=language, place=place, answer=None))
    assert len(await log.since(dt.date.min, place="rs-sid")) == 2
    assert len(await log.since(dt.date.min, place="rs-sid", language="ar")) == 1
    assert await log.count() == 3


async def test_questions_asked_at_once_share_transactions_and_each_gets_its_own_number(database):
    log = SqlQuestionLog(database.engine)
    began = []
    event.listen(database.engine.sync_engine, "begin", lambda connection: began.append(1))
    texts = [f"question number {n}" for n in range(40)]
    numbers = await asyncio.gather(*(log.record(Question(text=t, language="en", place=None, answer=None))
                                     for t in texts))
    transactions = len(began)
    assert len(set(numbers)) == 40
    assert [(await log.get(number))[0] for number in numbers] == texts  # each number leads to its own question
    assert transactions < 10  # a handful of group commits, not 40 transactions in a row


async def test_the_sole_server_numbers_questions_itself_and_writes_them_behind_the_answer(database_url):
    from bot.storage import open_database

    database = await open_database(database_url)
    earlier = await SqlQuestionLog(database.engine).record(Question(text="before", language="en", place=None,
                                                                     answer=None))
    log = SqlQuestionLog(database.engine, sole_server=True)
    numbers = await asyncio.gather(*(log.record(Question(text=f"q{n}", language="ar", place="rs-sid", answer=None))
                                     for n in range(5)))
    assert numbers == [earlier + 1 + n for n in range(5)]  # after what the database holds, in order
    await log.rate(numbers[2], helpful=False)  # reading or rating waits for the write first
    assert [(q.id, q.text, q.feedback) for q in await log.since(dt.date.min)][-3:] == [
        (numbers[2], "q2", -1), (numbers[3], "q3", 0), (numbers[4], "q4", 0)]
    last = await log.record(Question(text="asked just before the stop", language="en", place=None, answer=None))
    await log.close()  # what waits is written before the database closes
    await database.close()
    reopened = await open_database(database_url)
    try:
        assert (await SqlQuestionLog(reopened.engine).get(last)) == ("asked just before the stop", None)
    finally:
        await reopened.close()


async def test_the_sole_server_reads_where_its_numbering_goes_on_at_start_not_on_a_question(database):
    await SqlQuestionLog(database.engine).record(Question(text="before", language="en", place=None, answer=None))
    log = SqlQuestionLog(database.engine, sole_server=True)
    await log.open()
    statements: list[str] = []
    event.listen(database.engine.sync_engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: statements.append(statement))
    numbers = await asyncio.gather(*(log.record(Question(text=f"q{n}", language="ar", place=None, answer=None))
                                     for n in range(3)))
    assert numbers == [2, 3, 4]
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT")]  # no answer waited for a read
    await log.close()
