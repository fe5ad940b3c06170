"""One conversation, every door: the same steps over Telegram, Viber and the web chat, against the real app.

What a person can do is the engine's; these tests show each channel carries it whole: language, place, menus, pages,
services and their pins, emergency numbers, free-text questions, stale buttons, and cases that cross channels (a
Telegram coordinator answers a Viber refugee and the other way round).
"""

from __future__ import annotations

import re

import pytest

from bot.app import RUNTIME
from tests.e2e.people import Said, TelegramUser, ViberUser, WebUser

CHANNELS = ("telegram", "viber", "web")
MESSENGERS = ("telegram", "viber")


def person(channel: str, client, fake_api, fake_viber, number: int = 1, language: str | None = "en"):
    if channel == "telegram":
        return TelegramUser(client, fake_api, 900_000_000 + number, language)
    if channel == "viber":
        return ViberUser(client, fake_viber, f"vbUser{number}+AbC/xYz==", language)
    return WebUser(client, language)


def actions(said: list[Said]) -> list[str]:
    return [action for one in said for action in one.actions]


def text(said: list[Said]) -> str:
    return "\n".join(one.text for one in said)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_language_place_menu_and_a_page(channel, client, fake_api, fake_viber):
    someone = person(channel, client, fake_api, fake_viber, language="ar")
    picker = await someone.start()
    assert actions(picker)[:2] == ["l:ar", "l:en"]  # the phone's language first
    places = await someone.press("l:en")
    assert actions(places)[:3] == ["c:rs", "c:mk", "c:bg"]
    towns = await someone.press("c:rs")
    assert "p:rs-sid" in actions(towns)
    menu = await someone.press("p:rs-sid")
    assert actions(menu) == ["s:legal", "sv", "ev", "q", "sos", "lp", "cp", "pr"]
    legal = await someone.press("s:legal")
    assert "a:asylum-steps-rs" in actions(legal)
    page = await someone.press("a:asylum-steps-rs")
    assert "How to ask for asylum in Serbia" in text(page) and "72 hours" in text(page)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_posters_link_opens_the_menu_of_a_place_in_arabic(channel, client, fake_api, fake_viber):
    someone = person(channel, client, fake_api, fake_viber)
    menu = await someone.start("ar__rs-sid")
    assert actions(menu)[0] == "s:legal" and "شيد" in text(menu)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_emergency_numbers_before_anything_else(channel, client, fake_api, fake_viber):
    someone = person(channel, client, fake_api, fake_viber, language=None)
    sos = text(await someone.say("/sos"))
    assert "192" in sos and "0800 222 003" in sos and "112" in sos


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_typed_question_finds_the_page(channel, client, fake_api, fake_viber):
    someone = person(channel, client, fake_api, fake_viber)
    await someone.start("en__rs-sid")
    answer = await someone.say("how do I ask for azil?")
    assert "a:asylum-steps-rs" in actions(answer)
    assert any(a.startswith("hp:") for a in actions(answer))  # none helps: ask a person


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_shared_location_lists_the_nearest_services_and_a_pin(channel, client, fake_api, fake_viber):
    someone = person(channel, client, fake_api, fake_viber)
    await someone.start("en__rs-beograd")
    await someone.press("nr:health")
    nearest = await someone.share(45.1300, 19.2350)
    assert "less than 1 km away" in text(nearest) and "pin:test-sid-clinic" in actions(nearest)
    pin = await someone.press("pin:test-sid-clinic", count=2 if channel == "viber" else 1)
    assert (45.127, 19.23) in [one.location for one in pin]


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_button_from_an_older_menu_gets_the_menu(channel, client, fake_api, fake_viber):
    someone = person(channel, client, fake_api, fake_viber)
    await someone.start("en__rs-sid")
    menu = await someone.press("zz:nothing-like-this")
    assert "older menu" in text(menu) and "s:legal" in actions(menu)


async def registered(client, coordinator, places, topics):
    registry = client.server.app[RUNTIME].engine._coordinators
    _, code = await registry.invite("CSR Šid", places, topics, ["en"])
    [welcome] = await coordinator.say(f"/coordinator {code}")
    assert "registered as a coordinator" in welcome.text


@pytest.mark.parametrize("refugee_on", MESSENGERS)
@pytest.mark.parametrize("coordinator_on", MESSENGERS)
async def test_a_case_crosses_channels_both_ways(refugee_on, coordinator_on, client, fake_api, fake_viber):
    coordinator = person(coordinator_on, client, fake_api, fake_viber, number=7)
    await registered(client, coordinator, ["rs-sid"], ["legal"])
    refugee = person(refugee_on, client, fake_api, fake_viber, number=8, language="ar")
    await refugee.start("ar__rs-sid")
    [topics] = await refugee.say("/ask Can I work while I wait for the decision?")
    [topic] = [a for a in topics.actions if a.startswith("tp:") and a.endswith("-legal")]
    [confirm] = await refugee.press(topic)
    [opened] = await refugee.press("cs:" + topic[3:])
    number = re.search(r"\d+", opened.text).group()

    case = await coordinator.inbox("Can I work while I wait")
    assert f"Case {number}" in case and "Šid" in case and "العربية" in case
    await coordinator.say(f"/reply {number} Yes, after 6 months. IDEAS helps for free.", count=2)
    answer = await refugee.inbox("after 6 months")
    assert f"القضية {number}" in answer

    await refugee.say("شكرا، أين مكتبهم؟")
    await coordinator.inbox("أين مكتبهم")
    await coordinator.say(f"/close {number}", count=2)
    await refugee.inbox(f"أُغلقت القضية {number}")
