"""`putokaz content new`: start a page, a translation or a service with every field in place.

What it writes passes `putokaz content check` as it is, so an editor can see the page in the bot at once;
the placeholders ("Name the source and its date here", a title made from the id) are there to be replaced.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.content.articles import ENGLISH, source_hash
from bot.content.events import EVENT_CATEGORIES
from bot.content.schema import CATEGORIES, ID, LOCALE, SECTIONS, suggest
from bot.content.yamlfile import YamlError, load_front_matter, load_yaml

SOURCE_PLACEHOLDER = "Name the source and its date here"


class ScaffoldError(Exception):
    """Nothing was written; the message says why."""


def title_from_id(item_id: str) -> str:
    """ "asylum-steps-rs" -> "Asylum steps rs": a title that reads as one until the editor writes the real one."""
    words = item_id.replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else item_id


def new_article(root: Path, *, article_id: str, today: dt.date, section: str | None = None,
                countries: Sequence[str] = (), places: Sequence[str] = (), language: str = ENGLISH) -> Path:
    """Write articles/<language>/<section>/<id>.md and return its path.

    English: a new page. Another language: a human translation of the existing English page, with its
    title, keywords and body copied for the translator to overwrite, and `source_hash` of the English file.
    """
    _check_id(article_id, "article")
    if not LOCALE.fullmatch(language):
        raise ScaffoldError(f'"{language}" is not a language code like "ar" or "sr_Latn"')
    if section is not None and section not in SECTIONS:
        raise ScaffoldError(f'unknown section "{section}"{suggest(section, SECTIONS)}; '
                            f"sections: {', '.join(SECTIONS)}")
    if language == ENGLISH:
        return _new_english(root, article_id, section, countries, places, today)
    if countries or places:
        raise ScaffoldError("a translation takes its countries and places from the English original: "
                            "leave out --country and --place")
    return _new_translation(root, article_id, section, language)


def new_service(root: Path, *, service_id: str, place: str, today: dt.date) -> Path:
    """Append a service at `place` to services/<country of the place>.yaml and return that file's path."""
    _check_id(service_id, "service")
    return _append(root, "services", service_id, place, _service_text(service_id, place, today))


def new_event(root: Path, *, event_id: str, place: str, today: dt.date, category: str = "community") -> Path:
    """Append an event at `place`, a week from today, to events/<country of the place>.yaml; return the path."""
    _check_id(event_id, "event")
    if category not in EVENT_CATEGORIES:
        raise ScaffoldError(f'unknown event category "{category}"{suggest(category, EVENT_CATEGORIES)}; '
                            f"categories: {', '.join(EVENT_CATEGORIES)}")
    return _append(root, "events", event_id, place, _event_text(event_id, place, category, today))


def _append(root: Path, folder_name: str, item_id: str, place: str, entry: str) -> Path:
    """Append `entry` to <folder_name>/<country of place>.yaml, refusing an id the folder already has."""
    noun = folder_name.rstrip("s")
    known_places = _places(root)
    if place not in known_places:
        raise ScaffoldError(f'unknown place "{place}"{suggest(place, known_places)} (places are in '
                            f"{root / 'places.yaml'})")
    country = known_places[place]
    known_countries = _countries(root)
    if country not in known_countries:
        raise ScaffoldError(f'place "{place}" is in an unknown country "{country}"'
                            f"{suggest(country, known_countries)}")
    folder = root / folder_name
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        if item_id in {item.get("id") for item in _list_file(path) if isinstance(item, dict)}:
            raise ScaffoldError(f'{noun} id "{item_id}" already exists in {path}')
    path = folder / f"{country}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing.strip() in ("", "[]"):
        path.write_text(entry, encoding="utf-8")
    else:
        path.write_text(existing + ("" if existing.endswith("\n") else "\n") + entry, encoding="utf-8")
    return path


def _new_english(root: Path, article_id: str, section: str | None, countries: Sequence[str],
                 places: Sequence[str], today: dt.date) -> Path:
    if section is None:
        raise ScaffoldError(f"a new English page needs a section: one of {', '.join(SECTIONS)}")
    existing = _find(root, ENGLISH, article_id)
    if existing is not None:
        raise ScaffoldError(f'article id "{article_id}" already exists: {existing}')
    known_countries = _countries(root)
    for code in countries:
        if code not in known_countries:
            raise ScaffoldError(f'unknown country "{code}"{suggest(code, known_countries)}')
    known_places = _places(root)
    for place in places:
        if place not in known_places:
            raise ScaffoldError(f'unknown place "{place}"{suggest(place, known_places)}')
    lines = [
        "---",
        f"id: {article_id}",
        f"title: {_q(title_from_id(article_id))}",
        f"section: {section}",
    ]
    if countries:
        lines.append(f"countries: {_flow(countries)}")
    if places:
        lines.append(f"places: {_flow(places)}")
    lines += [
        "keywords: []          # words people type to find this page, in English and as they say them",
        "related: []           # ids of English pages to link from this one",
        "order: 100            # place in the section's menu, lower first",
        "sources:",
        f"  - {_q(SOURCE_PLACEHOLDER)}",
        f"last_reviewed: {today.isoformat()}",
        "---",
        "Write this page here: what the reader needs to do, in short paragraphs or numbered steps, with "
        "**bold** for deadlines. Replace the title above with a question or task as a reader would put it, "
        "add keywords and related pages, and name every source you used in `sources`.",
        "",
    ]
    return _write_new(root / "articles" / ENGLISH / section / f"{article_id}.md", "\n".join(lines))


