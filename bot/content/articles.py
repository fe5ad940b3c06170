"""Pages: content/articles/<language>/<section>/<id>.md. English is the source; every translation names
the English file it was made from (`source_hash`), and takes its place in the menus from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.content.files import Declared, Reading
from bot.content.numbers import differences
from bot.content.schema import LOCALE, SECTIONS, TRANSLATIONS, Entry, shown, suggest
from bot.content.yamlfile import LineDict, YamlError, load_front_matter
from bot.core.model import Article
from bot.core.transliterate import DERIVED

ENGLISH = "en"
SOURCE_FIELDS = {"id", "title", "section", "countries", "places", "keywords", "related", "order", "sources",
                 "last_reviewed"}
TRANSLATION_FIELDS = SOURCE_FIELDS | {"translation", "source_hash"}
HASH = re.compile(r"[0-9a-f]{12}")
MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\((?P<target>[^)\s]*)[^)\n]*\)")
WEB_HOST = re.compile(r"//[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/|$|\?|#)")
DIAL = re.compile(r"\+?[0-9]{3,15}")


def source_hash(raw: bytes) -> str:
    """What a translation's `source_hash` must say: the first 12 hex digits of sha256 of the English file."""
    return hashlib.sha256(raw).hexdigest()[:12]


@dataclass(frozen=True)
class Page:
    """One article file, split into front matter and body."""

    path: Path
    shown: str
    language: str
    section: str  # the folder it is in
    stem: str
    data: LineDict
    body: str
    end_line: int
    digest: str


@dataclass
class _English:
    page: Page
    related: tuple[str, ...] = ()  # as written, before unknown ids are dropped
    article: Article | None = None


def load_articles(reading: Reading, countries: Declared, places: Declared) -> list[Article]:
    """Every page that has no errors: English sources first, then translations."""
    english_files: dict[str, Path] = {}  # stem -> file, readable or not
    pages = list(_pages(reading, english_files))
    english = _load_sources(reading, [p for p in pages if p.language == ENGLISH], countries, places, english_files)
    translations = _load_translations(reading, [p for p in pages if p.language != ENGLISH], english, english_files)
    return [*(item.article for item in english.values() if item.article is not None), *translations,
            *derive_scripts(translations)]


def derive_scripts(articles: list[Article]) -> list[Article]:
    """Serbian Latin pages transliterated from the Serbian Cyrillic ones, where no hand-made Latin page exists.

    One text for editors to keep true, two scripts for readers; the derived page points at its Cyrillic file.
    """
    have = {(article.id, article.language) for article in articles}
    derived = []
    for target, (source, convert) in DERIVED.items():
        for article in articles:
            if article.language == source and (article.id, target) not in have:
                keywords = tuple(dict.fromkeys((*map(convert, article.keywords), *article.keywords)))
                derived.append(dataclasses.replace(article, language=target, title=convert(article.title),
                                                   body=convert(article.body), keywords=keywords))
    return derived


def _load_sources(reading: Reading, pages: list[Page], countries: Declared, places: Declared,
                  english_files: dict[str, Path]) -> dict[str, _English]:
    english: dict[str, _English] = {}  # stem -> the English page
    ids = Declared()
    for page in pages:
        entry = reading.entry(page.data, page.path, 1, TRANSLATION_FIELDS)
        article, related = _source(entry, page, countries, places, ids)
        english.setdefault(page.stem, _English(page, tuple(r for r, _ in related), article))
        _check_related(entry, page.stem, related, english_files)
    # A related id that is unknown or has errors is reported above; the pack keeps only working links.
    usable = {stem for stem, item in english.items() if item.article is not None}
    for item in english.values():
        if item.article is not None:
            item.article = dataclasses.replace(item.article, related=tuple(r for r in item.related if r in usable))
    return english


def _load_translations(reading: Reading, pages: list[Page], english: dict[str, _English],
                       english_files: dict[str, Path]) -> list[Article]:
    translations = []
    ids: dict[str, Declared] = {}
    machine: Counter[str] = Counter()
    for page in pages:
        entry = reading.entry(page.data, page.path, 1, TRANSLATION_FIELDS)
        article = _translation(reading, entry, page, english, english_files, ids.setdefault(page.language, Declared()))
        if entry.data.get("translation") == "machine":
            machine[page.language] += 1
        if article is not None:
            translations.append(article)
    # One line per language, not per page: machine translations are expected while reviewers catch up.
    for language, count in sorted(machine.items()):
        noun = "translation" if count == 1 else "translations"
        reading.problems.warning(reading.show(reading.root / "articles" / language), 0,
                                 f"{language}: {count} machine {noun} awaiting review")
    return translations


