"""Helpers for the Markdown the engine writes into Reply.text."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+\-.!|~&])")


def escape(text: str) -> str:
    """Make untrusted text (a person's words, a content value) read literally inside Markdown."""
    return _SPECIAL.sub(r"\\\1", text)
