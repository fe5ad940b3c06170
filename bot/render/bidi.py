"""Direction of text: strip the controls a stranger could use to disguise text, add our own isolates.

A right-to-left override (U+202E) in a person's message or a content value would turn "lmth.exe" into
"exe.html" on screen, so every renderer first removes all explicit bidi controls (and C0/C1 controls, which
Telegram rejects or shows as boxes). Only then, for Arabic, Farsi, Pashto and Urdu, it wraps the parts that must
read left to right (phone numbers, links, e-mail addresses, codes and commands) in LRI ... PDI: without them
"0800 222 003" shows as "003 222 0800" inside right-to-left text.
"""

from __future__ import annotations

import re

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE

_DROPPED = {
    *range(0x00, 0x20),  # C0, but \n and \t are put back below
    *range(0x7F, 0xA0),  # DEL and C1
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x200E, 0x200F,  # LRM, RLM
    0x061C,  # ARABIC LETTER MARK
} - {ord("\n"), ord("\t")}
_SANITIZE = dict.fromkeys(_DROPPED)


def sanitize(text: str) -> str:
    """Drop bidi embedding, override and isolate controls, LRM/RLM/ALM, and C0/C1 controls but "\\n" and "\\t"."""
    if not isinstance(text, str):
        raise TypeError(f"sanitize needs a str, got {type(text).__name__}")
    return text.translate(_SANITIZE)


# Letters of right-to-left scripts (Hebrew to Arabic Extended, and their presentation forms) end a link or a
# domain: an Arabic word written right after "https://example.org" is not part of it.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_LINK_CHAR = rf"[^\s<>\"{_RTL}]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"

_LTR = re.compile(
    rf"""
    (?<![A-Za-z0-9_@./+-])
    (?:
        (?P<url>(?:(?:https?|ftp|tg)://|www\.|(?:mailto|tel):){_LINK_CHAR}+)
      | (?P<email>[A-Za-z0-9._%+-]+@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}(?![A-Za-z0-9-]))
        # a bare domain such as "asylum.bg/interview"; a lower-case top-level domain keeps "Dr.Smith" out
      | (?P<domain>(?:{_LABEL}\.)+[a-z]{{2,24}}(?![A-Za-z0-9-])(?:/{_LINK_CHAR}*)?)
        # "/start ar__rs-sid" stays one piece; a plain word after a command is not taken with it
      | (?P<command>/[A-Za-z][A-Za-z0-9_]*(?:@[A-Za-z0-9_]+)?(?:\ [A-Za-z0-9]+(?:[-_]+[A-Za-z0-9]+)+)?
                    (?![A-Za-z0-9_-]))
        # "+381 11 2457-376", "0800 222 003", "08:30-16:30", "50%": all groups of one number in one isolate
      | (?P<number>[+€$£]?[0-9]+(?:[\ \u00a0./:,-][0-9]+)*%?(?![A-Za-z0-9_]))
      | (?P<code>[a-z0-9]+(?:[-_]+[a-z0-9]+)+(?![A-Za-z0-9_-]))
    )
    """,
    re.VERBOSE,
)
_CLOSING = {")": "(", "]": "[", "}": "{"}


def _trim_link(link: str) -> str:
    """Leave sentence punctuation and an unmatched closing bracket after a link outside it."""
    while link and link[-1] in ".,;:!?'\"*_)]}":
        opening = _CLOSING.get(link[-1])
        if opening is not None and link.count(opening) >= link.count(link[-1]):
            break
        link = link[:-1]
    return link


def isolate(text: str) -> str:
    """Wrap phone numbers, links, e-mail addresses, codes and commands in LRI ... PDI, for right-to-left text."""
    parts = []
    done = 0
    for match in _LTR.finditer(text):
        start, end = match.span()
        if match.lastgroup in ("url", "domain"):
            end = start + len(_trim_link(match.group()))
        if end > start:
            parts += [text[done:start], LRI, text[start:end], PDI]
            done = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)
