"""`putokaz content new`: what it writes passes the content check; what it refuses leaves no file behind."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PACKAGE_ROOT
from bot.content.articles import source_hash
from bot.content.check import check
from bot.content.loader import load_content
from bot.content.scaffold import (
    ScaffoldError,
    new_article,
    new_event,
    new_service,
    title_from_id,
)
from tests.conftest import FIXTURE_CONTENT

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def root(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


def errors(root: Path) -> list[str]:
    return [f"{p.location}: {p.message}" for p in check(root, today=TODAY) if p.severity == "error"]


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_title_from_id():
    assert title_from_id("asylum-steps-rs") == "Asylum steps rs"


def test_new_english_article_passes_the_check(root):
    path = new_article(root, article_id="work-permit-rs", section="integration", countries=["rs"],
                       places=["rs-sid"], today=TODAY)
    assert path == root / "articles" / "en" / "integration" / "work-permit-rs.md"
    assert errors(root) == []
    pack, _ = load_content(root, today=TODAY)
    article = pack.article("work-permit-rs", ["en"])
    assert article is not None
    assert article.title == "Work permit rs"
    assert article.countries == ("rs",) and article.places == ("rs-sid",)
    assert article.last_reviewed == TODAY and article.order == 100


def test_new_english_article_applying_everywhere(root):
    new_article(root, article_id="help", section="about", today=TODAY)
    assert errors(root) == []


def test_new_translation_copies_english_and_hashes_it(root):
    english = root / "articles" / "en" / "legal" / "asylum-steps-rs.md"
    path = new_article(root, article_id="asylum-steps-rs", language="fr", today=TODAY)
    assert path == root / "articles" / "fr" / "legal" / "asylum-steps-rs.md"
    text = path.read_text(encoding="utf-8")
    assert "translation: human" in text
    assert f'source_hash: "{source_hash(english.read_bytes())}"' in text
    assert "**AZIL**" in text  # the body, for the translator to overwrite
    problems = check(root, today=TODAY)
    assert [p for p in problems if p.path.endswith("fr/legal/asylum-steps-rs.md")] == []
    assert errors(root) == []


def test_new_service_appends_to_the_country_file(root):
    before = (root / "services" / "rs.yaml").read_text(encoding="utf-8")
    path = new_service(root, service_id="new-help-sid", place="rs-sid", today=TODAY)
    assert path == root / "services" / "rs.yaml"
    assert path.read_text(encoding="utf-8").startswith(before)
    assert errors(root) == []
    pack, _ = load_content(root, today=TODAY)
    service = pack.service("new-help-sid")
    assert service is not None
    assert service.status == "unconfirmed" and service.last_verified == TODAY and service.place == "rs-sid"


def test_new_service_creates_a_missing_country_file(root):
    assert not (root / "services" / "mk.yaml").exists()
    path = new_service(root, service_id="skopje-help", place="mk-skopje", today=TODAY)
    assert path == root / "services" / "mk.yaml"
    assert errors(root) == []


def test_new_event_a_week_ahead_in_the_places_time_zone_passes_the_check(root):
    path = new_event(root, event_id="serbian-class-sid", place="rs-sid", category="language-class", today=TODAY)
    assert path == root / "events" / "rs.yaml"
    assert errors(root) == []
    pack, _ = load_content(root, today=TODAY)
    [event] = pack.events("rs-sid")
    assert (event.id, event.category, event.places) == ("serbian-class-sid", "language-class", ("rs-sid",))
    assert event.starts.isoformat() == "2026-12-02T10:00:00+01:00"  # Europe/Belgrade in winter
    assert (event.ends - event.starts).seconds == 2 * 3600 and not event.example


def test_a_second_event_is_appended(root):
    new_event(root, event_id="one", place="rs-sid", today=TODAY)
    new_event(root, event_id="two", place="rs-beograd", category="legal-info", today=TODAY)
    pack, _ = load_content(root, today=TODAY)
    assert [e.id for e in pack.events()] == ["one", "two"] and errors(root) == []


@pytest.mark.parametrize("call, message", [
    (lambda r: new_event(r, event_id="x", place="rs-sid", category="party", today=TODAY),
     'unknown event category "party"'),
    (lambda r: new_event(r, event_id="x", place="rs-sd", today=TODAY), "did you mean rs-sid"),
    (lambda r: new_article(r, article_id="asylum-steps-rs", section="legal", today=TODAY), "already exists"),
    (lambda r: new_article(r, article_id="asylum-steps-rs", section="about", today=TODAY), "already exists"),
    (lambda r: new_article(r, article_id="Bad_Id", section="legal", today=TODAY), "bad article id"),
    (lambda r: new_article(r, article_id="x" * 41, section="legal", today=TODAY), "bad article id"),
    (lambda r: new_article(r, article_id="fresh", section="legl", today=TODAY), "did you mean legal"),
    (lambda r: new_article(r, article_id="fresh", today=TODAY), "needs a section"),
    (lambda r: new_article(r, article_id="fresh", section="legal", countries=["xx"], today=TODAY),
     'unknown country "xx"'),
    (lambda r: new_article(r, article_id="fresh", section="legal", places=["rs-sd"], today=TODAY),
     "did you mean rs-sid"),
    (lambda r: new_article(r, article_id="no-such-page", language="fr", today=TODAY), "no English original"),
    (lambda r: new_article(r, article_id="asylum-steps-rs", language="ar", today=TODAY), "already exists in ar"),
    (lambda r: new_article(r, article_id="asylum-steps-rs", section="about", language="fr", today=TODAY),
     'section "legal"'),
    (lambda r: new_article(r, article_id="asylum-steps-rs", language="French", today=TODAY), "language code"),
    (lambda r: new_service(r, service_id="apc-cza-beograd", place="rs-beograd", today=TODAY), "already exists"),
    (lambda r: new_service(r, service_id="fresh", place="rs-nowhere", today=TODAY), 'unknown place "rs-nowhere"'),
    (lambda r: new_service(r, service_id="Fresh!", place="rs-sid", today=TODAY), "bad service id"),
])
def test_refusals_write_nothing(root, call, message):
    before = all_files(root)
    with pytest.raises(ScaffoldError, match=message):
        call(root)
    assert all_files(root) == before


def test_service_in_a_place_of_an_unknown_country_is_refused(root):
    places = root / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "- id: xx-town\n  country: xx\n  names: {en: Town}\n"
                      "  lat: 1.0\n  lon: 1.0\n  source: test\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match='unknown country "xx"'):
        new_service(root, service_id="fresh", place="xx-town", today=TODAY)


def putokaz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120,
                          cwd=PACKAGE_ROOT, env={**os.environ})


def test_cli_new_article_then_check(root):
    result = putokaz("content", "new", "article", "--id", "work-permit-rs", "--section", "integration",
                     "--country", "rs", "--dir", str(root))
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip())
    assert written == root / "articles" / "en" / "integration" / "work-permit-rs.md"
    assert f"last_reviewed: {dt.date.today().isoformat()}" in written.read_text(encoding="utf-8")
    assert putokaz("content", "check", "--dir", str(root)).returncode == 0


def test_cli_new_translation_and_service(root):
    result = putokaz("content", "new", "article", "--id", "asylum-steps-rs", "--lang", "fr", "--dir", str(root))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == root / "articles" / "fr" / "legal" / "asylum-steps-rs.md"
    result = putokaz("content", "new", "service", "--id", "new-help-sid", "--place", "rs-sid", "--dir", str(root))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == root / "services" / "rs.yaml"
    result = putokaz("content", "new", "event", "--id", "info-day", "--place", "mk-skopje", "--category",
                     "legal-info", "--dir", str(root))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == root / "events" / "mk.yaml"
    assert putokaz("content", "check", "--dir", str(root)).returncode == 0


def test_cli_refuses_with_exit_2(root):
    result = putokaz("content", "new", "article", "--id", "asylum-steps-rs", "--section", "legal",
                     "--dir", str(root))
    assert result.returncode == 2
    assert 'article id "asylum-steps-rs" already exists' in result.stderr
    assert result.stdout == ""
