"""`putokaz questions report`: what people asked that the guide did not answer well, grouped, so editors know
what to write next.

A question counts when it found no answer, a weak one, or got a 👎. Within each language and place, questions that
say the same thing in other words ("when can I work", "work permit when") fall into one group (rapidfuzz on the
folded text); the biggest groups come first, each shown by its most typical question.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rich.console import Console
from rich.table import Table

from bot.content.fold import fold
from bot.storage.questions import LoggedQuestion

SIMILAR = 70  # token_set_ratio from which two questions ask the same thing
WEAK_SCORE = 2.0  # a best answer scoring under this is as good as none


@dataclass
class Group:
    language: str
    place: str
    questions: list[LoggedQuestion] = field(default_factory=list)

    @property
    def example(self) -> str:
        return self.questions[0].text

    @property
    def unanswered(self) -> int:
        return sum(1 for q in self.questions if q.answer is None or q.score < WEAK_SCORE)

    @property
    def disliked(self) -> int:
        return sum(1 for q in self.questions if q.feedback < 0)

    @property
    def answers(self) -> str:
        given = sorted({q.answer for q in self.questions if q.answer})
        return ", ".join(given[:3]) + (" …" if len(given) > 3 else "")


def needs_work(question: LoggedQuestion) -> bool:
    """Unanswered, weakly answered or disliked; protection alerts are answered by the lines, not counted."""
    if question.alert:
        return False
    return question.answer is None or question.score < WEAK_SCORE or question.feedback < 0


def group(questions: Iterable[LoggedQuestion]) -> list[Group]:
    """Groups of similar questions needing work, per language and place, biggest first."""
    groups: list[Group] = []
    keys: list[str] = []
    for question in questions:
        if not needs_work(question):
            continue
        key = fold(question.text)
        place = question.place or "-"
        for index, existing in enumerate(groups):
            if (existing.language, existing.place) == (question.language, place) and \
                    fuzz.token_set_ratio(key, keys[index]) >= SIMILAR:
                existing.questions.append(question)
                break
        else:
            groups.append(Group(question.language, place, [question]))
            keys.append(key)
    groups.sort(key=lambda g: (-len(g.questions), -g.disliked, g.language, g.place))
    return groups


COLUMNS = ("asked", "unanswered", "👎", "language", "place", "question", "answers given")


def rows(groups: Sequence[Group]) -> list[tuple[str, ...]]:
    return [(str(len(g.questions)), str(g.unanswered), str(g.disliked), g.language, g.place, g.example, g.answers)
            for g in groups]


def as_csv(groups: Sequence[Group]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["asked", "unanswered", "disliked", "language", "place", "question", "answers given"])
    writer.writerows(rows(groups))
    return out.getvalue()


def as_table(groups: Sequence[Group], since: dt.date, total: int, console: Console) -> None:
    table = Table(title=f"Questions to work on since {since.isoformat()} ({len(groups)} groups, "
                        f"{sum(len(g.questions) for g in groups)} of {total} questions)", show_lines=False)
    for name in COLUMNS:
        table.add_column(name, overflow="fold", justify="right" if name in ("asked", "unanswered", "👎") else "left")
    for row in rows(groups):
        table.add_row(*row)
    console.print(table)
