"""to_plain(): the chat layout without markup, for the terminal (and later Viber)."""

from __future__ import annotations

import pytest

from bot.render import to_plain


@pytest.mark.parametrize(("markdown", "expected"), [
    pytest.param('<b>&"', '<b>&"', id="html stays literal, unescaped"),
    pytest.param("**Deadline:** *3 days*", "Deadline: 3 days", id="markers dropped"),
    pytest.param("a \\*not bold\\*", "a *not bold*", id="escaped markers are text"),
    pytest.param("`/sos`", "/sos", id="code"),
    pytest.param("[APC](https://apc-cza.org)", "APC (https://apc-cza.org)", id="link with its address"),
    pytest.param("[https://apc-cza.org](https://apc-cza.org)", "https://apc-cza.org", id="label is the address"),
    pytest.param("<https://apc-cza.org>", "https://apc-cza.org", id="autolink"),
    pytest.param("[call](tel:192)", "call (tel:192)", id="tel link"),
    pytest.param("[+381 11 785 0000](tel:+381117850000)", "+381 11 785 0000", id="tel link that is its number"),
    pytest.param("[click](javascript:alert(1))", "click", id="javascript address left out"),
    pytest.param("[page](/legal)", "page", id="relative address left out"),
    pytest.param("# Title\n\nText", "Title\n\nText", id="heading"),
    pytest.param("- one\n  - nested\n- two", "• one\n  • nested\n• two", id="bullet list"),
    pytest.param("7. seven\n8. eight", "7. seven\n8. eight", id="ordered list"),
    pytest.param("a  \nb", "a\nb", id="hard break"),
    pytest.param("> said\n> > before", "> said\n> > before", id="quotes"),
    pytest.param("![alt **text**](x.png)", "alt text", id="image"),
])
def test_markdown_to_plain(markdown, expected):
    assert to_plain(markdown) == expected


def test_plain_rtl_isolates_the_address_after_a_label():
    assert to_plain("[الموقع](https://apc-cza.org)", rtl=True) == "الموقع (\u2066https://apc-cza.org\u2069)"
