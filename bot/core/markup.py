"""Helpers for the Markdown the engine writes into Reply.text."""

from __future__ import annotations

# Each Markdown-special character with a backslash before it (str.translate: several times faster than re.sub,
# and escape() runs for every name and value on a screen).
_ESCAPED = str.maketrans({character: "\\" + character for character in "\\`*_[]{}()<>#+-.!|~&"})


def escape(text: str) -> str:
    """Make untrusted text (a person's words, a content value) read literally inside Markdown."""
    return text.translate(_ESCAPED)


def phone(number: str) -> str:
    """A phone number as a tap-to-call link: "[+381 11 785 0000](tel:+381117850000)".

    Web pages dial it; Telegram shows the number, which its clients make tappable themselves.
    """
    dialled = ("+" if number.strip().startswith("+") else "") + "".join(c for c in number if c.isdigit())
    return f"[{escape(number)}](tel:{dialled})"
