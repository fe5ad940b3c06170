"""Numbers a translation must keep: phone numbers, deadlines, dates, amounts."""

from __future__ import annotations

from bot.content.numbers import differences, numbers


def test_a_phone_number_is_read_as_its_digit_groups():
    assert numbers("Call +389 70 393 147.") == {"389": 1, "70": 1, "393": 1, "147": 1}


def test_arabic_and_persian_digits_are_the_same_numbers():
    assert numbers("خلال ٧٢ ساعة") == numbers("خلال ۷۲ ساعت") == numbers("within 72 hours")


def test_one_and_two_may_be_written_as_words():
    assert differences("for 1 year, then 2 months", "لمدة سنة واحدة ثم شهرين") == ([], [])


def test_a_link_target_is_not_read_but_its_text_is():
    assert numbers("[call 116 111](https://example.org/page/2024)") == {"116": 1, "111": 1}


def test_reports_what_is_missing_and_what_was_added():
    assert differences("within 72 hours, call 0800 222 003", "خلال 27 ساعة، اتصل 0800 222 003") == (["72"], ["27"])


def test_a_number_said_twice_in_the_original_must_be_said_twice():
    assert differences("8 days. Yes, 8 days.", "8 jours.") == (["8"], [])
