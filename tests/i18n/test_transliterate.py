"""Serbian Cyrillic to Serbian Latin: the letter table, digraph capitals, and everything that must stay as it is."""

from __future__ import annotations

import pytest

from bot.core.transliterate import LATIN, to_latin

ALPHABET = "абвгдђежзијклљмнњопрстћуфхцчџш"
ABECEDA = ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r", "s",
           "t", "ć", "u", "f", "h", "c", "č", "dž", "š"]


def test_every_letter_of_the_azbuka_has_its_latin_letter():
    assert [to_latin(letter) for letter in ALPHABET] == ABECEDA


def test_capitals_alone_or_before_a_small_letter_capitalise_the_first_letter_only():
    assert [to_latin(letter.upper()) for letter in ALPHABET] == [latin.capitalize() for latin in ABECEDA]


def test_the_table_has_the_thirty_letters_in_both_cases():
    assert len(LATIN) == 60


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("Љубљана", "Ljubljana"),
    ("ЉУБ", "LJUB"),
    ("Његош", "Njegoš"),
    ("ЊЕГОШ", "NJEGOŠ"),
    ("Џеп", "Džep"),
    ("ЏЕП", "DŽEP"),
    ("Џ", "Dž"),
    ("КОЊ", "KONJ"),  # last letter of a word in capitals
    ("Ђорђе Ћирић Чачак Шабац Жабаљ", "Đorđe Ćirić Čačak Šabac Žabalj"),
    ("Здраво, свете!", "Zdravo, svete!"),
])
def test_words(cyrillic, latin):
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize("text", [
    "{name}",
    "%(n)d km, %s",
    "/menu",
    "**Legal aid** _now_ [UNHCR](https://www.unhcr.org/rs/)",
    "Zdravo, Đorđe: već",
    "🆘 112 ☎️",
    "",
])
def test_what_is_not_serbian_cyrillic_is_untouched(text):
    assert to_latin(text) == text


def test_placeholders_keep_their_names_in_a_cyrillic_sentence():
    assert to_latin("Не знам команду /{name} у {место}: %(n)d.") == "Ne znam komandu /{name} u {место}: %(n)d."


def test_other_cyrillic_languages_letters_are_left_alone():
    assert to_latin("щ ы ї є ѓ ќ") == "щ ы ї є ѓ ќ"  # Russian, Ukrainian and Macedonian letters are not Serbian
