"""Personal data never survives scrubbing: examples in every language, and generated numbers and addresses."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy.scrub import scrub


@pytest.mark.parametrize(("text", "expected"), [
    ("My name is Ahmad Karimi and I need help", "My name is [name] and I need help"),
    ("zovem se Marko, imam pitanje", "zovem se [name], imam pitanje"),
    ("Зовем се Марко", "Зовем се [name]"),
    ("Казвам се Иван и имам въпрос", "Казвам се [name] и имам въпрос"),
    ("Се викам Ана", "Се викам [name]"),
    ("Меня зовут Олег.", "Меня зовут [name]."),
    ("Мене звати Олена", "Мене звати [name]"),
    ("اسمي أحمد وأنا من سوريا", "اسمي [name] وأنا من سوريا"),
    ("اسم من علی است", "اسم من [name] است"),
    ("زما نوم احمد دی", "زما نوم [name] دی"),
    ("میرا نام علی ہے", "میرا نام [name] ہے"),
    ("Je m'appelle Awa Diallo", "Je m'appelle [name]"),
    ("Me llamo Ana y tengo dos hijos", "Me llamo [name] y tengo dos hijos"),
    ("Benim adım Mehmet, 2 çocuğum var", "Benim adım [name], 2 çocuğum var"),
    ("call 064 123 4567 or +381 64 1234567", "call [phone] or [phone]"),
    ("moj broj je 0038164123456", "moj broj je [phone]"),
    ("мой телефон +7 912 345-67-89", "мой телефон [phone]"),
    ("write to a.b-c@mail.example.org please", "write to [email] please"),
    ("I was born 12.03.1990 in Kabul", "I was born [date] in Kabul"),
    ("appointment on 2026-12-05", "appointment on [date]"),
    ("case number 12-345-678/2025", "case number [number]"),
    ("passport 1234567", "passport [number]"),
    ("IBAN RS35260005601001611379", "IBAN [iban]"),
    ("see https://example.org/form?id=123456&token=abc", "see https://example.org/form?[query]"),
    ("my telegram is @amira_k", "my telegram is [username]"),
    ("how long until I can work? 6 months? 72 hours?", "how long until I can work? 6 months? 72 hours?"),
    ("I have 3 children, we came in 2024", "I have 3 children, we came in 2024"),
    ("كم يوم 15 يوما", "كم يوم 15 يوما"),
])
def test_scrubs(text, expected):
    assert scrub(text) == expected


def test_a_very_long_question_is_cut():
    assert len(scrub("a" * 10_000)) == 2000


def _national(region: str, digits: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(digits, region), phonenumbers.PhoneNumberFormat.NATIONAL)


REGIONS = ("RS", "MK", "BG", "AF", "SY", "IR", "PK", "UA", "RU", "TR", "FR", "ES")
FORMATS = (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164,
           phonenumbers.PhoneNumberFormat.NATIONAL)


@st.composite
def phone_numbers(draw) -> str:
    region = draw(st.sampled_from(REGIONS))
    example = phonenumbers.example_number_for_type(region, draw(st.sampled_from(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])))
    national = str(example.national_number)
    # Keep the first digits (which make the number valid for its region), vary the rest.
    tail = draw(st.text("0123456789", min_size=len(national) - 3, max_size=len(national) - 3))
    number = phonenumbers.parse(f"+{example.country_code}{national[:3]}{tail}", None)
    written = phonenumbers.format_number(number, draw(st.sampled_from(FORMATS)))
    # People write numbers with spaces, dashes, dots or nothing in between.
    return draw(st.sampled_from([written, written.replace(" ", ""), written.replace(" ", "-"),
                                 written.replace(" ", ".")]))


words = st.sampled_from(["help", "please", "azil", "لجوء", "کار", "работа", "call", "at", "or", "my", "number",
                         "телефон", "رقم", "шумара", "numara", "?", ","])
text_around = st.lists(words, max_size=4).map(" ".join)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@settings(max_examples=300, deadline=None)
@given(before=text_around, number=phone_numbers(), after=text_around)
def test_no_generated_phone_number_survives(before, number, after):
    scrubbed = scrub(f"{before} {number} {after}")
    # Not one run of 5 digits of the number is left anywhere in the result.
    kept = digits(number)
    assert not any(kept[i:i + 5] in digits(scrubbed) for i in range(len(kept) - 4)), scrubbed


emails = st.emails().filter(lambda e: "@" in e and len(e) < 80)


@settings(max_examples=300, deadline=None)
@given(before=text_around, email=emails, after=text_around)
def test_no_generated_email_survives(before, email, after):
    scrubbed = scrub(f"{before} {email} {after}")
    local, _, domain = email.rpartition("@")
    assert email not in scrubbed and "@" + domain not in scrubbed, scrubbed
