"""The engine without any channel: real storage, fixture content, the project's catalogs."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.actions import MAX_BYTES
from bot.core.model import Incoming, Kind, Location, Reply


class Person:
    """One person talking to the engine, pressing buttons by their label or action."""

    def __init__(self, engine, sender: str = "1001", hint: str | None = "en", channel: str = "test") -> None:
        self.engine, self.sender, self.hint, self.channel = engine, sender, hint, channel
        self.last: list[Reply] = []

    async def send(self, **fields) -> list[Reply]:
        incoming = Incoming(channel=self.channel, sender=self.sender, language_hint=self.hint, **fields)
        self.last = await self.engine.handle(incoming)
        for reply in self.last:
            for row in reply.buttons:
                for button in row:
                    assert len(button.action.encode()) <= MAX_BYTES
        return self.last

    async def command(self, name: str, argument: str = "") -> list[Reply]:
        return await self.send(kind=Kind.COMMAND, command=name, argument=argument)

    async def text(self, text: str) -> list[Reply]:
        return await self.send(kind=Kind.TEXT, text=text)

    async def press(self, action: str) -> list[Reply]:
        assert action in self.actions(), f"{action!r} not among {self.actions()}"
        return await self.send(kind=Kind.ACTION, action=action)

    def actions(self) -> list[str]:
        return [b.action for r in self.last for row in r.buttons for b in row if b.action]

    def labels(self) -> list[str]:
        return [b.label for r in self.last for row in r.buttons for b in row]

    @property
    def text_shown(self) -> str:
        return "\n".join(r.text for r in self.last)


@pytest.fixture
def person(services):
    return Person(services.engine)


async def test_first_contact_offers_languages_with_the_phones_language_first(services):
    person = Person(services.engine, hint="ar")
    await person.text("hello")
    assert person.actions()[0] == "l:ar"
    assert person.labels()[0] == "العربية"
    assert "l:en" in person.actions() and "l:sr" in person.actions()
    assert "sos" in person.actions()
    assert await services.database.users.get(services.engine._pseudonyms("test", "1001")) is None


async def test_language_then_country_then_place_reaches_the_menu(person, services):
    await person.command("start")
    await person.press("l:en")
    assert person.actions()[:3] == ["c:rs", "c:mk", "c:bg"]
    assert "loc" in person.actions()
    await person.press("c:rs")
    assert set(person.actions()) >= {"p:rs-beograd", "p:rs-sid", "cp", "m", "sos"}
    await person.press("p:rs-sid")
    assert person.actions() == ["s:legal", "sv", "ev", "q", "sos", "lp", "cp", "pr"]
    assert "Šid, Serbia" in person.text_shown
    state = await services.database.users.get(services.engine._pseudonyms("test", "1001"))
    assert (state.language, state.place) == ("en", "rs-sid")


async def test_deep_link_presets_language_and_place(person, services):
    await person.command("start", "ar__rs-sid")
    assert person.actions()[0] == "s:legal"
    assert person.last[0].language == "ar"
    await person.press("s:legal")
    await person.press("a:asylum-steps-rs")
    assert "كيف تطلب اللجوء في صربيا" in person.text_shown
    assert "72" in person.text_shown


async def test_deep_link_with_only_a_language_asks_for_the_place(person):
    await person.command("start", "sr")
    assert person.actions()[:3] == ["c:rs", "c:mk", "c:bg"]
    assert person.last[0].language == "sr"


async def test_bad_deep_link_falls_back_to_the_language_picker(person):
    await person.command("start", "xx__nowhere")
    assert "l:en" in person.actions()


async def test_sos_before_any_language_lists_every_country_and_stores_nothing(services):
    person = Person(services.engine, hint=None)
    await person.command("sos")
    shown = person.text_shown
    assert "192" in shown and "0800 222 003" in shown and "112" in shown
    assert "lp" in person.actions()
    assert await services.database.users.get(services.engine._pseudonyms("test", "1001")) is None


async def test_sos_with_a_place_lists_that_country_only(person):
    await person.command("start", "en__rs-beograd")
    await person.press("sos")
    assert "192" in person.text_shown
    assert "112" not in person.text_shown
    assert person.actions() == ["a:emergency-rs", "m"]


async def test_missing_translation_falls_back_to_english_with_a_note(person):
    await person.command("start", "ar__rs-sid")
    await person.press("s:legal")
    await person.press("a:only-english-rs")
    reply = person.last[0]
    assert "A page only in English" in reply.text
    assert reply.text.startswith("ℹ️ ")
    assert reply.language == "en"  # the English page keeps reading left to right


async def test_english_reader_gets_no_fallback_note(person):
    await person.command("start", "en__rs-sid")
    await person.press("s:legal")
    await person.press("a:only-english-rs")
    assert not person.last[0].text.startswith("ℹ️")


async def test_language_and_place_commands_set_directly(person, services):
    await person.command("start", "en__rs-sid")
    await person.command("language", "ar")
    assert person.last[0].language == "ar"
    await person.command("place", "rs-beograd")
    state = await services.database.users.get(services.engine._pseudonyms("test", "1001"))
    assert (state.language, state.place) == ("ar", "rs-beograd")


async def test_unknown_place_names_it_and_shows_the_picker(person):
    await person.command("start", "en__rs-sid")
    await person.command("place", "rs-sidd")
    assert "rs\\-sidd" in person.text_shown
    assert person.actions()[:3] == ["c:rs", "c:mk", "c:bg"]


@pytest.mark.parametrize("fields", [
    {"kind": Kind.COMMAND, "command": "frobnicate"},
    {"kind": Kind.ACTION, "action": "a:no-such-article"},
    {"kind": Kind.ACTION, "action": "zz:whatever"},
    {"kind": Kind.ACTION, "action": "x" * 200},
    {"kind": Kind.OTHER},
], ids=["unknown command", "stale article button", "unknown action", "oversized action", "sticker"])
async def test_odd_input_gets_a_line_and_the_menu(person, fields):
    await person.command("start", "en__rs-sid")
    await person.send(**fields)
    assert len(person.last) == 1
    assert "s:legal" in person.actions()
    note, _, rest = person.last[0].text.partition("\n\n")
    assert not note.startswith("🏠") and rest.startswith("🏠")


async def test_every_screen_has_menu_and_sos(person):
    await person.command("start", "en__rs-sid")
    for action in ["s:legal", "a:asylum-steps-rs", "sv", "sc:health", "ev", "q", "pr", "cp", "c:rs", "h"]:
        await person.send(kind=Kind.ACTION, action=action)
        assert "m" in person.actions(), action
        assert "sos" in person.actions(), action


async def test_article_shows_sources_review_date_and_related_pages(person):
    await person.command("start", "en__rs-sid")
    await person.press("s:legal")
    await person.press("a:asylum-steps-rs")
    text = person.text_shown
    assert "AIDA Serbia" in text and "2026-11-01" in text
    assert "a:long-article-rs" in person.actions()
    assert "s:legal" in person.actions()


async def test_services_list_escapes_names_and_flags_unconfirmed(person):
    await person.command("start", "en__rs-sid")
    await person.press("sv")
    assert "sc:health" in person.actions()
    await person.press("sc:health")
    text = person.text_shown
    assert "\\<b\\>Bold\\</b\\> \\&" in text
    assert "Not confirmed" in text


async def test_question_finds_the_asylum_page(person):
    await person.command("start", "en__rs-sid")
    await person.text("how do I ask for asylum?")
    assert "a:asylum-steps-rs" in person.actions()


async def test_question_with_no_answer_says_so_and_offers_legal_aid(person):
    await person.command("start", "en__rs-beograd")
    await person.text("qwxzv")
    assert "sc:legal-aid" in person.actions()


async def test_location_picks_the_nearest_place(person, services):
    await person.command("start", "en")
    await person.send(kind=Kind.LOCATION, location=Location(45.10, 19.25))
    state = await services.database.users.get(services.engine._pseudonyms("test", "1001"))
    assert state.place == "rs-sid"
    assert "Šid" in person.text_shown


async def test_forget_erases_after_confirmation(person, services):
    await person.command("start", "en__rs-sid")
    await person.command("forget")
    assert person.actions() == ["fy", "m"]
    key = services.engine._pseudonyms("test", "1001")
    assert await services.database.users.get(key) is not None
    await person.press("fy")
    assert await services.database.users.get(key) is None
    await person.text("hello again")
    assert "l:en" in person.actions()


async def test_two_people_are_kept_apart(services):
    one, two = Person(services.engine, sender="1"), Person(services.engine, sender="2")
    await one.command("start", "ar__rs-sid")
    await two.command("start", "sr__rs-beograd")
    assert one.last[0].language == "ar" and two.last[0].language == "sr"


def test_every_button_verb_has_a_step():
    from bot.core import engine
    from bot.core.actions import Verb

    # Coordinators' buttons are answered before the tables, by coordinator_command.
    handled = set(engine._WITHOUT_PLACE) | set(engine._WITH_PLACE) | {Verb.LANGUAGES, Verb.TAKE_CASE, Verb.CLOSE_CASE,
                                                                      Verb.ANSWER_CASE}
    assert handled == set(Verb)


@pytest.mark.parametrize(("language", "weekdays", "saturday"), [
    ("en", "Mon–Fri 08:30\u2009–\u200916:30", "Sat 10:00\u2009–\u200913:00"),  # CLDR puts thin spaces
    ("ar", "الاثنين–الجمعة 08:30–16:30", "السبت 10:00–13:00"),
    ("sr", "пон–пет 08:30–16:30", "суб 10:00–13:00"),
    ("sr_Latn", "pon–pet 08:30–16:30", "sub 10:00–13:00"),
])
async def test_opening_hours_name_the_days_in_the_readers_language(services, language, weekdays, saturday):
    person = Person(services.engine, hint=language)
    await person.command("start", f"{language}__rs-sid")
    await person.press("sv")
    await person.press("sc:health")
    assert f"🕒 {weekdays}; {saturday}" in person.text_shown


async def test_open_day_and_night_says_so(person):
    await person.command("start", "en__rs-beograd")
    await person.press("sv")
    await person.press("sc:health")
    assert "🕒 Open day and night, every day" in person.text_shown


async def test_a_service_with_a_position_has_a_map_link_and_a_pin(person):
    await person.command("start", "en__rs-sid")
    await person.press("sv")
    await person.press("sc:health")
    urls = [b.url for r in person.last for row in r.buttons for b in row if b.url]
    assert "https://www.openstreetmap.org/?mlat=45.12700&mlon=19.23000#map=17/45.12700/19.23000" in urls
    await person.press("pin:test-sid-clinic")
    [pin] = person.last
    assert (pin.location, pin.location_title, pin.location_address) == (
        Location(45.127, 19.23), "Test Clinic Šid", "Test Street 1, Šid")


async def test_a_service_with_only_an_address_links_to_a_map_search(person):
    await person.command("start", "en__rs-beograd")
    await person.press("sv")
    await person.press("sc:legal-aid")
    urls = [b.url for r in person.last for row in r.buttons for b in row if b.url]
    assert "https://www.openstreetmap.org/search?query=Sime%20Igumanova%2014%2C%2011118%20Belgrade" in urls


async def test_a_pin_for_a_service_without_a_position_is_stale(person):
    await person.command("start", "en__rs-beograd")
    await person.send(kind=Kind.ACTION, action="pin:apc-cza-beograd")
    assert "older menu" in person.text_shown and "sv" in person.actions()


async def test_nearest_services_are_ordered_by_distance_with_km(person, services):
    await person.command("start", "en__rs-beograd")
    await person.press("sv")
    await person.press("nr")
    assert person.last[0].request_location
    # A few hundred metres from the Šid clinic, about 90 km from Belgrade.
    await person.send(kind=Kind.LOCATION, location=Location(45.1300, 19.2350))
    text = person.text_shown
    assert "Šid" in text and "less than 1 km away" in text
    assert text.index("Test Clinic Šid") < text.index("Asylum Protection") < text.index("Test Clinic Belgrade")
    assert "km away (to the centre of Belgrade)" in text
    # Only services of the country of the location: nothing from North Macedonia.
    state = await services.database.users.get(services.engine._pseudonyms("test", "1001"))
    assert (state.place, state.awaiting) == ("rs-sid", "")


async def test_nearest_services_of_one_category(person):
    await person.command("start", "en__rs-beograd")
    await person.press("sv")
    await person.press("sc:legal-aid")
    await person.press("nr:legal-aid")
    await person.send(kind=Kind.LOCATION, location=Location(45.1300, 19.2350))
    text = person.text_shown
    assert "Legal aid" in text and "Asylum Protection" in text and "Test Clinic" not in text


async def test_a_location_from_someone_who_has_a_place_lists_what_is_near(person):
    await person.command("start", "en__rs-beograd")
    await person.send(kind=Kind.LOCATION, location=Location(45.1300, 19.2350))
    assert "Nearest to you" in person.text_shown


async def test_nearest_with_an_unknown_category_is_stale(person):
    await person.command("start", "en__rs-beograd")
    await person.send(kind=Kind.ACTION, action="nr:bakery")
    assert "older menu" in person.text_shown


async def test_sos_links_the_emergency_page_of_the_persons_country_and_back(person):
    await person.command("start", "en__rs-sid")
    await person.command("sos")
    assert "a:emergency-rs" in person.actions()
    await person.press("a:emergency-rs")
    assert "**192**" in person.text_shown and "sos" in person.actions()
    await person.command("place", "mk-skopje")
    await person.command("sos")
    assert "a:emergency-rs" not in person.actions()


async def test_a_serbian_latin_reader_gets_the_cyrillic_page_transliterated(services):
    person = Person(services.engine, hint="sr-Latn")
    await person.command("start", "sr_Latn__rs-sid")
    await person.press("s:legal")
    await person.press("a:asylum-steps-rs")
    text = person.text_shown
    assert "Kako da zatražite azil u Srbiji" in text and "Recite bilo kom policajcu" in text
    assert not any("\u0400" <= char <= "\u04ff" for char in text)
    # Searching in Latin letters finds the page through its transliterated keywords.
    await person.text("policija")
    assert "a:asylum-steps-rs" in person.actions()


async def test_service_names_in_serbian_latin_come_from_the_cyrillic(services):
    person = Person(services.engine, hint="sr-Latn")
    await person.command("start", "sr_Latn__rs-sid")
    await person.press("sv")
    await person.press("sc:health")
    assert "Test klinika Šid" in person.text_shown


async def test_a_deep_link_can_open_one_page_of_the_place(person):
    await person.command("start", "ar__rs-sid__asylum-steps-rs")
    assert person.last[0].language == "ar" and "كيف" in person.text_shown
    assert "s:legal" in person.actions()


async def test_a_deep_link_to_a_page_of_another_country_or_an_unknown_page_opens_the_menu(person):
    for payload in ("en__mk-skopje__asylum-steps-rs", "en__rs-sid__no-such-page"):
        await person.command("start", payload)
        assert person.actions()[0] == "s:legal" and "Menu" in person.text_shown


async def test_numbers_are_tap_to_call_links(person):
    await person.command("start", "en__rs-beograd")
    await person.command("sos")
    assert "**[192](tel:192)**" in person.text_shown
    await person.press("m")
    await person.press("sv")
    await person.press("sc:legal-aid")
    assert "[\\+381 11 2457\\-376](tel:+381112457376)" in person.text_shown


async def test_a_question_is_logged_without_the_person_and_can_be_rated(person, services):
    await person.command("start", "en__rs-sid")
    await person.text("how do I ask for asylum? I am Ahmad, +381 64 1234567")
    assert "a:asylum-steps-rs" in person.actions()
    [logged] = await services.database.questions.since(dt.date.min)
    assert (logged.language, logged.place, logged.answer, logged.feedback) == ("en", "rs-sid", "a:asylum-steps-rs", 0)
    assert "1234567" not in logged.text and "[phone]" in logged.text
    [up] = [a for a in person.actions() if a.startswith("fu:")]
    await person.press(up)
    assert "Thank you" in person.text_shown and "s:legal" in person.actions()
    [logged] = await services.database.questions.since(dt.date.min)
    assert logged.feedback == 1


async def test_a_service_can_be_an_answer(person):
    await person.command("start", "en__rs-beograd")
    await person.text("Asylum Protection Center APC")
    assert "si:apc-cza-beograd" in person.actions()
    await person.press("si:apc-cza-beograd")
    assert "Sime Igumanova 14" in person.text_shown


async def test_a_forged_rating_button_gets_the_menu(person):
    await person.command("start", "en__rs-beograd")
    await person.send(kind=Kind.ACTION, action="fu:abc")
    assert "older menu" in person.text_shown


@pytest.mark.parametrize(("text", "expected"), [
    ("my husband beats me", "call the police"),
    ("زوجي يضربني", "call the police"),
    ("I want to kill myself", "You are not alone"),
])
async def test_a_message_that_signals_danger_gets_the_lines_first(person, services, text, expected):
    await person.command("start", "en__rs-sid")
    await person.text(text)
    shown = person.text_shown
    assert expected in shown and "a:asylum-steps-rs" not in person.actions()
    assert "sos" in person.actions() and "a:emergency-rs" in person.actions()
    [logged] = await services.database.questions.since(dt.date.min)
    assert logged.alert is not None and logged.answer is None


async def test_violence_lists_police_and_the_womens_line_of_the_country(person):
    await person.command("start", "en__rs-sid")
    await person.text("my husband beats me")
    assert "[192](tel:192)" in person.text_shown and "0800 222 003" in person.text_shown
    assert "112" not in person.text_shown  # Serbia's lines only


async def test_a_question_in_another_language_is_answered_in_it_with_an_offer_to_switch(person, services):
    await person.command("start", "en__rs-sid")
    await person.text("كيف أطلب اللجوء في صربيا؟")
    assert person.last[0].language == "ar"
    assert person.actions()[0] == "l:ar" and "a:asylum-steps-rs" in person.actions()
    state = await services.database.users.get(services.engine._pseudonyms("test", "1001"))
    assert state.language == "en"  # nothing changes until they choose
    await person.press("l:ar")
    state = await services.database.users.get(services.engine._pseudonyms("test", "1001"))
    assert state.language == "ar"


async def test_asking_a_person_needs_a_channel_an_answer_can_reach_later(person, services):
    await person.command("start", "en__rs-sid")
    await person.command("ask", "Where can I sleep?")
    assert "only on Telegram or Viber" in person.text_shown and "sc:legal-aid" in person.actions()
    services.engine.reachable = frozenset({"test"})
    await person.command("ask", "Where can I sleep?")
    assert any(action.startswith("tp:") for action in person.actions())


@pytest.mark.parametrize("steps", [
    [("command", ("start", "en__rs-sid")), ("command", ("ask", "Where can I sleep?"))],
    [("command", ("start", "en__rs-sid")), ("action", "sv"), ("action", "nr"), ("location", (45.13, 19.23))],
    [("command", ("start", "en__rs-sid")), ("command", ("sos", ""))],
])
async def test_no_screen_offers_the_same_button_twice(person, steps):
    for kind, value in steps:
        if kind == "command":
            await person.command(*value)
        elif kind == "action":
            await person.press(value)
        else:
            await person.send(kind=Kind.LOCATION, location=Location(*value))
    actions = person.actions()
    assert len(actions) == len(set(actions)), actions
