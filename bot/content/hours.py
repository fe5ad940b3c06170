"""Opening hours as editors write them: "mon-fri 08:30-16:30", "sat,sun 10:00-14:00", "daily 09:00-21:00", "24/7".

Structured, not prose, so that the bot can name the days in each reader's language (CLDR) and nobody has to
translate "Working days" thirteen times.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.content.schema import suggest
from bot.core.model import OpeningHours

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALIASES = {"daily": tuple(range(7)), "weekdays": tuple(range(5)), "weekend": (5, 6)}
_LINE = re.compile(r"(?P<days>\S+)\s+(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})")
ALWAYS = "24/7"
FORMAT_HINT = 'like "mon-fri 08:30-16:30", "sat,sun 10:00-14:00", "daily 09:00-21:00" or "24/7"'


class HoursError(ValueError):
    pass


def parse_hours(text: str) -> OpeningHours:
    """One line of opening hours; HoursError says what is wrong in the editor's words."""
    written = " ".join(text.lower().split())
    if written == ALWAYS:
        return OpeningHours(days=tuple(range(7)), opens=dt.time(0, 0), closes=dt.time.max)
    match = _LINE.fullmatch(written)
    if match is None:
        raise HoursError(f'opening hours "{text}" must be written {FORMAT_HINT}')
    days = _days(match["days"])
    opens, closes = _time(match["opens"], text), _time(match["closes"], text)
    if closes != dt.time.max and closes <= opens:
        raise HoursError(f'opening hours "{text}": closing time {match["closes"]} is not after opening time '
                         f'{match["opens"]} (a night shift is two lines, "... 22:00-24:00" and "... 00:00-06:00")')
    return OpeningHours(days=days, opens=opens, closes=closes)


def _days(written: str) -> tuple[int, ...]:
    if written in _ALIASES:
        return _ALIASES[written]
    days: list[int] = []
    for part in written.split(","):
        first, dash, last = part.partition("-")
        start = _day(first)
        end = _day(last) if dash else start
        if end < start:
            raise HoursError(f'days "{part}" run backwards: write {DAYS[end]}-{DAYS[start]} or list them, '
                             f'like "sat,sun"')
        for day in range(start, end + 1):
            if day in days:
                raise HoursError(f'day "{DAYS[day]}" is named twice in "{written}"')
            days.append(day)
    return tuple(days)


def _day(written: str) -> int:
    try:
        return DAYS.index(written)
    except ValueError:
        raise HoursError(f'unknown day "{written}"{suggest(written, DAYS)}; days are '
                         f'{", ".join(DAYS)}, or daily, weekdays, weekend') from None


def _time(written: str, text: str) -> dt.time:
    hours, minutes = (int(part) for part in written.split(":"))
    if (hours, minutes) == (24, 0):
        return dt.time.max
    if hours > 23 or minutes > 59:
        raise HoursError(f'opening hours "{text}": {written} is not a time of day (00:00 to 24:00)')
    return dt.time(hours, minutes)
