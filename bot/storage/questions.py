"""The anonymised question log: bot.core.ports.QuestionLog over SQLAlchemy Core.

Every question goes through bot.privacy.scrub here, in the one place that writes the table, so no caller can
store a phone number by forgetting to scrub.
"""

from __future__ import annotations

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

    async def record(self, question: Question) -> int:
        values = {"asked_on": self._today(), "language": question.language[:16],
                  "place": question.place[:64] if question.place else None, "text": scrub(question.text),
                  "answer": question.answer[:64] if question.answer else None, "score": float(question.score),
                  "alert": question.alert[:32] if question.alert else None}
        async with writing(self._engine) as connection:
            result = await connection.execute(insert(questions).values(values).returning(questions.c.id))
            return int(result.scalar_one())

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
