"""The checker accepts exactly the sections, categories and phone-line kinds the screens can show."""

from __future__ import annotations

from bot.content import schema
from bot.core import screens


def test_sections_match_the_screens():
    assert set(schema.SECTIONS) == set(screens.SECTIONS)


def test_categories_match_the_screens():
    assert set(schema.CATEGORIES) == set(screens.CATEGORIES)


def test_kinds_without_names_are_the_ones_the_screens_label():
    assert schema.UI_NAMED_KINDS == set(screens.HOTLINE_KINDS)


def test_statuses_with_a_note_are_known():
    assert set(screens.STATUS_NOTES) < set(schema.STATUSES)