def _pages(reading: Reading, english_files: dict[str, Path]) -> Iterator[Page]:
    folder = reading.root / "articles"
    if not folder.is_dir():
        reading.problems.warning(reading.show(folder), 0, "no articles folder: the bot has no pages to show")
        return
    for language_dir in _visible(folder):
        if not language_dir.is_dir():
            _ignored(reading, language_dir)
            continue
        if not LOCALE.fullmatch(language_dir.name):
            reading.problems.error(reading.show(language_dir), 0, f"{shown(language_dir.name)} is not a language "
                                                                  f'code like "ar" or "sr_Latn"')
            continue
        for section_dir in _visible(language_dir):
            if not section_dir.is_dir():
                _ignored(reading, section_dir)
                continue
            if section_dir.name not in SECTIONS:
                reading.problems.error(reading.show(section_dir), 0, f"unknown section {shown(section_dir.name)}"
                                                                     f"{suggest(section_dir.name, SECTIONS)}")
                continue
            for path in _visible(section_dir):
                if path.suffix != ".md" or not path.is_file():
                    _ignored(reading, path)
                    continue
                if language_dir.name == ENGLISH:
                    english_files.setdefault(path.stem, path)
                page = _read_page(reading, path, language_dir.name, section_dir.name)
                if page is not None:
                    yield page


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _ignored(reading: Reading, path: Path) -> None:
    reading.problems.warning(reading.show(path), 0,
                             "ignored: pages go in articles/<language>/<section>/<id>.md")


def _read_page(reading: Reading, path: Path, language: str, section: str) -> Page | None:
    read = reading.read_text(path)
    if read is None:
        return None
    raw, text = read
    shown_path = reading.show(path)
    try:
        front = load_front_matter(text)
    except YamlError as exc:
        reading.problems.error(shown_path, exc.line, exc.message)
        return None
    for line, message in front.duplicate_keys:
        reading.problems.error(shown_path, line, message)
    if not isinstance(front.data, LineDict):
        reading.problems.error(shown_path, 2, f"the front matter must be fields (id: ..., title: ...), "
                                              f"got {shown(front.data)}")
        return None
    return Page(path, shown_path, language, section, path.stem, front.data, front.body, front.end_line,
                source_hash(raw))


def _source(entry: Entry, page: Page, countries: Declared, places: Declared,
            ids: Declared) -> tuple[Article | None, list[tuple[str, int]]]:
    """An English page; its `related` (with lines) are checked once every English page is known."""
    for key in ("translation", "source_hash"):
        if key in entry.data:
            entry.error(key, f'field "{key}" belongs in translations: English is the source')
    article_id = _id(entry, page, ids, required=True)
    title = entry.text("title")
    section = entry.choice("section", SECTIONS, noun="section")
    if section is not None and section != page.section:
        entry.error("section", f'section "{section}" does not match the folder "{page.section}"')
    applies = _references(entry, "countries", countries, "country")
    at = _references(entry, "places", places, "place")
    keywords = entry.items("keywords") or []
    related = entry.items("related") or []
    order = entry.integer("order", default=100)
    sources = entry.items("sources", required=True)
    last_reviewed = entry.date("last_reviewed")
    body = _body(entry, page)
    if not (entry.ok and article_id and title and section and sources and last_reviewed and body):
        return None, related
    article = Article(id=article_id, language=ENGLISH, title=title, section=section, body=body,
                      countries=applies, places=at, keywords=tuple(k for k, _ in keywords),
                      related=tuple(r for r, _ in related), sources=tuple(s for s, _ in sources),
                      last_reviewed=last_reviewed, order=order, translation="source", path=page.shown)
    return article, related


def _check_related(entry: Entry, stem: str, related: list[tuple[str, int]], english_files: dict[str, Path]) -> None:
    for related_id, line in related:
        if related_id == stem:
            entry.error_at(line, f"related lists the page itself ({shown(related_id)})")
        elif related_id not in english_files:
            entry.error_at(line, f"unknown related article {shown(related_id)}{suggest(related_id, english_files)}")


def _id(entry: Entry, page: Page, ids: Declared, *, required: bool) -> str | None:
    """The page's id: its `id` field, which must be the file name; a translation may leave it out."""
    if entry.has("id") or required:
        value = entry.ident("id", required=required)
        if value is None:
            return None
        if value != page.stem:
            entry.error("id", f'id "{value}" does not match the file name "{page.stem}.md"')
            return None
    else:
        value = page.stem
    if not ids.add(entry, "id", value, "article id"):
        return None
    return value


def _references(entry: Entry, key: str, known: Declared, noun: str) -> tuple[str, ...]:
    items = entry.items(key) or []
    for value, line in items:
        if not known.knows(value):
            entry.error_at(line, f"unknown {noun} {shown(value)}{suggest(value, known.where)}")
    return tuple(value for value, _ in items)


def _body(entry: Entry, page: Page) -> str | None:
    body = page.body.strip()
    if not body:
        entry.error_at(page.end_line, "empty body: write the page below the closing ---")
        return None
    _check_links(entry, page)
    return body


