"""The content pack kept between starts: used only when nothing it was built from has changed."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil

from bot.content.cache import CACHE_FILE, fingerprint, load_with_cache
from tests.conftest import FIXTURE_CONTENT

TODAY = dt.date(2026, 12, 2)


def test_a_clean_load_is_stored_readable_by_this_user_only(tmp_path):
    pack, problems = load_with_cache(FIXTURE_CONTENT, tmp_path, today=TODAY)
    stored = tmp_path / CACHE_FILE
    assert stored.stat().st_mode & 0o777 == 0o600
    key, cached_pack, cached_problems = pickle.loads(stored.read_bytes())
    assert key == fingerprint(FIXTURE_CONTENT, TODAY)
    assert [p.id for p in cached_pack.places()] == [p.id for p in pack.places()]


def test_a_current_stored_pack_is_taken_instead_of_reading_the_files(tmp_path):
    (tmp_path / CACHE_FILE).write_bytes(pickle.dumps((fingerprint(FIXTURE_CONTENT, TODAY), "the stored pack", [])))
    assert load_with_cache(FIXTURE_CONTENT, tmp_path, today=TODAY) == ("the stored pack", [])


def test_an_edited_file_or_another_day_makes_the_stored_pack_stale(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    data = tmp_path / "var"
    load_with_cache(content, data, today=TODAY)
    before = fingerprint(content, TODAY)
    places = content / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "\n# an editor's note\n", encoding="utf-8")
    assert fingerprint(content, TODAY) != before
    assert fingerprint(content, TODAY + dt.timedelta(days=1)) != fingerprint(content, TODAY)


def test_a_damaged_cache_file_only_costs_a_full_load(tmp_path):
    (tmp_path / CACHE_FILE).write_bytes(b"not a pickle at all")
    pack, _ = load_with_cache(FIXTURE_CONTENT, tmp_path, today=TODAY)
    assert pack.places()
    assert pickle.loads((tmp_path / CACHE_FILE).read_bytes())[0] == fingerprint(FIXTURE_CONTENT, TODAY)


def test_content_with_errors_is_never_stored(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "places.yaml").write_text("- id: [broken\n", encoding="utf-8")
    _, problems = load_with_cache(content, tmp_path / "var", today=TODAY)
    assert any(problem.severity == "error" for problem in problems)
    assert not (tmp_path / "var" / CACHE_FILE).exists()
