"""sanitize(): the controls a stranger could use to disguise text are dropped; everything else is kept."""

from __future__ import annotations

import pytest
from render_checks import LRI, PDI

from bot.render import sanitize, to_plain, to_telegram_html, to_web_html

DROPPED = [
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    "\u200e", "\u200f", "\u061c",  # LRM RLM ALM
    *(chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n\t"),  # C0
    "\x7f", *(chr(c) for c in range(0x80, 0xA0)),  # DEL, C1
]


@pytest.mark.parametrize("control", [pytest.param(c, id=f"U+{ord(c):04X}") for c in DROPPED])
def test_control_is_dropped(control):
    assert sanitize(f"a{control}b") == "ab"


@pytest.mark.parametrize("text", [
    pytest.param("a\nb\tc", id="newline and tab"),
    pytest.param("اتصل بـ 192", id="arabic"),
    pytest.param("👩\u200d👩\u200d👧 🇷🇸", id="emoji joined by ZWJ"),
    pytest.param("e\u0301", id="combining accent"),
    pytest.param("5\u00a0km", id="non-breaking space"),
    pytest.param("Шид Šid", id="cyrillic and latin"),
])
def test_ordinary_text_is_kept(text):
    assert sanitize(text) == text


def test_sanitize_names_a_wrong_type():
    with pytest.raises(TypeError, match="sanitize needs a str, got bytes"):
        sanitize(b"abc")


HOSTILE = "file\u202egnp.exe"


@pytest.mark.parametrize(("render", "expected"), [
    pytest.param(lambda t: to_telegram_html(t), "filegnp.exe", id="telegram"),
    # The override goes first; only then the renderer adds its own isolate (the file name reads as a domain).
    pytest.param(lambda t: to_telegram_html(t, rtl=True), f"{LRI}filegnp.exe{PDI}", id="telegram rtl"),
    pytest.param(lambda t: to_plain(t), "filegnp.exe", id="plain"),
    pytest.param(lambda t: to_web_html(t), "<p>filegnp.exe</p>", id="web"),
    pytest.param(lambda t: to_telegram_html(t.replace("\u202e", "&#x202e;")), "filegnp.exe",
                 id="override written as an entity"),
    pytest.param(lambda t: to_plain(f"![{t.replace(chr(0x202e), '&#8238;')}](x.png)"), "filegnp.exe",
                 id="override as an entity in an image's alt text"),
])
def test_renderers_drop_a_hostile_override(render, expected):
    assert render(HOSTILE) == expected


def test_stray_isolates_in_the_input_are_replaced_by_balanced_ones():
    # An unmatched PDI from outside would close our isolate early; only the renderer's own pairs survive.
    assert to_telegram_html("اتصل \u2069192\u2066\u2066 الآن&#8297; فوراً", rtl=True) == (
        f"اتصل {LRI}192{PDI} الآن فوراً")
