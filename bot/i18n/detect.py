"""Which of the bot's languages a message is written in, when that is clear (lingua).

Used to answer a question typed in another language than the person's (a shared phone, a friend typing) in that
language, and to offer to switch. Cautious on purpose: short texts, low confidence and languages lingua cannot tell
apart reliably give no answer. Lingua has no Pashto model, so Farsi, Urdu and Pashto, which share a script and many
words, are never told apart from each other here.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

from lingua import Language, LanguageDetectorBuilder

_CODES = {
    Language.ENGLISH: "en", Language.SERBIAN: "sr", Language.CROATIAN: "sr_Latn", Language.BOSNIAN: "sr_Latn",
    Language.MACEDONIAN: "mk", Language.BULGARIAN: "bg", Language.ARABIC: "ar", Language.PERSIAN: "fa",
    Language.URDU: "ur", Language.UKRAINIAN: "uk", Language.RUSSIAN: "ru", Language.FRENCH: "fr",
    Language.SPANISH: "es", Language.TURKISH: "tr",
}
# Languages a detection may not move between (lingua knows no Pashto; these share a script and much vocabulary).
_CONFUSABLE = ({"fa", "ur", "ps"},)
MIN_LETTERS = 12
MIN_WORDS = 2
MIN_CONFIDENCE = 0.8


@functools.cache
def _detector():
    # Low-accuracy mode uses trigram models only: about 40 MB in memory instead of about 400 MB, and well under a
    # millisecond a message, at a small cost on very short texts, which are not detected anyway.
    return (LanguageDetectorBuilder.from_languages(*_CODES).with_low_accuracy_mode()
            .with_minimum_relative_distance(0.1).with_preloaded_language_models().build())


def warm_up() -> None:
    """Load the models at start, not on a person's first question."""
    _detector().detect_language_of("warm up")


def detect(text: str, supported: Collection[str], current: str) -> str | None:
    """The language of `text` if it is clearly one of `supported` other than `current`, else None."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS or len(text.split()) < MIN_WORDS:
        return None
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    code = _CODES[values[0].language]
    if code == "sr" and not any("\u0400" <= ch <= "\u04ff" for ch in text):
        code = "sr_Latn"  # lingua's Serbian is the Cyrillic one
    if code == current or {code, current} <= {"sr", "sr_Latn"}:
        return None  # the person's language, or Serbian in the other script, which they read too
    if any(code in group and current in group for group in _CONFUSABLE):
        return None
    return code if code in supported else None
