"""to_viber(): plain text with Viber's own *bold* and _italic_, and split_text() for Viber's 7000 characters."""

from __future__ import annotations

import pytest

from bot.render import split_text, to_viber


@pytest.mark.parametrize(("markdown", "expected"), [
    pytest.param("**Deadline:** *3 days*", "*Deadline:* _3 days_", id="bold and italic"),
    pytest.param("***both***", "_*both*_", id="bold inside italic"),
    pytest.param("**bold *and italic***", "*bold and italic*", id="italic inside bold stays plain"),
    pytest.param("## Rights\n\nText", "*Rights*\n\nText", id="headings are bold"),
    pytest.param("## **Rights**", "*Rights*", id="a bold heading is bold once"),
    pytest.param('<b>&"', '<b>&"', id="html stays literal"),
    pytest.param("[APC](https://apc-cza.org)", "APC (https://apc-cza.org)", id="links show their address"),
    pytest.param("[+381 11 785 0000](tel:+381117850000)", "+381 11 785 0000", id="a number is its own link"),
    pytest.param("- **one**\n- two", "• *one*\n• two", id="lists"),
])
def test_markdown_to_viber(markdown, expected):
    assert to_viber(markdown) == expected


def test_right_to_left_text_isolates_numbers_inside_the_markers():
    assert to_viber("اتصل **192**", rtl=True) == "اتصل *\u2066192\u2069*"


def test_split_text_cuts_between_paragraphs_and_keeps_everything():
    text = "\n\n".join(f"{n} " + "word " * 400 for n in range(6))
    parts = split_text(text, 7000)
    assert len(parts) == 2 and all(len(p) <= 7000 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert parts[1].startswith("3 ")


@pytest.mark.parametrize(("text", "expected"), [("", []), ("  \n ", []), ("short", ["short"])])
def test_split_text_small_inputs(text, expected):
    assert split_text(text, 10) == expected


def test_split_text_refuses_a_limit_that_is_not_positive():
    with pytest.raises(ValueError, match="positive"):
        split_text("x", 0)
