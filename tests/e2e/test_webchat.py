"""End to end in headless Chromium: the real app, engine, catalogs and content pack, as a person sees them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.config import PACKAGE_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    pytest.skip(f"the browser tests need Debian's Chromium at {CHROMIUM}, which is not installed",
                allow_module_level=True)

from playwright.async_api import async_playwright, expect  # noqa: E402


@pytest.fixture
async def client(make_settings):
    app = await create_app(make_settings(PUTOKAZ_CONTENT_DIR=str(PACKAGE_ROOT / "content")))
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client


async def test_a_person_finds_the_asylum_steps_and_emergency_numbers(client, tmp_path):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = await (await browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")).new_page()
        await page.goto(str(client.make_url("/")))
        bot = page.locator("#log .msg.bot")
        await expect(bot.first.get_by_role("button", name="العربية")).to_be_visible()
        await bot.first.get_by_role("button", name="English").click()
        await page.get_by_role("button", name="🇷🇸 Serbia").last.click()
        await page.get_by_role("button", name="Šid").last.click()
        await page.get_by_role("button", name="⚖️ Legal status").last.click()
        await page.get_by_role("button", name="How to ask for asylum in Serbia").last.click()
        article = bot.last
        await expect(article).to_contain_text("72 hours")
        await expect(article).to_contain_text("Last reviewed")
        await page.get_by_label("Your message").fill("/sos")
        await page.get_by_label("Your message").press("Enter")
        await expect(bot.last).to_contain_text("192")
        await page.get_by_label("Your message").fill("/language ar")
        await page.get_by_label("Your message").press("Enter")
        menu = bot.last
        await expect(menu).to_contain_text("القائمة")
        assert await menu.get_attribute("dir") == "rtl"
        await page.screenshot(path=os.environ.get("PUTOKAZ_SCREENSHOT", str(tmp_path / "webchat.png")))
        await browser.close()


async def test_nearest_services_from_the_browsers_location_with_call_and_map_links(client, tmp_path):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="sr-RS",
                                            geolocation={"latitude": 44.8125, "longitude": 20.4612},
                                            permissions=["geolocation"])
        page = await context.new_page()
        await page.goto(str(client.make_url("/?start=sr_Latn__rs-beograd")))
        bot = page.locator("#log .msg.bot")
        await page.get_by_role("button", name="🏥 Usluge").last.click()
        await page.get_by_role("button", name="🧭 Najbliže meni").last.click()
        await page.get_by_role("button", name="📍 Pošalji moju lokaciju").last.click()
        nearest = bot.last
        await expect(nearest).to_contain_text("Najbliže vama")
        await expect(nearest).to_contain_text("km")
        assert await nearest.locator('a[href^="tel:+381"]').count() >= 2
        assert await nearest.locator('a[href^="https://www.openstreetmap.org/search?query="]').count() >= 2
        await page.screenshot(path=os.environ.get("PUTOKAZ_SCREENSHOT_NEAREST", str(tmp_path / "nearest.png")),
                              full_page=True)
        await browser.close()
