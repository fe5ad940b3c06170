"""Serbian Latin from Serbian Cyrillic, letter for letter, so one hand-written catalog serves both scripts.

The table is the official one-to-one correspondence of the two Serbian alphabets (Вук's azbuka and Gaj's abeceda):
three Cyrillic letters become Latin digraphs (љ lj, њ nj, џ dž). Only Serbian Cyrillic letters change; Latin text,
digits, Markdown, commands ("/menu") and emoji are left as they are, and so are placeholders ("{name}", "%(n)d"),
which the engine fills by the names in the English msgid.
"""

from __future__ import annotations

import re

_LOWER = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}
# Capitals: "Љ" is "Lj" at the start of a word ("Љубљана" -> "Ljubljana") and "LJ" inside an all-capitals one.
LATIN = {**_LOWER, **{cyrillic.upper(): latin.capitalize() for cyrillic, latin in _LOWER.items()}}
_DIGRAPHS = frozenset(cyrillic for cyrillic, latin in LATIN.items() if len(latin) == 2 and cyrillic.isupper())

# The same placeholder spellings catalogs.check() guards, with any letters in the name.
_PLACEHOLDER = re.compile(r"\{\w+\}|%(?:\(\w+\))?[sdif]")


def to_latin(text: str) -> str:
    """Serbian Cyrillic `text` in Serbian Latin, with placeholders and every non-Cyrillic character kept."""
    parts = []
    start = 0
    for placeholder in _PLACEHOLDER.finditer(text):
        parts.append(_letters(text[start:placeholder.start()]))
        parts.append(placeholder.group())
        start = placeholder.end()
    parts.append(_letters(text[start:]))
    return "".join(parts)


def _letters(text: str) -> str:
    out = []
    for index, char in enumerate(text):
        latin = LATIN.get(char, char)
        if char in _DIGRAPHS and _in_capitals(text, index):
            latin = latin.upper()
        out.append(latin)
    return "".join(out)


def _in_capitals(text: str, index: int) -> bool:
    """Whether the letter at `index` is part of a word in capitals: "ЉУБ" -> "LJUB", and the last of "КОЊ" -> "KONJ"."""
    following = text[index + 1:index + 2]
    if following.isalpha():
        return following.isupper()
    preceding = text[index - 1:index] if index else ""
    return preceding.isalpha() and preceding.isupper()


# Languages served from another language's catalog when they have none of their own: sr_Latn is made from sr.
DERIVED = {"sr_Latn": ("sr", to_latin)}
