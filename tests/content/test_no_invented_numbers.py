"""Every phone number the shipped pack gives appears in the fact brief it was written from: none is invented.

The brief (docs/sources/content-facts.md, a copy of the research brief with its sources) is the only place
numbers may come from; a number added from another source must be added to the brief with that source first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.loader import load_content

ROOT = Path(__file__).resolve().parents[2]
BRIEF = ROOT / "docs" / "sources" / "content-facts.md"
# A number someone could dial: digits grouped by spaces, dashes or "(0)".
DIALLED = re.compile(r"\+?\d(?:[\d -]|\(0\))*\d")
SEPARATORS = r"[\s()/.,-]*"
YEARS_OR_DATES = re.compile(r"(19|20)\d\d")


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


@pytest.fixture(scope="module")
def brief_numbers() -> str:
    return BRIEF.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pack(today_real):
    pack, _ = load_content(ROOT / "content", today=today_real)
    return pack


@pytest.fixture(scope="module")
def today_real():
    import datetime as dt
    return dt.date.today()


def known(number: str, brief: str) -> bool:
    """Whether the brief writes these digits in this order as one whole number, however it groups them."""
    pattern = r"(?<!\d)" + SEPARATORS.join(digits(number)) + r"(?!\d)"
    return re.search(pattern, brief) is not None


def test_every_emergency_number_and_helpline_is_in_the_brief(pack, brief_numbers):
    numbers = [(c.code, h.number) for c in pack.countries() for h in c.numbers]
    assert numbers
    assert [n for n in numbers if not known(n[1], brief_numbers)] == []


def test_every_service_phone_is_in_the_brief(pack, brief_numbers):
    phones = [(s.id, phone) for place in pack.places() for s in pack.services(place.id) for phone in s.phones]
    assert len(phones) > 20
    assert [p for p in phones if not known(p[1], brief_numbers)] == []


def test_every_phone_number_in_an_article_is_in_the_brief(brief_numbers):
    unknown = []
    for path in sorted((ROOT / "content" / "articles").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---", 1)[-1]
        for match in DIALLED.findall(body):
            number = match.strip()
            if len(digits(number)) < 5 or YEARS_OR_DATES.fullmatch(digits(number)):
                continue  # amounts, years and short counts are checked against the English by `content check`
            if not known(number, brief_numbers):
                unknown.append(f"{path.relative_to(ROOT)}: {number}")
    assert unknown == []
