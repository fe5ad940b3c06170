"""Events: content/events/<country>.yaml, lists of things on at a place, in that country's time zone.

Editors write local times ("2026-12-05 10:00"); the country's `timezone` in countries.yaml makes them exact, so
a class in Skopje and one in Sofia an hour apart in UTC both read as their local 10:00.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from bot.content.files import Declared, Reading
from bot.content.schema import Entry, shown, suggest
from bot.core.model import EVENT_CATEGORIES, Country, Event, Location

EVENT_FIELDS = {"id", "example", "places", "category", "title", "description", "starts", "ends", "venue", "address",
                "lat", "lon", "organiser", "registration", "capacity", "source", "last_verified"}
LOCAL_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})")
# Longer than this is a course or a mistake in the end date; an editor should look.
LONGEST_DAYS = 31


def load_events(reading: Reading, countries: dict[str, Country], country_codes: Declared, place_ids: Declared,
                place_country: dict[str, str], read_location) -> list[Event]:
    """Every event without errors. Ended ones stay in the pack (screens show only what is to come) but are
    reported, so editors clear them out."""
    ids = Declared()
    events = []
    for code, path, items in reading.country_files("events", "event", country_codes):
        country = countries.get(code)
        if country is None:
            continue  # the country has errors of its own, reported in countries.yaml
        for entry in reading.entries(path, items, "event", EVENT_FIELDS):
            event = _event(entry, country, ids, place_ids, place_country, read_location)
            if event is not None:
                events.append(event)
    return events


def _event(entry: Entry, country: Country, ids: Declared, place_ids: Declared, place_country: dict[str, str],
           read_location) -> Event | None:
    event_id = entry.ident("id")
    if event_id is not None:
        ids.add(entry, "id", event_id, "event id")
    places = entry.items("places", required=True) or []
    for place, line in places:
        if not place_ids.knows(place):
            entry.error_at(line, f"unknown place {shown(place)}{suggest(place, place_ids.where)}")
        elif place in place_country and place_country[place] != country.code:
            entry.error_at(line, f"place {shown(place)} is in {place_country[place]}, but this file lists the "
                                 f"events of {country.code}")
    category = entry.choice("category", EVENT_CATEGORIES, noun="event category")
    titles = entry.localized("title", required=True)
    descriptions = entry.localized("description", required=True)
    zone = zoneinfo.ZoneInfo(country.timezone)
    starts = _local_time(entry, "starts", zone)
    ends = _local_time(entry, "ends", zone)
    if starts is not None and ends is not None:
        if ends <= starts:
            entry.error("ends", f"ends {entry.data['ends']} is not after starts {entry.data['starts']}")
        elif ends - starts > dt.timedelta(days=LONGEST_DAYS):
            entry.warning_at(entry.line_of("ends"), f"the event lasts more than {LONGEST_DAYS} days: check the dates")
        elif ends.date() < entry.today:
            entry.warning_at(entry.line_of("ends"), f"the event ended on {ends.date().isoformat()}: it is no longer "
                                                    "shown; delete it")
    venue = entry.text("venue")
    address = entry.text("address", required=False)
    location: Location | None = read_location(entry, country.code)
    organiser = entry.text("organiser")
    registration = entry.text("registration", required=False)
    if registration is not None and not registration.startswith(("https://", "http://")):
        entry.error("registration", f'field "registration" must be a link starting with https:// or http://, '
                                    f"got {shown(registration)}")
    capacity = entry.localized("capacity", required=False)
    example = _flag(entry, "example")
    source = entry.text("source")
    last_verified = entry.date("last_verified")
    if any(place not in place_country for place, _ in places):
        return None  # a place with errors of its own: reported there, and the event waits for it
    if not (entry.ok and event_id and places and category and titles and descriptions and starts and ends and venue
            and organiser and source and last_verified):
        return None
    return Event(id=event_id, places=tuple(p for p, _ in places), category=category, titles=titles,
                 descriptions=descriptions, starts=starts, ends=ends, venue=venue, address=address or "",
                 location=location, organiser=organiser, source=source, last_verified=last_verified,
                 registration=registration or "", capacity=capacity or {}, example=example)


def _local_time(entry: Entry, key: str, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """ "2026-12-05 10:00" in the country's zone; YAML may have read an unquoted one as a datetime already."""
    value = entry.data.get(key)
    if value is None:
        entry.error_at(entry.line, f'missing required field "{key}"')
        return None
    written = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value
    match = LOCAL_TIME.fullmatch(written.strip()) if isinstance(written, str) else None
    if match is None:
        entry.error(key, f'field "{key}" must be a local date and time like "2026-12-05 10:00", got {shown(value)}')
        return None
    try:
        local = dt.datetime.fromisoformat(f"{match[1]} {int(match[2].split(':')[0]):02d}:{match[2].split(':')[1]}")
    except ValueError:
        entry.error(key, f'field "{key}": {shown(written)} is not a real date and time')
        return None
    return local.replace(tzinfo=zone)


def _flag(entry: Entry, key: str) -> bool:
    value = entry.data.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        entry.error(key, f'field "{key}" must be true or false, got {shown(value)}')
        return False
    return value
