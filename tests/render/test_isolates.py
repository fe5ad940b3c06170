"""Right-to-left text: numbers, links, e-mail addresses and codes are isolated whole, and only when rtl=True."""

from __future__ import annotations

import pytest
from render_checks import LRI, PDI

from bot.core.markup import escape
from bot.render import to_plain, to_telegram_html, to_web_html

# Each appears inside Arabic as "اتصل بـ X الآن" and must come back as one isolate.
LTR_PIECES = [
    pytest.param("192", id="police number"),
    pytest.param("0800 222 003", id="women's SOS line"),
    pytest.param("+381 11 2457-376", id="Serbian landline"),
    pytest.param("+359 2 980 2453", id="Bulgarian landline"),
    pytest.param("116 111", id="children's line"),
    pytest.param("070 390 632", id="Macedonian number"),
    pytest.param("https://apc-cza.org/en/pravna-pomoc", id="https link"),
    pytest.param("https://www.openstreetmap.org/?mlat=45.12800&mlon=19.22600#map=16/45.128/19.226",
                 id="link with query"),
    pytest.param("help.unhcr.org/serbia", id="bare domain with path"),
    pytest.param("info@apc-cza.org", id="e-mail"),
    pytest.param("rs-sid", id="place code"),
    pytest.param("/sos", id="command"),
    pytest.param("/start ar__rs-sid", id="command with argument"),
    pytest.param("2026-11-25", id="date"),
    pytest.param("08:30-16:30", id="opening hours"),
    pytest.param("50%", id="percentage"),
]


@pytest.mark.parametrize("piece", LTR_PIECES)
def test_piece_is_isolated_whole_in_rtl(piece):
    assert to_plain(f"اتصل بـ {piece} الآن", rtl=True) == f"اتصل بـ {LRI}{piece}{PDI} الآن"


@pytest.mark.parametrize("piece", LTR_PIECES)
def test_piece_escaped_by_the_engine_is_still_isolated_whole(piece):
    # The engine writes content values through bot.core.markup.escape ("2457\-376"); the parser undoes it.
    html = to_telegram_html(f"اتصل بـ {escape(piece)} الآن", rtl=True)
    assert html == f"اتصل بـ {LRI}{piece.replace('&', '&amp;')}{PDI} الآن"


@pytest.mark.parametrize(("markdown", "expected"), [
    pytest.param("اتصل بـ 192.", f"اتصل بـ {LRI}192{PDI}.", id="sentence end stays outside"),
    pytest.param("الموقع https://apc-cza.org.", f"الموقع {LRI}https://apc-cza.org{PDI}.", id="link then full stop"),
    pytest.param("(https://apc-cza.org)", f"({LRI}https://apc-cza.org{PDI})", id="link in parentheses"),
    pytest.param("192, 194", f"{LRI}192{PDI}, {LRI}194{PDI}", id="two numbers with a comma"),
    pytest.param("info@apc.org، ثم", f"{LRI}info@apc.org{PDI}، ثم", id="arabic comma after e-mail"),
    pytest.param("https://x.orgثم", f"{LRI}https://x.org{PDI}ثم", id="arabic word right after a link"),
    pytest.param("21A Montevideo St.", "21A Montevideo St.", id="number with letters is not cut"),
    pytest.param("COVID-19 و v22.8", "COVID-19 و v22.8", id="name with a number is not cut"),
    pytest.param("مركز Asylum Protection Center", "مركز Asylum Protection Center", id="latin words left alone"),
    pytest.param("اتصل بـ ١٩٢", "اتصل بـ ١٩٢", id="arabic-indic digits left alone"),
])
def test_isolation_boundaries(markdown, expected):
    assert to_plain(markdown, rtl=True) == expected


@pytest.mark.parametrize(("markdown", "expected"), [
    pytest.param("اتصل بـ +381 11 2457-376 أو زر https://apc-cza.org",
                 f"اتصل بـ {LRI}+381 11 2457-376{PDI} أو زر {LRI}https://apc-cza.org{PDI}", id="phone and link"),
    pytest.param("الشرطة: **192**", f"الشرطة: <b>{LRI}192{PDI}</b>", id="number in bold"),
    pytest.param("[الموقع 2](https://apc-cza.org/192)",
                 f'<a href="https://apc-cza.org/192">الموقع {LRI}2{PDI}</a>', id="link target untouched"),
    pytest.param("اكتب `/sos`", f"اكتب {LRI}<code>/sos</code>{PDI}", id="code isolated outside its tag"),
    pytest.param("- الشرطة: **192**\n- الإسعاف: **194**",
                 f"• الشرطة: <b>{LRI}192{PDI}</b>\n• الإسعاف: <b>{LRI}194{PDI}</b>", id="list of numbers"),
    pytest.param("<b> 192 &", f"&lt;b&gt; {LRI}192{PDI} &amp;", id="escaped text around a number"),
])
def test_telegram_isolates_text_only(markdown, expected):
    assert to_telegram_html(markdown, rtl=True) == expected


def test_web_isolates_text_only():
    assert to_web_html("زر [الموقع](https://apc-cza.org/192) أو اتصل بـ 116 111", rtl=True) == (
        '<p>زر <a href="https://apc-cza.org/192" target="_blank" rel="noopener noreferrer">الموقع</a>'
        f" أو اتصل بـ {LRI}116 111{PDI}</p>")


ARABIC = ("اتصل بـ 192 أو +381 11 2457-376، الموقع https://apc-cza.org والبريد info@apc-cza.org، "
          "اكتب `/start ar__rs-sid` أو /sos، المكان rs-sid.")
RENDERERS = [pytest.param(to_telegram_html, id="telegram"), pytest.param(to_plain, id="plain"),
             pytest.param(to_web_html, id="web")]


@pytest.mark.parametrize("render", RENDERERS)
def test_no_isolates_without_rtl(render):
    out = render(ARABIC)
    assert (LRI in out, PDI in out, "+381 11 2457-376" in out) == (False, False, True)


@pytest.mark.parametrize("render", RENDERERS)
def test_isolates_with_rtl_are_balanced(render):
    out = render(ARABIC, rtl=True)
    assert (out.count(LRI), out.count(PDI)) == (7, 7)
