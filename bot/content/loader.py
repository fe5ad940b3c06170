"""Load a content folder (SPEC.md "Content files") into a ContentPack, with every problem found.

Entries with errors are left out of the pack, so the pack is always consistent; the caller decides
whether a pack with errors may serve (the app refuses, `putokaz content check` exits 1).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from bot.content.articles import load_articles
from bot.content.events import load_events
from bot.content.files import Declared, Reading
from bot.content.geography import outside_message
from bot.content.hours import HoursError, parse_hours
from bot.content.lexicon import load_alerts, load_synonyms
from bot.content.pack import ContentPack, haversine_km
from bot.content.problems import Problem
from bot.content.schema import (
    CATEGORIES,
    COUNTRY_CODE,
    DIALLABLE,
    HOTLINE_KINDS,
    LOCALE,
    STATUSES,
    UI_NAMED_KINDS,
    Entry,
    shown,
    suggest,
)
from bot.content.validate_phone import is_valid_phone
from bot.core.model import Country, Hotline, Location, Place, Service

__all__ = ["Problem", "load_content"]

# A service further than this from its place has most likely swapped or mistyped coordinates.
SERVICE_DISTANCE_KM = 50.0


def load_content(root: Path, *, today: dt.date, max_age_days: int = 180) -> tuple[ContentPack, list[Problem]]:
    """Read, validate and index `root`; `today` dates the age checks (last_reviewed, last_verified)."""
    reading = Reading(Path(root), today, max_age_days)
    if not reading.root.is_dir():
        reading.problems.error(reading.show(reading.root), 0, "the content folder does not exist")
        return ContentPack(), reading.problems.items
    countries, country_codes = _load_countries(reading)
    places, place_ids, place_country = _load_places(reading, country_codes)
    services = _load_services(reading, country_codes, place_ids, place_country, places)
    articles = load_articles(reading, country_codes, place_ids)
    events = load_events(reading, {c.code: c for c in countries}, country_codes, place_ids, place_country, _located)
    synonyms = load_synonyms(reading)
    alerts = load_alerts(reading)
    pack = ContentPack(countries=countries, places=places.values(), services=services, articles=articles,
                       events=events, synonyms=synonyms, alerts=alerts)
    return pack, reading.problems.items


def _load_countries(reading: Reading) -> tuple[list[Country], Declared]:
    path = reading.root / "countries.yaml"
    codes = Declared()
    if not path.is_file():
        reading.problems.error(reading.show(path), 0, "missing file: the list of countries")
        codes.complete = False
        return [], codes
    items = reading.read_list(path, "country")
    if items is None:
        codes.complete = False
        return [], codes
    if not items:
        reading.problems.error(reading.show(path), 1, "the list of countries is empty")
    countries = []
    for entry in reading.entries(path, items, "country", {"code", "timezone", "numbers"}):
        code = entry.text("code")
        if code is not None and not COUNTRY_CODE.fullmatch(code):
            entry.error("code", f'field "code" must be two lowercase letters like "rs", got {shown(code)}')
            code = None
        elif code is not None:
            codes.add(entry, "code", code, "country")
        timezone = _timezone(entry)
        numbers = _hotlines(reading, entry, code)
        if entry.ok and code and timezone:
            countries.append(Country(code=code, timezone=timezone, numbers=numbers))
    return countries, codes


def _timezone(entry: Entry) -> str | None:
    name = entry.text("timezone")
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        entry.error("timezone", f"unknown time zone {shown(name)}{suggest(name, zoneinfo.available_timezones())}")
        return None
    return name


def _hotlines(reading: Reading, country: Entry, code: str | None) -> tuple[Hotline, ...]:
    items = country.data.get("numbers")
    if "numbers" not in country.data or items is None:
        country.error("numbers", 'missing required field "numbers"')
        return ()
    if not isinstance(items, list) or not items:
        country.error("numbers", f'field "numbers" must be a list of phone lines, got {shown(items)}')
        return ()
    hotlines = []
    path = reading.root / "countries.yaml"
    for entry in reading.entries(path, items, "phone line", {"kind", "number", "names", "notes", "source"}):
        kind = entry.choice("kind", HOTLINE_KINDS, noun="kind")
        number = entry.text("number")
        if number is not None and not DIALLABLE.fullmatch(number.strip()):
            entry.error("number", f"number {shown(number)} has characters a phone cannot dial "
                                  "(put words in notes)")
        elif number is not None and code is not None:
            _check_phone(entry, entry.line_of("number"), number, code, hotline=True)
        names = entry.localized("names", required=kind is not None and kind not in UI_NAMED_KINDS)
        notes = entry.localized("notes", required=False)
        source = entry.text("source")
        if entry.ok and kind and number and source:
            hotlines.append(Hotline(kind=kind, number=number, names=names or {}, notes=notes or {}, source=source))
        else:
            country.ok = False
    return tuple(hotlines)


def _load_places(reading: Reading, countries: Declared) -> tuple[dict[str, Place], Declared, dict[str, str]]:
    path = reading.root / "places.yaml"
    ids = Declared()
    country_of: dict[str, str] = {}
    places: dict[str, Place] = {}
    if not path.is_file():
        reading.problems.error(reading.show(path), 0, "missing file: the list of places")
        ids.complete = False
        return places, ids, country_of
    items = reading.read_list(path, "place")
    if items is None:
        ids.complete = False
        return places, ids, country_of
    for entry in reading.entries(path, items, "place", {"id", "country", "names", "lat", "lon", "source"}):
        place_id = entry.ident("id")
        if place_id is not None and not ids.add(entry, "id", place_id, "place id"):
            place_id = None
        country = _country(entry, "country", countries)
        if place_id and country:
            country_of[place_id] = country
        names = entry.localized("names", required=True)
        lat = entry.number("lat", -90, 90)
        lon = entry.number("lon", -180, 180)
        entry.text("source")
        if country and lat is not None and lon is not None:
            _check_inside(entry, country, Location(lat, lon))
        if entry.ok and place_id and country and names and lat is not None and lon is not None:
            places[place_id] = Place(id=place_id, country=country, names=names, location=Location(lat, lon))
    return places, ids, country_of


def _country(entry: Entry, key: str, countries: Declared) -> str | None:
    code = entry.text(key)
    if code is not None and not countries.knows(code):
        entry.error(key, f"unknown country {shown(code)}{suggest(code, countries.where)}")
        return None
    return code


SERVICE_FIELDS = {"id", "place", "names", "categories", "description", "address", "phones", "hours",
                  "languages", "lat", "lon", "url", "status", "source", "last_verified"}


def _load_services(reading: Reading, countries: Declared, place_ids: Declared, place_country: dict[str, str],
                   places: dict[str, Place]) -> list[Service]:
    ids = Declared()
    services = []
    for country, path, items in reading.country_files("services", "service", countries):
        for entry in reading.entries(path, items, "service", SERVICE_FIELDS):
            service = _service(entry, country, ids, place_ids, place_country, places)
            if service is not None:
                services.append(service)
    return services


def _service(entry: Entry, country: str, ids: Declared, place_ids: Declared, place_country: dict[str, str],
             places: dict[str, Place]) -> Service | None:
    service_id = entry.ident("id")
    if service_id is not None:
        ids.add(entry, "id", service_id, "service id")
    place = entry.text("place")
    if place is not None and not place_ids.knows(place):
        entry.error("place", f"unknown place {shown(place)}{suggest(place, place_ids.where)}")
    elif place is not None and place_country.get(place, country) != country:
        entry.error("place", f"place {shown(place)} is in {place_country[place]}, but this file lists "
                             f"the services of {country}")
    names = entry.localized("names", required=True)
    categories = entry.items("categories", required=True)
    for category, line in categories or ():
        if category not in CATEGORIES:
            entry.error_at(line, f"unknown category {shown(category)}{suggest(category, CATEGORIES)}")
    description = entry.localized("description", required=True)
    address = entry.text("address", required=False)
    phones = entry.items("phones")
    for phone, line in phones or ():
        _check_phone(entry, line, phone, country, hotline=False)
    hours = []
    for written, line in entry.items("hours") or ():
        try:
            hours.append(parse_hours(written))
        except HoursError as error:
            entry.error_at(line, str(error))
    languages = entry.items("languages")
    for language, line in languages or ():
        if not LOCALE.fullmatch(language):
            entry.error_at(line, f'{shown(language)} is not a language code like "ar" or "sr_Latn"')
    location = _optional_location(entry)
    if location is not None:
        _check_inside(entry, country, location)
    url = entry.text("url", required=False)
    if url is not None and not url.startswith(("https://", "http://")):
        entry.error("url", f'field "url" must start with https:// or http://, got {shown(url)}')
    status = entry.choice("status", STATUSES, noun="status")
    source = entry.text("source")
    last_verified = entry.date("last_verified")
    if location is not None and place in places:
        distance = haversine_km(location, places[place].location)
        if distance > SERVICE_DISTANCE_KM:
            entry.warning_at(entry.line_of("lat"), f"the service is {distance:.0f} km from its place {shown(place)}: "
                                                   "check lat and lon")
    if not (entry.ok and service_id and place in places and names and description and status and source
            and last_verified and categories):
        return None
    return Service(id=service_id, names=names, place=place, categories=tuple(c for c, _ in categories),
                   address=address or "", phones=tuple(p for p, _ in phones or ()), hours=tuple(hours),
                   languages=tuple(code for code, _ in languages or ()), descriptions=description,
                   location=location, source=source, last_verified=last_verified, status=status, url=url or "")


def _located(entry: Entry, country: str) -> Location | None:
    """Optional lat and lon, which must be inside `country`."""
    location = _optional_location(entry)
    if location is not None:
        _check_inside(entry, country, location)
    return location


def _optional_location(entry: Entry) -> Location | None:
    if not entry.has("lat") and not entry.has("lon"):
        return None
    if entry.has("lat") != entry.has("lon"):
        given, missing = ("lat", "lon") if entry.has("lat") else ("lon", "lat")
        entry.error(given, f'fields "lat" and "lon" go together: "{missing}" is missing')
        return None
    lat = entry.number("lat", -90, 90)
    lon = entry.number("lon", -180, 180)
    return Location(lat, lon) if lat is not None and lon is not None else None


def _check_phone(entry: Entry, line: int, number: str, country: str, *, hotline: bool) -> None:
    if not is_valid_phone(number, country, hotline=hotline):
        entry.error_at(line, f"phone {shown(number)} is not a valid number in {country.upper()}")


def _check_inside(entry: Entry, country: str, location: Location) -> None:
    message = outside_message(country, location)
    if message is not None:
        entry.error("lat", message)
