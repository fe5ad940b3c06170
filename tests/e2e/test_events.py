"""Events end to end: what is on near the person, one event with its pin and calendar file, event news to
subscribers in their own language, and reminders the day before (issue 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app import RUNTIME
from tests.e2e.people import TelegramUser, ViberUser, WebUser
from tests.e2e.test_every_channel import actions, text

CHANNELS = ("telegram", "viber", "web")


def person(channel, client, fake_api, fake_viber, number=1, language="en"):
    if channel == "telegram":
        return TelegramUser(client, fake_api, 800_000_000 + number, language)
    if channel == "viber":
        return ViberUser(client, fake_viber, f"vbEvents{number}==", language)
    return WebUser(client, language)


def engine(client):
    return client.server.app[RUNTIME].engine


async def settle(client):
    """Send what the outbox holds now."""
    await client.server.app[RUNTIME].sender.drain()


@pytest.mark.parametrize("channel", CHANNELS)
async def test_events_of_the_place_come_first_then_the_country_paged(channel, events_client, fake_api, fake_viber):
    someone = person(channel, events_client, fake_api, fake_viber)
    await someone.start("en__rs-sid")
    listing = await someone.press("ev")
    shown = text(listing)
    assert shown.index("In Šid:") < shown.index("Community tea") < shown.index("Serbian language café") < shown.index("Elsewhere in Serbia:")
    assert "Example training" not in shown  # examples are for editors unless an operator shows them
    assert actions(listing)[:2] == ["e:soon-sid", "e:lang-cafe-sid"] and "ev:2" in actions(listing)
    second = await someone.press("ev:2")
    assert "Legal information session 5" in text(second) and "ev:1" in actions(second)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_one_event_in_the_persons_language_with_pin_and_calendar(channel, events_client, fake_api, fake_viber):
    someone = person(channel, events_client, fake_api, fake_viber, language="ar")
    await someone.start("ar__rs-sid")
    page = text(await someone.press("e:lang-cafe-sid"))
    assert "مقهى اللغة الصربية" in page and "Test Hall, Test Street 2, Šid" in page and "20 places" in page
    weekday_names = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
    assert any(day in page for day in weekday_names) and "16:00" in page
    pin = await someone.press("ep:lang-cafe-sid", count=2 if channel == "viber" else 1)
    assert (45.129, 19.227) in [one.location for one in pin]


async def test_the_calendar_file_on_telegram_is_a_document(events_client, fake_api, fake_viber):
    someone = TelegramUser(events_client, fake_api, 800_000_101)
    await someone.start("en__rs-sid")
    await someone.press("ics:lang-cafe-sid", count=2)
    [document] = [c for c in fake_api.calls if c.method == "sendDocument"]
    ics = document.params["document"]
    assert ics.startswith(b"BEGIN:VCALENDAR") and b"SUMMARY;LANGUAGE=en:Serbian language caf" in ics
    assert b"DTSTART:" in ics and b"GEO:45.129000;19.227000" in ics


async def test_the_calendar_file_is_served_for_viber_and_the_web(events_client, fake_api, fake_viber):
    viber = ViberUser(events_client, fake_viber, "vbCalendar==")
    await viber.start("en__rs-sid")
    said = await viber.press("ics:lang-cafe-sid", count=2)
    [file] = [c for c in fake_viber.sent("vbCalendar==") if c.body.get("type") == "file"]
    assert file.body["media"] == "https://bot.example.org/events/lang-cafe-sid.ics?lang=en" and said
    response = await events_client.get("/events/lang-cafe-sid.ics?lang=ar")
    assert response.status == 200 and response.content_type == "text/calendar"
    assert "مقهى اللغة الصربية" in await response.text()
    assert (await events_client.get("/events/no-such-event.ics")).status == 404


@pytest.mark.parametrize("channel", ("telegram", "viber"))
async def test_subscribers_hear_of_a_new_event_once_in_their_language(channel, events_client, fake_api, fake_viber,
                                                                        event_content):
    fan = person(channel, events_client, fake_api, fake_viber, number=2, language="ar")
    await fan.start("ar__rs-sid")
    choice = await fan.press("sb")
    assert "sb:language-class" in actions(choice) and "sb:all" in actions(choice)
    await fan.press("sb:language-class")
    other = person(channel, events_client, fake_api, fake_viber, number=3)
    await other.start("en__rs-sid")
    await other.press("sb:health")  # another category: hears nothing of a language class
    quitter = person(channel, events_client, fake_api, fake_viber, number=4)
    await quitter.start("en__rs-sid")
    await quitter.press("sb:all")
    await quitter.say("/unsubscribe")

    # An editor adds a language class in Šid: the content reloads and the news goes out.
    events = event_content / "events" / "rs.yaml"
    added = events.read_text(encoding="utf-8").replace("id: lang-cafe-sid", "id: second-cafe-sid", 1)
    events.write_text(events.read_text(encoding="utf-8") + "\n" + added.split("\n- id:")[0], encoding="utf-8")
    assert await events_client.server.app[RUNTIME].content.reload(dt.date.today())
    news = await fan.inbox("مقهى اللغة الصربية")
    assert "🔔" in news
    await engine(events_client).announce_new_events()  # the schedule looks again: nothing twice
    await settle(events_client)
    for someone in (other, quitter):
        assert not [t for t in someone.texts() if "Serbian language café" in t]


async def test_remind_me_queues_a_reminder_the_day_before(events_client, fake_api, fake_viber):
    someone = TelegramUser(events_client, fake_api, 800_000_201)
    await someone.start("en__rs-sid")
    [set_] = await someone.press("rm:lang-cafe-sid")
    assert "I will remind you the day before" in set_.text
    [again] = await someone.press("rm:lang-cafe-sid")
    assert "You asked already" in again.text
    [late] = await someone.press("rm:soon-sid")
    assert "less than a day" in late.text
    bot, sender = engine(events_client), events_client.server.app[RUNTIME].sender
    assert await bot.send_reminders() == 0  # not yet
    real = bot._clock
    bot._clock = sender._clock = lambda: real() + dt.timedelta(days=2, hours=12)  # two and a half days later
    try:
        assert await bot.send_reminders() == 1
        assert await bot.send_reminders() == 0  # once
        await sender.drain()
    finally:
        bot._clock = sender._clock = real
    reminder = await someone.inbox("Reminder")
    assert "Serbian language café" in reminder


async def test_the_web_chat_and_viber_without_billing_say_why_there_is_no_news(make_settings, fake_api, fake_viber,
                                                                                 event_content):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app
    from tests.fakes.viber_api import TOKEN
    settings = make_settings(PUTOKAZ_VIBER_TOKEN=TOKEN, PUTOKAZ_VIBER_API_URL=fake_viber.base_url,
                             PUTOKAZ_CONTENT_DIR=str(event_content))
    async with TestClient(TestServer(await create_app(settings), host="127.0.0.1")) as client:
        web = WebUser(client)
        await web.start("en__rs-sid")
        [answer] = await web.press("sb")
        assert "cannot receive" in answer.text
        viber = ViberUser(client, fake_viber, "vbNoNews==")
        await viber.start("en__rs-sid")
        [answer] = await viber.press("sb:all")
        assert "costs the local network money" in answer.text


async def test_forget_erases_subscriptions_and_reminders(events_client, fake_api, fake_viber):
    from sqlalchemy import func, select

    from bot.storage.tables import reminders, subscriptions
    someone = TelegramUser(events_client, fake_api, 800_000_301)
    await someone.start("en__rs-sid")
    await someone.press("sb:all")
    await someone.press("rm:lang-cafe-sid")
    await someone.say("/forget")
    await someone.press("fy")
    database = events_client.server.app[RUNTIME].database.engine
    async with database.connect() as connection:
        counts = [(await connection.execute(select(func.count()).select_from(table))).scalar_one()
                  for table in (subscriptions, reminders)]
    assert counts == [0, 0]


async def test_a_stale_event_button_gets_the_list(events_client, fake_api, fake_viber):
    someone = WebUser(events_client)
    await someone.start("en__rs-sid")
    [listing] = await someone.press("e:gone-long-ago")
    assert "no longer listed" in listing.text and "e:lang-cafe-sid" in listing.actions
