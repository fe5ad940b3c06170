"""An event's .ics: RFC 5545 text escaping, UTC times, folded lines, the event's position."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bot.core.calendar import ics
from bot.core.model import Event, Location

SKOPJE = zoneinfo.ZoneInfo("Europe/Skopje")
EVENT = Event(id="day-skopje", places=("mk-skopje",), category="community", titles={"en": "Day"},
              descriptions={"en": "x"}, starts=dt.datetime(2026, 12, 19, 14, 0, tzinfo=SKOPJE),
              ends=dt.datetime(2026, 12, 19, 17, 0, tzinfo=SKOPJE), venue="Hall; big, warm",
              address="Ulica 1, Skopje", location=Location(41.9961, 21.4317), organiser='The "network"',
              source="test", last_verified=dt.date(2026, 11, 25), registration="https://example.org/r")


def lines(data: bytes) -> list[str]:
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def test_one_event_in_utc_with_its_place_and_link():
    text = lines(ics(EVENT, title="Community day", description="Tea, music\nand games", language="mk",
                     now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)))
    assert text[0] == "BEGIN:VCALENDAR" and text[-1] == "END:VCALENDAR"
    assert "DTSTART:20261219T130000Z" in text and "DTEND:20261219T160000Z" in text  # 14:00 in Skopje, winter
    assert "DTSTAMP:20261125T090000Z" in text and "UID:day-skopje@putokaz" in text
    assert "SUMMARY;LANGUAGE=mk:Community day" in text
    assert "DESCRIPTION;LANGUAGE=mk:Tea\\, music\\nand games" in text
    assert "LOCATION:Hall\\; big\\, warm\\, Ulica 1\\, Skopje" in text
    assert "GEO:41.996100;21.431700" in text and "URL:https://example.org/r" in text
    assert "ORGANIZER;CN=\"The 'network'\":mailto:noreply@putokaz.invalid" in text


def test_long_lines_are_folded_at_75_octets_never_inside_a_character():
    data = ics(EVENT, title="Курс " * 40, description="x", now=dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc))
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # every folded piece is whole UTF-8
    assert "SUMMARY;LANGUAGE=en:" + "Курс " * 40 in lines(data)
