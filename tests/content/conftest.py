"""Fixtures for the content tests: the clean fixture pack, and copies of it with one thing broken."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.pack import ContentPack

CLEAN = Path(__file__).resolve().parent / "fixtures" / "clean" / "content"
TODAY = dt.date(2026, 11, 25)

# One edit: a whole new file text, None to delete the file, or (old, new) to replace text that must be there.
Edit = str | None | tuple[str, str]


def apply_edits(root: Path, edits: Mapping[str, Edit]) -> None:
    for relative, edit in edits.items():
        path = root / relative
        if edit is None:
            path.unlink()
        elif isinstance(edit, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit, encoding="utf-8")
        else:
            old, new = edit
            text = path.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"{relative}: the fixture must hold {old!r} exactly once"
            path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def broken(tmp_path) -> Callable[[Mapping[str, Edit]], Path]:
    """A copy of the clean pack at <tmp>/content with the edits applied."""

    def make(edits: Mapping[str, Edit]) -> Path:
        root = tmp_path / "content"
        shutil.copytree(CLEAN, root)
        apply_edits(root, edits)
        return root

    return make


@pytest.fixture
def clean() -> Path:
    return CLEAN


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    loaded, problems = load_content(CLEAN, today=TODAY)
    assert problems == []
    return loaded
