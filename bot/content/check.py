"""`putokaz content check`: every problem of a content folder, as `path:line: severity: message`.

Exit status for a CLI: 1 when there is an error, 0 when there are only warnings (or nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from bot.content.loader import load_content
from bot.content.problems import Problem


def check(root: Path, *, today: dt.date, max_age_days: int = 180) -> list[Problem]:
    """Load `root` and return its problems, sorted by file and line."""
    _, problems = load_content(root, today=today, max_age_days=max_age_days)
    return sorted(problems, key=lambda p: (p.path, p.line))


def format_problems(problems: Sequence[Problem]) -> str:
    """One problem a line, compiler style, so editors' tools can jump to the line."""
    return "\n".join(f"{p.location}: {p.severity}: {p.message}" for p in problems)


def exit_code(problems: Sequence[Problem]) -> int:
    return 1 if any(p.severity == "error" for p in problems) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """python -m bot.content.check [content] [--today YYYY-MM-DD] [--max-age-days N]"""
    parser = argparse.ArgumentParser(prog="python -m bot.content.check", description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="?", default=Path("content"))
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--max-age-days", type=int, default=180)
    args = parser.parse_args(argv)
    problems = check(args.root, today=args.today or dt.date.today(), max_age_days=args.max_age_days)
    if problems:
        print(format_problems(problems))
    return exit_code(problems)


if __name__ == "__main__":
    raise SystemExit(main())
