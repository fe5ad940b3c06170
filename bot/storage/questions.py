"""The anonymised question log: bot.core.ports.QuestionLog over SQLAlchemy Core.

Every question goes through bot.privacy.scrub here, in the one place that writes the table, so no caller can
store a phone number by forgetting to scrub.
"""

from __future__ import annotations

import asyncio
import datetime as dt
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


class SqlQuestionLog:
    def __init__(self, engine: AsyncEngine, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._engine = engine
        self._today = today
        self._insert = insert(questions).returning(questions.c.id, sort_by_parameter_order=True)
        self._waiting: list[tuple[dict, asyncio.Future[int]]] = []
        self._writer: asyncio.Task | None = None

    async def record(self, question: Question) -> int:
        """Store one question and return its number. Questions asked at the same moment share one transaction
        (a group commit): under a spike, 50 people's questions cost one write, not 50 in a row."""
        values = {"asked_on": self._today(), "language": question.language[:16],
                  "place": question.place[:64] if question.place else None, "text": scrub(question.text),
                  "answer": question.answer[:64] if question.answer else None, "score": float(question.score),
                  "alert": question.alert[:32] if question.alert else None}
        numbered: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting.append((values, numbered))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting(), name="question log")
        return await asyncio.shield(numbered)  # a person who leaves does not undo a question already on its way

    async def _write_waiting(self) -> None:
        """Write every waiting question, one transaction per round; those that arrive meanwhile go in the next."""
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with writing(self._engine) as connection:
                    result = await connection.execute(self._insert, [values for values, _ in batch])
                    numbers = [int(number) for number in result.scalars().all()]
            except Exception as error:
                for _, numbered in batch:
                    if not numbered.done():
                        numbered.set_exception(error)
                continue
            for (_, numbered), number in zip(batch, numbers, strict=True):
                if not numbered.done():
                    numbered.set_result(number)

    async def get(self, number: int) -> tuple[str, str | None] | None:
        """A logged question's (scrubbed) text and the protection alert it raised, if any."""
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(questions.c.text, questions.c.alert)
                                            .where(questions.c.id == number))).first()
        return (row.text, row.alert) if row is not None else None

    async def rate(self, number: int, helpful: bool) -> None:
        async with writing(self._engine) as connection:
            await connection.execute(update(questions).where(questions.c.id == number)
                                     .values(feedback=1 if helpful else -1))

    async def since(self, day: dt.date, *, place: str | None = None, language: str | None = None
                    ) -> list[LoggedQuestion]:
        """The questions asked on or after `day`, oldest first, optionally of one place or language."""
        query = select(questions).where(questions.c.asked_on >= day).order_by(questions.c.id)
        if place is not None:
            query = query.where(questions.c.place == place)
        if language is not None:
            query = query.where(questions.c.language == language)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [LoggedQuestion(**row._mapping) for row in rows]

    async def count(self) -> int:
        async with self._engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(questions))).scalar_one())
