"""`putokaz questions report`: unanswered and disliked questions grouped, biggest first, as a table or CSV."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import subprocess
import sys

from bot.core.model import Question
from bot.report import group, needs_work
from bot.storage import open_database, sqlite_url
from bot.storage.questions import LoggedQuestion

DAY = dt.date(2026, 11, 25)


def logged(number, text, language="en", place="rs-sid", answer=None, score=0.0, feedback=0, alert=None):
    return LoggedQuestion(number, DAY, language, place, text, answer, score, feedback, alert)


def test_what_needs_work():
    assert needs_work(logged(1, "when can I work"))
    assert needs_work(logged(2, "work", answer="a:rights-rs", score=0.5))  # a weak answer
    assert needs_work(logged(3, "work", answer="a:rights-rs", score=9.0, feedback=-1))  # disliked
    assert not needs_work(logged(4, "work", answer="a:rights-rs", score=9.0))
    assert not needs_work(logged(5, "he beats me", alert="violence"))  # answered by the lines


def test_similar_questions_group_per_language_and_place_biggest_first():
    groups = group([
        logged(1, "where is the bus to Belgrade"),
        logged(2, "when can I work"),
        logged(3, "When can I work?"),
        logged(4, "can i work now, when", feedback=-1, answer="a:rights-rs", score=5),
        logged(5, "when can I work", place="mk-skopje"),
        logged(6, "کی میتونم کار کنم", language="fa"),
    ])
    assert [(len(g.questions), g.language, g.place, g.example) for g in groups] == [
        (3, "en", "rs-sid", "when can I work"), (1, "en", "mk-skopje", "when can I work"),
        (1, "en", "rs-sid", "where is the bus to Belgrade"), (1, "fa", "rs-sid", "کی میتونم کار کنم")]
    assert (groups[0].unanswered, groups[0].disliked, groups[0].answers) == (2, 1, "a:rights-rs")


def test_the_command_prints_a_table_and_csv_from_the_log(tmp_path):
    async def fill():
        database = await open_database(sqlite_url(tmp_path))
        for text in ("when can I work", "When can I work?", "bus to Belgrade"):
            await database.questions.record(Question(text=text + " +381 64 1234567", language="en",
                                                     place="rs-sid", answer=None))
        await database.close()

    asyncio.run(fill())
    env = {**os.environ, "PUTOKAZ_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "bot", "questions", "report", *args],  # noqa: E731
                                       env=env, capture_output=True, text=True, timeout=60)
    table = run()
    assert table.returncode == 0, table.stderr
    assert "when can I work" in table.stdout and "3 questions" in table.stdout
    assert "1234567" not in table.stdout  # scrubbed when stored
    rows = list(csv.reader(io.StringIO(run("--format", "csv").stdout)))
    assert rows[0][:4] == ["asked", "unanswered", "disliked", "language"] and rows[1][:3] == ["2", "2", "0"]
    assert run("--lang", "fa", "--format", "csv").stdout.count("\n") == 1  # the header only
    bad = run("--days", "0")
    assert (bad.returncode, bad.stderr.strip()) == (2, "putokaz: --days must be 1 or more, got 0")
