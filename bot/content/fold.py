"""One spelling for search: what people type and what pages say meet on the same folded, Latin-script key.

- case and Latin accents: "Šid", "SID", "šid" -> "sid"; Turkish dotless ı -> i; đ -> dj (as Serbs type it);
- Cyrillic to Latin for Serbian, Macedonian, Bulgarian, Ukrainian and Russian: "азил" -> "azil", so a page written
  in Cyrillic is found by a question typed in Latin letters on a borrowed phone, and the other way round;
- Arabic script: harakat, tatweel and zero-width non-joiners dropped; alef and hamza forms (أ إ آ ٱ ؤ ئ) to their
  base letter; Arabic and Persian yeh and kaf to one; ta marbuta to heh;
- Arabic-Indic and Persian digits to 0-9.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "dj", "ѓ": "gj", "е": "e", "ё": "e", "є": "je",
    "ж": "z", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "ji", "й": "j", "ј": "j", "к": "k", "ќ": "kj", "л": "l",
    "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ў": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s", "щ": "st", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "ju", "я": "ja",
}
_LATIN = {"đ": "dj", "ı": "i", "ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ŋ": "n"}
_ARABIC = {
    "\u0640": "", "\u200c": "", "\u200d": "",  # tatweel, ZWNJ, ZWJ
    "\u0671": "\u0627",  # alef wasla
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u06d2": "\u06cc",  # Arabic yeh, alef maksura, Urdu yeh barree
    "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u06c1": "\u0647",  # ta marbuta, heh with yeh, Urdu heh goal
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_TABLE = str.maketrans(_CYRILLIC | _LATIN | _ARABIC | _DIGITS)

WORD = re.compile(r"\w+")
URL = re.compile(r"\S+://\S+")
# Arabic-script vowel marks, Quranic marks and tatweel: not letters (\w does not match them), so they would split
# "لُجُوء" into pieces; a stemmer wants the bare word anyway.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The search key of a text: lower case, no marks, Latin for Cyrillic, one form per Arabic-script letter."""
    # NFKD splits accents and Arabic hamza/madda off their letters as combining marks (Mn); drop them all.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare).translate(_TABLE)


def raw_words(text: str) -> list[str]:
    """The words of a text in their own script and case (for a stemmer), web addresses left out."""
    bare = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", URL.sub(" ", text)))
    return WORD.findall(bare)


def words(text: str) -> set[str]:
    """The folded words of a text; one-letter words say too little to match on."""
    return {word for word in (fold(w) for w in raw_words(text)) if len(word) > 1}
