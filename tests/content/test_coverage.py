"""`putokaz content coverage`: counts per language and section, the table, and --strict, on a pack built here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.articles import source_hash
from bot.content.coverage import Cell, catalog_locales, coverage

ENGLISH_PAGES = {  # section/id -> the English file
    "legal/asylum": "---\nid: asylum\ntitle: Asylum\nsection: legal\n---\nAsk for asylum.\n",
    "legal/rights": "---\nid: rights\ntitle: Rights\nsection: legal\n---\nYour rights.\n",
    "legal/appeal": "---\nid: appeal\ntitle: Appeal\nsection: legal\n---\nHow to appeal.\n",
    "privacy/privacy": "---\nid: privacy\ntitle: Privacy\nsection: privacy\n---\nWhat we keep.\n",
}


def translation(path: str, kind: str, english: str | None = None) -> str:
    digest = source_hash((english or ENGLISH_PAGES[path]).encode())
    return f"---\ntitle: T\ntranslation: {kind}\nsource_hash: {digest}\n---\nText.\n"


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    """content/ with English, Arabic (a UI language: one machine, one stale, one missing) and sr_Latn (content
    only, missing a legal page); locales/ with catalogs for ar and en, and a folder without one (fa)."""
    root, locales = tmp_path / "content", tmp_path / "locales"
    pages = {f"en/{path}": text for path, text in ENGLISH_PAGES.items()}
    pages |= {"ar/legal/asylum.md": translation("legal/asylum", "human"),
              "ar/legal/rights.md": translation("legal/rights", "machine"),
              "ar/privacy/privacy.md": translation("privacy/privacy", "human", english="an older English page"),
              "sr_Latn/legal/asylum.md": translation("legal/asylum", "human"),
              "sr_Latn/legal/rights.md": translation("legal/rights", "human"),
              "sr_Latn/privacy/privacy.md": translation("privacy/privacy", "human")}
    for path, text in pages.items():
        file = root / "articles" / (path if path.endswith(".md") else f"{path}.md")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    for language in ("ar", "en"):
        (locales / language / "LC_MESSAGES").mkdir(parents=True)
        (locales / language / "LC_MESSAGES" / "messages.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (locales / "fa").mkdir()
    return root, locales


def putokaz(*args: str, locales: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PUTOKAZ_LOCALES_DIR": str(locales)}
    return subprocess.run([sys.executable, "-m", "bot", "content", "coverage", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def cell(total: int, machine: int, human: int, missing=(), stale=()) -> dict:
    return {"total": total, "present": machine + human, "machine": machine, "human": human,
            "missing": list(missing), "stale": list(stale)}


EMPTY = cell(0, 0, 0)


def test_catalog_locales_are_folders_with_a_catalog(folders):
    _, locales = folders
    assert catalog_locales(locales) == ["ar", "en"]
    assert catalog_locales(locales / "nowhere") == []


def test_json_counts_present_machine_missing_and_stale(folders):
    root, locales = folders
    result = putokaz("--dir", str(root), "--format", "json", locales=locales)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"locales": {
        "en": {"legal": cell(3, 0, 3), "emergency": EMPTY, "privacy": cell(1, 0, 1), "about": EMPTY,
               "integration": EMPTY},
        "ar": {"legal": cell(3, 1, 1, missing=["appeal"]), "emergency": EMPTY,
               "privacy": cell(1, 0, 1, stale=["privacy"]), "about": EMPTY, "integration": EMPTY},
        "sr_Latn": {"legal": cell(3, 0, 2, missing=["appeal"]), "emergency": EMPTY, "privacy": cell(1, 0, 1),
                    "about": EMPTY, "integration": EMPTY},
    }}


def test_table_has_a_row_per_language_and_a_cell_per_section(folders):
    root, locales = folders
    result = putokaz("--dir", str(root), locales=locales)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split("  ") for line in result.stdout.splitlines() if line.strip()}
    assert [c.strip() for c in rows["locale"] if c.strip()] == ["locale", "legal", "emergency", "privacy", "about",
                                                                "integration"]
    assert [c.strip() for c in rows["ar"] if c.strip()] == ["ar", "2/3 (1m)", "-", "1/1 (1s)", "-", "-"]
    assert [c.strip() for c in rows["en"] if c.strip()] == ["en", "3/3", "-", "1/1", "-", "-"]
    assert [c.strip() for c in rows["sr_Latn"] if c.strip()] == ["sr_Latn", "2/3", "-", "1/1", "-", "-"]
    assert "m: machine translations" in result.stdout and "s: stale" in result.stdout
    header, *lines = result.stdout.splitlines()[:4]
    assert {line.find("-") for line in lines} == {header.index("emergency")}  # the columns line up


def test_strict_fails_when_a_ui_language_misses_a_legal_or_privacy_page(folders):
    root, locales = folders
    result = putokaz("--dir", str(root), "--strict", locales=locales)
    assert result.returncode == 1
    assert result.stderr.strip() == "putokaz: ar misses legal/appeal"  # sr_Latn has no UI catalog: not required


def test_strict_requires_the_emergency_pages_too(folders):
    root, locales = folders
    page = "---\nid: sos-rs\ntitle: Emergency\nsection: emergency\n---\nCall 192.\n"
    (root / "articles" / "en" / "emergency").mkdir()
    (root / "articles" / "en" / "emergency" / "sos-rs.md").write_text(page, encoding="utf-8")
    result = putokaz("--dir", str(root), "--strict", locales=locales)
    assert result.returncode == 1
    assert result.stderr.strip() == "putokaz: ar misses legal/appeal, emergency/sos-rs"


def test_strict_passes_once_every_ui_language_has_them(folders):
    root, locales = folders
    (root / "articles" / "ar" / "legal" / "appeal.md").write_text(translation("legal/appeal", "machine"),
                                                                  encoding="utf-8")
    result = putokaz("--dir", str(root), "--strict", locales=locales)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_unreadable_translation_counts_as_machine_and_stale(folders):
    root, locales = folders
    (root / "articles" / "ar" / "legal" / "appeal.md").write_text("no front matter\n", encoding="utf-8")
    found = coverage(root, catalog_locales(locales))
    assert found.locales["ar"]["legal"] == Cell(total=3, machine=2, human=1, missing=[], stale=["appeal"])
