"""Which language a question is written in: clear cases answered, doubtful ones left alone."""

from __future__ import annotations

import pytest

from bot.i18n.detect import detect

ALL = ("en", "sr", "sr_Latn", "mk", "bg", "ar", "fa", "ps", "ur", "uk", "ru", "fr", "es", "tr")


@pytest.mark.parametrize(("text", "current", "expected"), [
    ("how long until I can work here?", "ar", "en"),
    ("متى يمكنني العمل هنا", "fa", "ar"),
    ("когда я смогу работать здесь", "uk", "ru"),
    ("коли я зможу працювати тут", "ru", "uk"),
    ("quand est-ce que je peux travailler", "en", "fr"),
    ("cuándo puedo trabajar aquí", "fr", "es"),
    ("ne zaman çalışabilirim burada", "en", "tr"),
    ("колко време докато мога да работя", "en", "bg"),
    ("kada mogu da radim ovde", "en", "sr_Latn"),
])
def test_a_clear_question_in_another_language_is_recognised(text, current, expected):
    assert detect(text, ALL, current) == expected


@pytest.mark.parametrize(("text", "current"), [
    ("azil", "en"),  # too short to tell
    ("where is camp", "ar"),  # too short
    ("how long until I can work here?", "en"),  # the person's own language
    ("kada mogu da radim ovde", "sr"),  # Serbian in the other script: they read both
    ("کی می‌توانم اینجا کار کنم", "ps"),  # Farsi, Urdu and Pashto are not told apart
    ("کی می‌توانم اینجا کار کنم", "ur"),
])
def test_doubtful_or_same_language_gives_no_answer(text, current):
    assert detect(text, ALL, current) is None


def test_a_language_the_bot_does_not_speak_is_not_offered():
    assert detect("how long until I can work here?", ("ar", "fa"), "ar") is None
