"""What CLDR knows about a language: its code from a person or a channel, its name, direction and fallbacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from functools import cache, lru_cache

from babel import Locale
from babel.core import UnknownLocaleError, get_global, parse_locale
from babel.dates import format_date, format_interval, format_skeleton, get_day_names

SOURCE = "en"

# The language picker's order after English (SPEC: the languages of people on the Balkan route, then the rest).
PICKER_ORDER = ("en", "sr", "sr_Latn", "mk", "bg", "ar", "fa", "ps", "ur", "uk", "ru", "fr", "es", "tr")

# glibc spells scripts as modifiers: "sr_RS.UTF-8@latin".
_MODIFIER_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl"}


def picker_order(languages: Iterable[str]) -> list[str]:
    """English first, then PICKER_ORDER, then any other language alphabetically."""
    rank = {language: index for index, language in enumerate(PICKER_ORDER)}
    return sorted(set(languages), key=lambda language: (rank.get(language, len(rank)), language))


@cache
def locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(f'"{language}" is not a language CLDR knows (expected a code like "sr_Latn")') from error


def canonical(language: str) -> str:
    """Babel's spelling of a locale ("sr_Latn"); ValueError for anything CLDR does not know."""
    return str(locale(language))


def resolve(code: str | None, supported: Collection[str]) -> str | None:
    """Map "ar-EG", "sr-Latn-RS", "sr_latn", "prs", "sr_RS@latin" to one of `supported`, or None."""
    parsed = _parse_tag(code)
    if parsed is None:
        return None
    language, territory, script = parsed
    alias = get_global("language_aliases").get(language)  # CLDR: "prs" -> "fa_AF", "sh" -> "sr_Latn", "ara" -> "ar"
    if alias:
        language, alias_territory, alias_script = parse_locale(alias)[:3]
        territory, script = territory or alias_territory, script or alias_script
    likely = get_global("likely_subtags")
    if not script and territory:
        # Serbian in Montenegro is written in Latin by default (CLDR likely subtags: sr_ME -> sr_Latn_ME)
        script = _script_of(likely.get(f"{language}_{territory}"))
    if script and script != _script_of(likely.get(language)) and f"{language}_{script}" in supported:
        return f"{language}_{script}"
    return language if language in supported else None


def _parse_tag(code: str | None) -> tuple[str, str | None, str | None] | None:
    if not code or not code.strip():
        return None
    tag, _, modifier = code.strip().partition("@")
    subtags = tag.partition(".")[0].replace("-", "_").split("_")
    for index, subtag in enumerate(subtags[1:], start=1):
        if len(subtag) == 1:  # BCP 47 extensions and private use ("sr-RS-u-nu-latn") say nothing we use
            subtags = subtags[:index]
            break
    try:
        language, territory, script = parse_locale("_".join(subtags))[:3]
    except ValueError:
        return None
    return language, territory, script or _MODIFIER_SCRIPTS.get(modifier.lower())


def _script_of(identifier: str | None) -> str | None:
    return parse_locale(identifier)[2] if identifier else None


@lru_cache(maxsize=256)
def fallbacks(language: str) -> tuple[str, ...]:
    """The language, the language without its script or region ("sr_Latn" -> "sr"), then English."""
    chain = [language]
    base = locale(language).language
    if base != language:
        chain.append(base)
    chain.append(SOURCE)
    return tuple(dict.fromkeys(chain))


def language_name(language: str) -> str:
    """The language's name in itself, capitalised where its script has capitals: "Српски", "العربية"."""
    own = locale(language)
    name = own.language_name or own.get_display_name() or language
    return _upper_first(name, own.language)


def _upper_first(text: str, language: str) -> str:
    if language in ("tr", "az") and text[:1] == "i":  # Turkic dotted i: "i" -> "İ", not "I"
        return "İ" + text[1:]
    return text[:1].title() + text[1:]  # title(), not upper(): a digraph like "ǆ" becomes "ǅ"


def country_name(country: str, language: str) -> str:
    """A country's name ("rs") in a language, from CLDR."""
    territories = locale(language).territories
    try:
        return territories[country.upper()]
    except KeyError:
        raise ValueError(f'"{country}" is not a country CLDR knows (expected a code like "rs")') from None


def load(languages: Iterable[str]) -> None:
    """Read each language's CLDR data now (babel reads a locale's file on its first use, about 10 ms each), so that
    no person's answer waits for it, and the data is in memory before the server freezes what it has (bot.app)."""
    for language in languages:
        _ = locale(language).character_order  # any property reads the whole locale, its parents included


def is_rtl(language: str) -> bool:
    return locale(language).character_order == "right-to-left"


@cache
def weekday_names(language: str) -> tuple[str, ...]:
    """Short weekday names, Monday first, in the language's own abbreviation (CLDR "abbreviated", "format")."""
    names = get_day_names("abbreviated", "format", locale(language))
    return tuple(names[day] for day in range(7))


def event_when(starts: dt.datetime, ends: dt.datetime, language: str) -> str:
    """When an event is, in its own time zone, as the language writes a weekday, a date and a time interval:
    "Saturday, December 5, 2026, 10:00 – 12:30"; an event over several days gives both dates and times."""
    where = locale(language)
    if starts.date() == ends.date():
        hours = format_interval(starts.time(), ends.time(), "Hm", locale=where)
        return f"{format_date(starts.date(), 'full', locale=where)}, {hours}"
    return " – ".join(f"{format_date(moment.date(), 'full', locale=where)}, "
                      f"{format_skeleton('Hm', moment, locale=where)}" for moment in (starts, ends))


def time_range(opens: dt.time, closes: dt.time, language: str) -> str:
    """An interval of the day in the language's 24-hour pattern; closing at midnight reads as 00:00."""
    if closes == dt.time.max:
        closes = dt.time(0, 0)
    return format_interval(opens, closes, "Hm", locale=locale(language))