def _check_links(entry: Entry, page: Page) -> None:
    """Every Markdown link must open from a chat: a web address with a host, or a phone number to call.

    A relative link ("rights-rs.md") or another scheme would show its label and lead nowhere.
    """
    for match in MARKDOWN_LINK.finditer(page.body):
        target = match["target"]
        line = page.end_line + 1 + page.body.count("\n", 0, match.start())
        scheme, colon, rest = target.partition(":")
        if colon and scheme.lower() in ("https", "http"):
            if not WEB_HOST.match(rest):
                entry.error_at(line, f"link {shown(target)} has no web address after {scheme}:// "
                                     "(like https://help.unhcr.org/serbia/)")
        elif colon and scheme.lower() == "tel":
            if not DIAL.fullmatch(rest):
                entry.error_at(line, f'link {shown(target)}: a tel: link is a number like "tel:+381117850000"')
        else:
            entry.error_at(line, f"link {shown(target)} cannot be opened from a chat: use https://, http:// or "
                                 "tel: (to link another page of the guide, add its id to related)")


def _translation(reading: Reading, entry: Entry, page: Page, english: dict[str, _English],
                 english_files: dict[str, Path], ids: Declared) -> Article | None:
    """A translation: its own title, keywords and body; id, section, countries, places, related and order
    come from the English original, which it may repeat but not contradict."""
    article_id = _id(entry, page, ids, required=False)
    title = entry.text("title")
    translation = entry.choice("translation", TRANSLATIONS, noun="translation")
    digest = entry.text("source_hash")
    if digest is not None and not HASH.fullmatch(digest):
        entry.error("source_hash", f'field "source_hash" must be 12 hex digits (the start of the sha256 of the '
                                   f"English file), got {shown(digest)}")
        digest = None
    keywords = entry.items("keywords") or []
    sources = entry.items("sources")
    last_reviewed = entry.date("last_reviewed", required=False)
    body = _body(entry, page)
    if page.stem not in english_files:
        expected = reading.show(reading.root / "articles" / ENGLISH / page.section / f"{page.stem}.md")
        entry.error_at(1, f"translation without an English original (expected {expected})")
        return None
    original = english.get(page.stem)
    if original is None:
        return None  # the English file cannot be read: that is reported on it
    if original.page.section != page.section:
        entry.error_at(1, f'in the folder "{page.section}", but the English original is in "{original.page.section}" '
                          f"({original.page.shown})")
    if digest is not None and digest != original.page.digest:
        entry.warning_at(entry.line_of("source_hash"),
                         f'source_hash "{digest}" is not the English original\'s ("{original.page.digest}"): '
                         f"{original.page.shown} changed since this translation, update it")
    source = original.article
    if source is None:
        return None
    _agrees(entry, original)
    if body is not None:
        _same_numbers(entry, page, source.body, body)
    if not (entry.ok and article_id and title and translation and digest and body):
        return None
    return Article(id=source.id, language=page.language, title=title, section=source.section, body=body,
                   countries=source.countries, places=source.places, keywords=tuple(k for k, _ in keywords),
                   related=source.related, sources=tuple(s for s, _ in sources) if sources else source.sources,
                   last_reviewed=last_reviewed or source.last_reviewed, order=source.order,
                   translation=translation, path=page.shown)


def _agrees(entry: Entry, original: _English) -> None:
    """What a translation repeats from its English original must say the same."""
    source = original.article
    assert source is not None
    where = original.page.shown
    if entry.has("section"):
        section = entry.text("section")
        if section is not None and section != source.section:
            entry.error("section", f'section "{section}" differs from the English original\'s '
                                   f'"{source.section}" ({where})')
    for key, expected in (("countries", source.countries), ("places", source.places), ("related", original.related)):
        if entry.has(key):
            items = entry.items(key)
            if items is not None and {value for value, _ in items} != set(expected):
                entry.error(key, f"{key} [{', '.join(v for v, _ in items)}] differ from the English original's "
                                 f"[{', '.join(expected)}] ({where})")
    if entry.has("order"):
        order = entry.integer("order", default=source.order)
        if order != source.order:
            entry.error("order", f"order {order} differs from the English original's {source.order} ({where})")


def _same_numbers(entry: Entry, page: Page, original: str, body: str) -> None:
    """A translation says every number of its original (phone numbers, deadlines, dates) and no other:
    a dropped or mistyped digit in a phone number or a deadline is the worst error a translation can make."""
    missing, added = differences(original, body)
    if not (missing or added):
        return
    said = []
    if missing:
        said.append(f"missing {', '.join(missing)}")
    if added:
        said.append(f"not in the English: {', '.join(added)}")
    entry.warning_at(page.end_line, f"numbers differ from the English original ({'; '.join(said)}): "
                                    "check every phone number, date and deadline")
