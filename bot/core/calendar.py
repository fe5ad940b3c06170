"""An event as an iCalendar file (RFC 5545), for "Add to calendar": one VEVENT, times in UTC.

Times are written in UTC ("...Z") so every calendar shows them at the right local hour without needing the zone's
rules; text is escaped (backslash, semicolon, comma, newline) and lines are folded at 75 octets, as the RFC asks.
"""

from __future__ import annotations

import datetime as dt

from bot.core.model import Event

PRODUCT = "-//Putokaz//Events//EN"
LINE_OCTETS = 75


def ics(event: Event, *, title: str, description: str, now: dt.datetime, language: str = "en") -> bytes:
    """The calendar file of one event, with its title and description in the person's language."""
    where = ", ".join(part for part in (event.venue, event.address) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.id}@putokaz",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(event.starts)}",
        f"DTEND:{_utc(event.ends)}",
        f"SUMMARY;LANGUAGE={language.replace('_', '-')}:{_text(title)}",
        f"DESCRIPTION;LANGUAGE={language.replace('_', '-')}:{_text(description)}",
        f"LOCATION:{_text(where)}",
        f"ORGANIZER;CN={_parameter(event.organiser)}:mailto:noreply@putokaz.invalid",
    ]
    if event.location is not None:
        lines.append(f"GEO:{event.location.lat:.6f};{event.location.lon:.6f}")
    if event.registration:
        lines.append(f"URL:{event.registration}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _parameter(value: str) -> str:
    """A parameter value: quoted, since it may hold commas and colons; quotes themselves cannot appear."""
    return '"' + value.replace('"', "'").replace("\n", " ") + '"'


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after one space, never inside a UTF-8 character."""
    parts, current = [], ""
    for char in line:
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)
