"""Opening hours as editors write them, and what is wrong with a line, in the editor's words."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content.hours import HoursError, parse_hours
from bot.core.model import OpeningHours

WEEKDAYS = (0, 1, 2, 3, 4)


@pytest.mark.parametrize(("written", "expected"), [
    ("mon-fri 08:30-16:30", OpeningHours(WEEKDAYS, dt.time(8, 30), dt.time(16, 30))),
    ("Mon-Fri 8:30 - 16:30", OpeningHours(WEEKDAYS, dt.time(8, 30), dt.time(16, 30))),
    ("sat,sun 10:00-14:00", OpeningHours((5, 6), dt.time(10), dt.time(14))),
    ("mon,wed-fri 09:00-12:00", OpeningHours((0, 2, 3, 4), dt.time(9), dt.time(12))),
    ("weekdays 10:00-20:00", OpeningHours(WEEKDAYS, dt.time(10), dt.time(20))),
    ("daily 18:00-24:00", OpeningHours(tuple(range(7)), dt.time(18), dt.time.max)),
    ("24/7", OpeningHours(tuple(range(7)), dt.time(0), dt.time.max)),
])
def test_reads_the_forms_editors_write(written, expected):
    assert parse_hours(written) == expected


def test_only_24_7_is_all_day():
    assert (parse_hours("24/7").all_day, parse_hours("daily 00:00-23:00").all_day) == (True, False)


@pytest.mark.parametrize(("written", "message"), [
    ("Working days 08:30-16:30", 'opening hours "Working days 08:30-16:30" must be written like "mon-fri'),
    ("mon-fry 08:30-16:30", 'unknown day "fry" (did you mean fri?)'),
    ("fri-mon 08:30-16:30", 'days "fri-mon" run backwards: write mon-fri'),
    ("mon,mon 08:30-16:30", 'day "mon" is named twice'),
    ("mon 16:30-08:30", "closing time 08:30 is not after opening time 16:30"),
    ("mon 08:30-25:00", "25:00 is not a time of day"),
    ("mon 08:61-09:00", "08:61 is not a time of day"),
])
def test_says_what_is_wrong(written, message):
    with pytest.raises(HoursError) as raised:
        parse_hours(written)
    assert message in str(raised.value)
