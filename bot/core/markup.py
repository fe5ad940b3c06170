"""Helpers for the Markdown the engine writes into Reply.text."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+\-.!|~&])")


def escape(text: str) -> str:
    """Make untrusted text (a person's words, a content value) read literally inside Markdown."""
    return _SPECIAL.sub(r"\\\1", text)


def phone(number: str) -> str:
    """A phone number as a tap-to-call link: "[+381 11 785 0000](tel:+381117850000)".

    Web pages dial it; Telegram shows the number, which its clients make tappable themselves.
    """
    dialled = ("+" if number.strip().startswith("+") else "") + "".join(c for c in number if c.isdigit())
    return f"[{escape(number)}](tel:{dialled})"
