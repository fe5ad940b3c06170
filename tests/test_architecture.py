"""The boundaries STYLE.md draws, declared as import-linter contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                             "lint_imports_command()"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.split("Contracts:")[-1].split("\n")[0] or "0 broken" in result.stdout


def test_core_imports_no_sdk_by_text():
    # A second, independent look: the core must not even mention these imports lazily inside functions.
    forbidden = ("telegram", "aiohttp", "sqlalchemy", "babel", "yaml", "markdown_it", "alembic")
    for path in (ROOT / "bot" / "core").glob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            words = line.strip().split()
            if len(words) >= 2 and words[0] in ("import", "from"):
                assert words[1].split(".")[0] not in forbidden, f"{path.name}:{number}: {line.strip()}"


def test_no_translated_string_hides_inside_an_f_string():
    # On Python 3.11 an f-string is one token, so babel's extractor never sees a _() call inside it:
    # the string would silently stay English in every language.
    import re

    pattern = re.compile(r"""\bf(["'])[^"']*\{_\(""")
    for path in (ROOT / "bot").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not pattern.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
