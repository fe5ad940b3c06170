"""The anonymised question log: bot.core.ports.QuestionLog over SQLAlchemy Core.

Every question goes through bot.privacy.scrub here, in the one place that writes the table, so no caller can
store a phone number by forgetting to scrub.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.model import Question
from bot.privacy.scrub import scrub
from bot.storage.engine import writing
from bot.storage.tables import questions


@dataclass(frozen=True)
class LoggedQuestion:
    """A row of the log, for reports."""

    id: int
    asked_on: dt.date
    language: str
    place: str | None
    text: str
    answer: str | None
    score: float
    feedback: int
    alert: str | None


log = logging.getLogger(__name__)
RETRY_DELAY = 1.0  # a failed batch of the sole server waits this long before it is tried again
CLOSE_WAIT = 15.0


class SqlQuestionLog:
    def __init__(self, engine: AsyncEngine, today: Callable[[], dt.date] = dt.date.today, *,
                 sole_server: bool = False) -> None:
        """`sole_server`: this process is the only one writing questions (bot.app claims the database), so it numbers
        them itself and writes them a moment after the answer, in batches: an answer never waits for the disk."""
        self._engine = engine
        self._today = today
        # SQLite only: it moves its own numbering past numbers given to it, PostgreSQL's sequences would not.
        self._sole_server = sole_server and engine.dialect.name == "sqlite"
        self._insert = insert(questions).returning(questions.c.id, sort_by_parameter_order=True)
        self._waiting: list[tuple[dict, asyncio.Future[int] | None]] = []
        self._writer: asyncio.Task | None = None
        self._next: int | None = None  # the sole server's next number
        self._numbering = asyncio.Lock()

    async def record(self, question: Question) -> int:
        """Store one question and return its number. Questions asked at the same moment share one transaction
        (a group commit): under a spike, 50 people's questions cost one write, not 50 in a row."""
        values = {"asked_on": self._today(), "language": question.language[:16],
                  "place": question.place[:64] if question.place else None, "text": scrub(question.text),
                  "answer": question.answer[:64] if question.answer else None, "score": float(question.score),
                  "alert": question.alert[:32] if question.alert else None}
        if self._sole_server:
            values["id"] = await self._number()
            self._waiting.append((values, None))
            self._start_writer()
            return values["id"]
        numbered: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting.append((values, numbered))
        self._start_writer()
        return await asyncio.shield(numbered)  # a person who leaves does not undo a question already on its way

    async def flush(self) -> None:
        """Write every question still waiting (the sole server's, before reading them back or closing)."""
        while self._waiting or (self._writer is not None and not self._writer.done()):
            if self._writer is None or self._writer.done():
                self._start_writer()
            await asyncio.shield(self._writer)

    async def close(self) -> None:
        """Write what is waiting; call before the database closes (a database that stays unwritable for
        CLOSE_WAIT seconds loses what waits, and says how much)."""
        try:
            async with asyncio.timeout(CLOSE_WAIT):
                await self.flush()
        except TimeoutError:
            log.error("closing with %d question(s) not written: the database did not take them", len(self._waiting))
            if self._writer is not None:
                self._writer.cancel()

    async def open(self) -> None:
        """The sole server reads where its numbering goes on now, at start: left to the first question of a spike,
        that read held up every question asked meanwhile (measured: 20 answers at 100-200 ms under bench/load.py)."""
        if self._sole_server:
            async with self._numbering:
                await self._read_next()

    async def _number(self) -> int:
        async with self._numbering:
            if self._next is None:
                await self._read_next()
            number, self._next = self._next, self._next + 1
        return number

    async def _read_next(self) -> None:
        async with self._engine.connect() as connection:
            self._next = int((await connection.execute(select(func.max(questions.c.id)))).scalar() or 0) + 1

    def _start_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting(), name="question log")

    async def _write_waiting(self) -> None:
        """Write every waiting question, one transaction per round; those that arrive meanwhile go in the next."""
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with writing(self._engine) as connection:
                    if self._sole_server:
                        await connection.execute(insert(questions), [values for values, _ in batch])
                        continue
                    result = await connection.execute(self._insert, [values for values, _ in batch])
                    numbers = [int(number) for number in result.scalars().all()]
            except Exception as error:
                if self._sole_server:
                    # Nothing is lost: the batch waits in memory and is tried again in a moment.
                    log.exception("writing %d question(s) failed; retrying", len(batch))
                    self._waiting[:0] = batch
                    await asyncio.sleep(RETRY_DELAY)
                    continue
                for _, numbered in batch:
                    if numbered is not None and not numbered.done():
                        numbered.set_exception(error)
                continue
            for (_, numbered), number in zip(batch, numbers, strict=True):
                if numbered is not None and not numbered.done():
                    numbered.set_result(number)

    async def get(self, number: int) -> tuple[str, str | None] | None:
        """A logged question's (scrubbed) text and the protection alert it raised, if any."""
        await self.flush()
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(questions.c.text, questions.c.alert)
                                            .where(questions.c.id == number))).first()
        return (row.text, row.alert) if row is not None else None

    async def rate(self, number: int, helpful: bool) -> None:
        await self.flush()
        async with writing(self._engine) as connection:
            await connection.execute(update(questions).where(questions.c.id == number)
                                     .values(feedback=1 if helpful else -1))

    async def since(self, day: dt.date, *, place: str | None = None, language: str | None = None
                    ) -> list[LoggedQuestion]:
        """The questions asked on or after `day`, oldest first, optionally of one place or language."""
        await self.flush()
        query = select(questions).where(questions.c.asked_on >= day).order_by(questions.c.id)
        if place is not None:
            query = query.where(questions.c.place == place)
        if language is not None:
            query = query.where(questions.c.language == language)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [LoggedQuestion(**row._mapping) for row in rows]

    async def count(self) -> int:
        await self.flush()
        async with self._engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(questions))).scalar_one())
