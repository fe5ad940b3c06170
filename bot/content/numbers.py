"""The numbers a page states (phone numbers, deadlines, dates, amounts), for comparing a translation with its
English original: a translator may reword everything but these."""

from __future__ import annotations

import re
from collections import Counter

# Arabic-Indic and Extended Arabic-Indic (Persian, Urdu, Pashto) digits read as the same numbers.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"\d+")
# A link's target is not read by people; only its visible text is compared.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


# Languages write one and two as words ("one year", Arabic's dual "شهرين"), so these are not compared.
_WORDS = frozenset({"0", "1", "2"})


def numbers(text: str) -> Counter[str]:
    """Each run of digits in `text` but 0, 1 and 2, counted: "+389 70 393 147" -> 389, 70, 393, 147."""
    text = _LINK_TARGET.sub("]", text).translate(_DIGITS)
    found = (match.lstrip("0") or "0" for match in _NUMBER.findall(text))
    return Counter(number for number in found if number not in _WORDS)


def differences(original: str, translation: str) -> tuple[list[str], list[str]]:
    """(numbers of the original missing from the translation, numbers the translation adds), each sorted."""
    have, want = numbers(translation), numbers(original)
    return sorted((want - have).elements(), key=_order), sorted((have - want).elements(), key=_order)


def _order(number: str) -> tuple[int, str]:
    return len(number), number