def _new_translation(root: Path, article_id: str, section: str | None, language: str) -> Path:
    english = _find(root, ENGLISH, article_id)
    if english is None:
        raise ScaffoldError(f'no English original for "{article_id}": write '
                            f"articles/{ENGLISH}/<section>/{article_id}.md first (a translation needs one)")
    if section is not None and section != english.parent.name:
        raise ScaffoldError(f'the English original is in section "{english.parent.name}", not "{section}" '
                            f"({english})")
    existing = _find(root, language, article_id)
    if existing is not None:
        raise ScaffoldError(f'article id "{article_id}" already exists in {language}: {existing}')
    raw = english.read_bytes()
    try:
        front = load_front_matter(raw.decode("utf-8"))
    except (UnicodeDecodeError, YamlError) as exc:
        raise ScaffoldError(f"cannot read the English original {english}: {exc}; run `putokaz content check`") \
            from exc
    data: Any = front.data
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not front.body.strip():
        raise ScaffoldError(f"the English original {english} has no title or no body; run `putokaz content check`")
    keywords = data.get("keywords") or []
    keywords = [k for k in keywords if isinstance(k, str)] if isinstance(keywords, list) else []
    lines = [
        "---",
        f"id: {article_id}",
        f"title: {_q(title)}",
        f"keywords: {_flow(keywords)}",
        "translation: human",
        f"source_hash: {_q(source_hash(raw))}",
        "---",
        front.body.strip("\n"),
        "",
    ]
    return _write_new(root / "articles" / language / english.parent.name / f"{article_id}.md", "\n".join(lines))


def _service_text(service_id: str, place: str, today: dt.date) -> str:
    return "\n".join([
        f"- id: {service_id}",
        f"  place: {place}",
        f"  names: {{en: {_q(title_from_id(service_id))}}}",
        f"  categories: [{CATEGORIES[0]}]   # {' | '.join(CATEGORIES)}",
        '  description: {en: "Say in one or two sentences what this service does and for whom."}',
        '  # address: "Street and number, postcode town"   # optional',
        '  phones: []                  # exactly as in the source, like ["+381 11 123 4567"]',
        '  # hours: ["mon-fri 09:00-17:00"]   # optional, only if the source gives them; or "24/7"',
        "  languages: []               # only if the source gives them, like [sr, en]",
        "  # lat: 44.8                 # optional, only if known; lat and lon go together",
        "  # lon: 20.4",
        '  # url: "https://..."        # optional',
        "  status: unconfirmed         # confirmed | unconfirmed | reported-closed",
        f"  source: {_q(SOURCE_PLACEHOLDER)}",
        f"  last_verified: {today.isoformat()}",
        "",
    ])


def _event_text(event_id: str, place: str, category: str, today: dt.date) -> str:
    day = (today + dt.timedelta(days=7)).isoformat()
    return "\n".join([
        f"- id: {event_id}",
        f"  places: [{place}]",
        f"  category: {category}        # {' | '.join(EVENT_CATEGORIES)}",
        f"  title: {{en: {_q(title_from_id(event_id))}}}",
        '  description: {en: "Say in two or three sentences what happens, for whom, and what to bring."}',
        f'  starts: "{day} 10:00"      # local time of the place',
        f'  ends: "{day} 12:00"',
        '  venue: "Name of the place where it happens"',
        '  # address: "Street and number, postcode town"   # optional',
        "  # lat: 45.1                 # optional, only if known; lat and lon go together",
        "  # lon: 19.2",
        '  organiser: "Who runs it"',
        '  # registration: "https://..."   # optional: where to sign up',
        '  # capacity: {en: "20 places"}   # optional',
        f"  source: {_q(SOURCE_PLACEHOLDER)}",
        f"  last_verified: {today.isoformat()}",
        "",
    ])


def _check_id(item_id: str, noun: str) -> None:
    if not ID.fullmatch(item_id):
        raise ScaffoldError(f'bad {noun} id "{item_id}": use 1 to 40 characters a-z, 0-9 or "-"')


def _find(root: Path, language: str, article_id: str) -> Path | None:
    folder = root / "articles" / language
    found = sorted(folder.glob(f"*/{article_id}.md")) if folder.is_dir() else []
    return found[0] if found else None


def _write_new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # never overwrite
        file.write(text)
    return path


def _list_file(path: Path) -> list[Any]:
    if not path.exists():
        return []
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise ScaffoldError(f"cannot read {path}: {exc}; run `putokaz content check`") from exc
    return data if isinstance(data, list) else []


def _countries(root: Path) -> list[str]:
    return [c["code"] for c in _list_file(root / "countries.yaml") if isinstance(c, dict) and "code" in c]


def _places(root: Path) -> dict[str, str]:
    """place id -> country code"""
    return {p["id"]: p.get("country") for p in _list_file(root / "places.yaml") if isinstance(p, dict) and "id" in p}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(_q(item) for item in items) + "]"
