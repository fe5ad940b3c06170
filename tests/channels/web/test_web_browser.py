"""The page in headless Chromium against a live server on 127.0.0.1: what a person sees and presses.

Playwright drives Debian's /usr/bin/chromium (Playwright's own browser download is not used). The engine is the
stand-in from support.py, so each reply tells which request reached it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.core.model import Incoming, Kind, Location

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    pytest.skip(f"the browser tests need Debian's Chromium at {CHROMIUM}, which is not installed",
                allow_module_level=True)

from playwright.async_api import async_playwright, expect  # noqa: E402


@pytest.fixture
async def browser():
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def open_page(browser, client):
    """Open the chat in a phone-sized page; console errors (a CSP refusal among them) are collected."""
    contexts = []

    async def open_(query: str = "", **context_options):
        context = await browser.new_context(viewport=PHONE, locale="en-US", **context_options)
        contexts.append(context)
        page = await context.new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        await page.goto(str(client.make_url("/" + query)))
        return page

    yield open_
    for context in contexts:
        await context.close()


def blank_sender(incomings: list[Incoming]) -> list[Incoming]:
    return [dataclasses.replace(incoming, sender="") for incoming in incomings]


async def test_a_conversation(open_page, engine, tmp_path):
    page = await open_page("?start=ar__rs-sid")
    log = page.locator("#log")
    bot = log.locator(".msg.bot")

    # The page posts "/start <payload>" by itself, with the browser's language.
    await expect(bot.first).to_contain_text("Welcome to Putokaz. Deep link: ar__rs-sid.")
    assert await log.get_attribute("aria-live") == "polite"
    assert await page.title() == "Putokaz"

    await bot.first.get_by_role("button", name="Help").click()
    await expect(bot.nth(1)).to_have_text("Pressed help")

    website = bot.first.get_by_role("link", name="Website")
    assert await website.get_attribute("href") == "https://example.org/help"
    assert await website.get_attribute("target") == "_blank"

    await page.get_by_label("Your message").fill("Where is the camp?")
    await page.get_by_label("Your message").press("Enter")
    await expect(bot.nth(2)).to_have_text("You wrote: Where is the camp?")
    await expect(page.get_by_label("Your message")).to_have_value("")
    await expect(log.locator(".msg.me").last).to_have_text("Where is the camp?")

    await bot.first.get_by_role("button", name="العربية").click()
    arabic = bot.nth(3)
    await expect(arabic).to_contain_text("مرحبا بك في بوتوكاز")
    assert await arabic.get_attribute("dir") == "rtl"
    assert await arabic.get_attribute("lang") == "ar"
    assert await arabic.evaluate("node => getComputedStyle(node.querySelector('p')).direction") == "rtl"
    assert await arabic.evaluate("node => getComputedStyle(node.querySelector('p')).textAlign") in ("start", "right")
    await expect(arabic.get_by_role("button", name="القائمة")).to_be_visible()

    # Kept for a person to look at when the test fails; the README's picture comes from the real engine.
    await page.screenshot(path=str(tmp_path / "webchat.png"))

    assert blank_sender(engine.incomings) == [
        Incoming(channel="web", sender="", kind=Kind.COMMAND, command="start", argument="ar__rs-sid",
                 language_hint="en-US"),
        Incoming(channel="web", sender="", kind=Kind.ACTION, action="help", language_hint="en-US"),
        Incoming(channel="web", sender="", kind=Kind.TEXT, text="Where is the camp?", language_hint="en-US"),
        Incoming(channel="web", sender="", kind=Kind.ACTION, action="lang:ar", language_hint="en-US"),
    ]
    assert len({incoming.sender for incoming in engine.incomings}) == 1
    assert page.errors == []


async def test_buttons_work_from_the_keyboard_with_a_visible_focus(open_page, engine):
    page = await open_page()
    await expect(page.locator(".msg.bot").first).to_contain_text("Welcome")

    await page.keyboard.press("Tab")
    focused = page.locator(":focus")
    await expect(focused).to_have_text("العربية")
    assert "rgb(255, 221, 0)" in await focused.evaluate("node => getComputedStyle(node).boxShadow")
    await page.keyboard.press("Enter")

    await expect(page.locator(".msg.bot").nth(1)).to_contain_text("مرحبا بك في بوتوكاز")
    assert engine.last.action == "lang:ar"


async def test_a_malformed_start_payload_is_left_out(open_page, engine):
    page = await open_page("?start=<script>")

    await expect(page.locator(".msg.bot .body").first).to_have_text("Welcome to Putokaz.")
    assert blank_sender(engine.incomings) == [
        Incoming(channel="web", sender="", kind=Kind.COMMAND, command="start", argument="", language_hint="en-US")]


async def test_hostile_text_is_shown_as_text(open_page, engine):
    page = await open_page()
    await expect(page.locator(".msg.bot").first).to_contain_text("Welcome")

    await page.get_by_label("Your message").fill("hostile")
    await page.get_by_label("Your message").press("Enter")

    reply = page.locator(".msg.bot").nth(1)
    await expect(reply.locator(".body")).to_have_text('<script>alert("x")</script> & <img src=x onerror=alert(1)>')
    assert await page.locator("#log script, #log img").count() == 0
    assert page.errors == []


async def test_sharing_a_location_shows_the_map_link(open_page, engine):
    page = await open_page(permissions=["geolocation"], geolocation={"latitude": 45.128, "longitude": 19.226})
    await expect(page.locator(".msg.bot").first).to_contain_text("Welcome")

    await page.get_by_label("Your message").fill("where")
    await page.get_by_label("Your message").press("Enter")
    await page.get_by_role("button", name="📍 Send my location").click()

    pin = page.get_by_role("link", name="📍 Šid")
    await expect(pin).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=45.128&mlon=19.226#map=16/45.128/19.226")
    assert engine.last.kind is Kind.LOCATION
    assert engine.last.location == Location(45.128, 19.226)


async def test_a_refused_location_says_so(open_page, engine):
    page = await open_page()  # no geolocation permission: Chromium refuses
    await expect(page.locator(".msg.bot").first).to_contain_text("Welcome")

    await page.get_by_label("Your message").fill("where")
    await page.get_by_label("Your message").press("Enter")
    await page.get_by_role("button", name="📍 Send my location").click()

    await expect(page.locator(".note").last).to_have_text(
        "Your location was not shared. You can type the name of your town instead.")
    assert [incoming.kind for incoming in engine.incomings] == [Kind.COMMAND, Kind.TEXT]


async def test_a_network_error_keeps_the_text_and_offers_a_retry(open_page, engine):
    page = await open_page()
    await expect(page.locator(".msg.bot").first).to_contain_text("Welcome")

    await page.route("**/web/api/message", lambda route: route.abort("internetdisconnected"))
    await page.get_by_label("Your message").fill("Is the border open?")
    await page.get_by_label("Your message").press("Enter")

    await expect(page.locator(".retry")).to_contain_text("Not sent: Putokaz could not be reached.")
    await expect(page.get_by_label("Your message")).to_have_value("Is the border open?")

    await page.unroute("**/web/api/message")
    await page.get_by_role("button", name="Try again").click()

    await expect(page.locator(".msg.bot").nth(1)).to_have_text("You wrote: Is the border open?")
    await expect(page.locator(".retry")).to_have_count(0)
    await expect(page.get_by_label("Your message")).to_have_value("")
    assert [incoming.text for incoming in engine.incomings] == ["", "Is the border open?"]
