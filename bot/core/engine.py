"""The conversation engine: one Incoming in, Replies out, whatever the channel.

The steps are named after what the person does; conversation.mmd beside this file draws them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import inspect
import logging
import re
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager

from bot.core import case_screens, event_screens, screens
from bot.core.actions import Action, Verb, act, parse
from bot.core.calendar import ics
from bot.core.identity import Pseudonyms
from bot.core.markup import escape
from bot.core.model import (
    TOPICS,
    Button,
    Case,
    Coordinator,
    Event,
    Incoming,
    Kind,
    Question,
    Reply,
    UserState,
)
from bot.core.ports import (
    CaseDesk,
    ContentIndex,
    Coordinators,
    QuestionLog,
    Subscriptions,
    Translator,
    UserStore,
)
from bot.core.screens import Turn

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[list[Reply]]]
Clock = Callable[[], dt.datetime]

# Deep links from QR posters: "/start ar" or "/start ar__rs-sid" (Telegram allows [A-Za-z0-9_-], 64 chars).
DEEP_LINK_SEPARATOR = "__"
# Free text longer than this is cut before searching: nobody types more, and it bounds the work per update.
MAX_QUESTION = 1000
COORDINATOR_COMMANDS = frozenset({"coordinator", "cases", "reply", "take", "close"})
INVITE_PREFIX = "c_"  # /start c_<code>: a coordinator's invite link
CASE = "case"  # UserState.awaiting: text goes into case 12 ("case:12") until /menu
ANSWER = "answer"  # a coordinator's next text answers case 12 ("answer:12")
NEAR = "near"  # UserState.awaiting: the next location is for the nearest services ("near:health")


class KeyedLocks:
    """One lock per person, so two quick taps of one person are answered in order while others run freely."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str):
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class Engine:
    def __init__(self, *, users: UserStore, content: Callable[[], ContentIndex], translator: Translator,
                 pseudonyms: Pseudonyms, questions: QuestionLog, coordinators: Coordinators, cases: CaseDesk,
                 subscriptions: Subscriptions, example_events: bool = False,
                 clock: Clock = lambda: dt.datetime.now(dt.timezone.utc)) -> None:
        # `content` is a callable so a reload can swap the pack between two updates without restarting.
        self._users = users
        self._content = content
        self._translator = translator
        self._pseudonyms = pseudonyms
        self._questions = questions
        self._coordinators = coordinators
        self._cases = cases
        self._subscriptions = subscriptions
        # Sample events show editors the format; people see them only where an operator asked (a demo, a training).
        self._example_events = example_events
        # Channels announcements go to (the app sets them: Telegram; Viber only when its billing is accepted).
        self.announce_to: frozenset[str] = frozenset()
        self._announcing = asyncio.Lock()  # a reload and the schedule may both look for new events at once
        # Channels through which an answer can reach a person later (the app sets them: Telegram can, the web chat,
        # which only answers requests, cannot yet).
        self.reachable: frozenset[str] = frozenset()
        self._clock = clock
        self._locks = KeyedLocks()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        user = self._pseudonyms(incoming.channel, incoming.sender)
        async with self._locks.hold(user):
            stored = await self._users.get(user)
            turn = self._turn(stored or UserState(user=user), incoming, is_new=stored is None)
            turn.incoming = incoming
            try:
                replies = await self._answer(turn, incoming)
            except Exception:
                # A defect must never leave a person without an answer or show them a traceback.
                log.exception("engine failed on a %s update of kind %s", incoming.channel, incoming.kind.value)
                turn.notes.clear()
                replies = [turn.reply(turn._("Sorry, something went wrong on our side. Please try again."),
                                      [screens.navigation(turn, None)])]
                turn.dirty = False
            if turn.forgotten:
                await self._cases.forget(user, self._withdrawn(turn), self._country_of(turn))
                await self._subscriptions.forget(user)
                await self._users.forget(user)
            elif turn.dirty:
                await self._users.save(dataclasses.replace(turn.state, updated=self._clock()))
        return replies

    def _turn(self, state: UserState, incoming: Incoming, *, is_new: bool) -> Turn:
        # Resolve the stored language too: a catalog removed since the person chose it must not break them.
        language = (self._translator.resolve(state.language) or self._translator.resolve(incoming.language_hint)
                    or "en")
        return Turn(state=state, messages=self._translator.messages(language), translator=self._translator,
                    content=self._content(), is_new=is_new)

    # ---- dispatch -----------------------------------------------------------------------------------

    async def _answer(self, turn: Turn, incoming: Incoming) -> list[Reply]:
        if incoming.kind is Kind.COMMAND:
            name, argument = incoming.command.lower(), incoming.argument.strip()
            if name in COORDINATOR_COMMANDS or (name == "start" and argument.startswith(INVITE_PREFIX)):
                return await self.coordinator_command(turn, incoming, name, argument)
            if name in ("start", "help") and not argument:
                # A coordinator's chat is for work: their /start and /help show what they do, not refugee menus.
                coordinator = await self._coordinators.find(incoming.channel, incoming.sender)
                if coordinator is not None:
                    return [screens.coordinator_help(turn, coordinator)]
            if name == "ask" and turn.state.language is not None and turn.place is not None:
                return await self.ask_a_person(turn, argument)
            if name in ("events", "subscribe", "unsubscribe") and turn.state.language is not None \
                    and turn.place is not None:
                step = {"events": self.browse_events, "subscribe": self.choose_event_news,
                        "unsubscribe": self.stop_event_news}[name]
                return await step(turn, "")
            return self._command(turn, incoming)
        if incoming.kind is Kind.ACTION:
            action = parse(incoming.action)
            if action is None:
                return self.press_stale_button(turn)
            if action.verb in (Verb.TAKE_CASE, Verb.CLOSE_CASE, Verb.ANSWER_CASE):
                name = {Verb.TAKE_CASE: "take", Verb.CLOSE_CASE: "close", Verb.ANSWER_CASE: "answer"}[action.verb]
                return await self.coordinator_command(turn, incoming, name, action.argument)
            return await self._action(turn, action, incoming)
        waiting, _sep, case_number = turn.state.awaiting.partition(":")
        if waiting == ANSWER and incoming.kind is Kind.TEXT and incoming.text.strip() and case_number.isdigit():
            # A coordinator pressed Reply on a case: this text is the answer.
            self._set_awaiting(turn, "")
            return await self.coordinator_command(turn, incoming, "reply", f"{case_number} {incoming.text}")
        if incoming.kind is Kind.TEXT and incoming.replying_to and incoming.text.strip():
            # A Telegram reply to a case message: the case number is the first number of that message.
            quoted = re.search(r"\d+", incoming.replying_to)
            coordinator = await self._coordinators.find(incoming.channel, incoming.sender) if quoted else None
            if coordinator is not None and quoted is not None:
                return await self.coordinator_command(turn, incoming, "reply", f"{quoted.group()} {incoming.text}")
        if waiting == CASE and incoming.kind is Kind.TEXT and incoming.text.strip() and case_number.isdigit():
            return await self.write_in_case(turn, int(case_number), incoming.text)
        if incoming.kind is Kind.LOCATION and incoming.location is not None:
            return self.share_location(turn, incoming)
        if turn.state.language is None:
            return [screens.language_picker(turn, self._translator.resolve(incoming.language_hint))]
        if turn.place is None:
            return [screens.country_picker(turn)]
        if incoming.kind is Kind.TEXT and incoming.text.strip():
            return await self.ask_question(turn, incoming.text)
        turn.notes.append(turn._("I can read text, button presses and locations, but not pictures, stickers or "
                                 "voice messages."))
        return [screens.menu(turn)]

    def _command(self, turn: Turn, incoming: Incoming) -> list[Reply]:
        name, argument = incoming.command.lower(), incoming.argument.strip()
        if name == "start":
            return self.start(turn, incoming, argument)
        if name == "sos":
            return self.call_for_help(turn)
        if name == "language":
            return self.choose_language(turn, argument) if argument else self.open_language_picker(turn, incoming)
        if turn.state.language is None:
            return [screens.language_picker(turn, self._translator.resolve(incoming.language_hint))]
        if name == "place":
            return self.choose_place(turn, argument) if argument else [screens.country_picker(turn)]
        if name == "menu":
            return self.open_menu(turn)
        if name == "help":
            return [screens.help_text(turn)]
        if name == "privacy":
            return self.open_article(turn, "privacy")
        if name == "forget":
            return [screens.forget_prompt(turn)]
        turn.notes.append(turn._("I do not know the command /{name}.").replace("{name}", escape(name[:32])))
        return self.open_menu(turn)

    async def _action(self, turn: Turn, action: Action, incoming: Incoming) -> list[Reply]:
        verb, argument = action.verb, action.argument
        if verb is Verb.LANGUAGES:
            return self.open_language_picker(turn, incoming)
        if turn.state.language is None and verb not in (Verb.LANGUAGE, Verb.EMERGENCY):
            return [screens.language_picker(turn, self._translator.resolve(incoming.language_hint))]
        step = _WITHOUT_PLACE.get(verb)
        if step is None:
            if turn.place is None:
                return [screens.country_picker(turn)]
            step = _WITH_PLACE.get(verb)
        if step is None:
            return self.press_stale_button(turn)
        replies = step(self, turn, argument)
        return await replies if inspect.isawaitable(replies) else replies

    # ---- steps ----------------------------------------------------------------------------------------

    def start(self, turn: Turn, incoming: Incoming, payload: str) -> list[Reply]:
        """Greet the person: a language picker, or from a poster's deep link straight to the menu of a place
        ("ar__rs-sid") or to one page ("ar__rs-sid__asylum-steps-rs")."""
        language_code, _, rest = payload.partition(DEEP_LINK_SEPARATOR)
        place_id, _, article_id = rest.partition(DEEP_LINK_SEPARATOR)
        language = self._translator.resolve(language_code) if language_code else None
        if language is None:
            hint = turn.state.language or self._translator.resolve(incoming.language_hint)
            return [screens.language_picker(turn, hint)]
        self._set_language(turn, language)
        place = turn.content.place(place_id) if place_id else None
        if place is not None:
            self._set_place(turn, place.id)
            article = turn.content.article(article_id, ("en",)) if article_id else None
            if article is not None and article.applies_to(place.country, place.id):
                return [screens.article_page(turn, article)]
            return self.open_menu(turn)
        if turn.place is not None:
            return self.open_menu(turn)
        return [screens.country_picker(turn)]

    def open_language_picker(self, turn: Turn, incoming: Incoming) -> list[Reply]:
        """Show every language in its own name, the current or the phone's language first."""
        first = turn.state.language or self._translator.resolve(incoming.language_hint)
        return [screens.language_picker(turn, first)]

    def choose_language(self, turn: Turn, code: str) -> list[Reply]:
        """Switch the person's language, then go on to the place or the menu."""
        language = self._translator.resolve(code)
        if language is None:
            turn.notes.append(turn._("I do not know the language “{code}”.").replace("{code}", escape(code[:32])))
            return [screens.language_picker(turn, turn.state.language)]
        self._set_language(turn, language)
        if turn.place is None:
            return [screens.country_picker(turn)]
        return self.open_menu(turn)

    def choose_country(self, turn: Turn, code: str) -> list[Reply]:
        """Show the places of a country."""
        country = turn.content.country(code)
        if country is None:
            return self.press_stale_button(turn)
        return [screens.place_picker(turn, country)]

    def choose_place(self, turn: Turn, place_id: str) -> list[Reply]:
        """Set the person's place by id (from a button or /place rs-sid)."""
        place = turn.content.place(place_id.strip().lower())
        if place is None:
            note = turn._("I do not know the place “{place}”.").replace("{place}", escape(place_id[:64]))
            turn.notes.append(note)
            return [screens.country_picker(turn)]
        self._set_place(turn, place.id)
        return self.open_menu(turn)

    def share_location(self, turn: Turn, incoming: Incoming) -> list[Reply]:
        """Pick the place nearest to a shared location, then list the nearest services when they were asked for
        (or the person already had a place); the location itself is not kept."""
        assert incoming.location is not None
        wanted, _sep, category = turn.state.awaiting.partition(":")
        services_wanted = wanted == NEAR or (turn.place is not None and turn.state.language is not None)
        self._set_awaiting(turn, "")
        nearest = turn.content.nearest_place(incoming.location)
        if nearest is None:
            return [screens.country_picker(turn)]
        place, distance = nearest
        self._set_place(turn, place.id)
        if turn.state.language is None:
            self._set_language(turn, turn.lang)
        note = turn._("📍 The nearest place I know is {place} ({km} km away).")
        turn.notes.append(note.replace("{place}", escape(screens.place_name(turn, place)))
                          .replace("{km}", f"{distance:.0f}"))
        if not services_wanted:
            return self.open_menu(turn)
        chosen = category if category in screens.CATEGORIES else None
        found = turn.content.nearest_services(incoming.location, place.country, chosen)
        return [screens.nearest_services(turn, found, chosen)]

    def ask_for_nearest(self, turn: Turn, category: str) -> list[Reply]:
        """Ask for a location to list the services nearest to it (of one category, or of all)."""
        if category and category not in screens.CATEGORIES:
            return self.press_stale_button(turn)
        self._set_awaiting(turn, f"{NEAR}:{category}" if category else NEAR)
        return [screens.location_request(turn, for_services=True)]

    def show_pin(self, turn: Turn, service_id: str) -> list[Reply]:
        """A service's position as the channel's own map pin."""
        service = turn.content.service(service_id)
        if service is None or service.location is None:
            return self.press_stale_button(turn)
        return [screens.service_pin(turn, service)]

    def open_menu(self, turn: Turn) -> list[Reply]:
        """Show the main menu of the person's place (leaving a case's conversation, which stays open)."""
        if turn.state.awaiting.startswith(CASE):
            self._set_awaiting(turn, "")
        if turn.state.language is None:
            return [screens.language_picker(turn, None)]
        if turn.place is None:
            return [screens.country_picker(turn)]
        return [screens.menu(turn)]

    def open_section(self, turn: Turn, section: str) -> list[Reply]:
        """List the pages of a section that apply to the person's place."""
        if section not in screens.SECTIONS:
            return self.press_stale_button(turn)
        return [screens.section_list(turn, section)]

    def open_article(self, turn: Turn, article_id: str) -> list[Reply]:
        """Show one page in the person's language, or in English with a note."""
        article = turn.content.article(article_id, ("en",))
        if article is None:
            return self.press_stale_button(turn)
        return [screens.article_page(turn, article)]

    def browse_services(self, turn: Turn, category: str) -> list[Reply]:
        """List the services of one kind in the person's place."""
        if category not in screens.CATEGORIES:
            return self.press_stale_button(turn)
        return [screens.service_list(turn, category)]

    def call_for_help(self, turn: Turn) -> list[Reply]:
        """Show the emergency numbers and helplines: of the person's country, or of every country."""
        return [screens.emergency(turn)]

    async def ask_question(self, turn: Turn, text: str) -> list[Reply]:
        """Look for pages and services that answer a question typed in the person's own words, and log it
        (scrubbed, without the person) so editors see what people need."""
        query = text.strip()[:MAX_QUESTION]
        alert = turn.content.alert(query)
        if alert is not None:
            # Danger first: the lines to call, before any search result.
            number = await self._log(Question(text=query, language=turn.lang, place=turn.state.place, answer=None,
                                              alert=alert))
            return [screens.protection(turn, alert, number)]
        written_in = self._translator.detect(query, turn.lang)
        if written_in is not None:
            # Typed in another language (a friend's question, a shared phone): answer in it, offer to switch.
            turn.messages = self._translator.messages(written_in)
            note = turn._("You wrote in {language}, so here are answers in {language}.")
            turn.notes.append(note.replace("{language}", self._translator.language_name(written_in)))
        # Only what applies where the person is: Serbian deadlines are not Bulgarian ones.
        found = turn.content.search(query, turn.languages(), turn.country, turn.state.place, limit=3)
        best = found[0] if found else None
        number = await self._log(Question(text=query, language=turn.lang, place=turn.state.place,
                                          answer=f"{best.kind[0]}:{best.id}" if best else None,
                                          score=best.score if best else 0.0))
        results = screens.search_results(turn, found, number)
        if written_in is not None:
            switch = Button("🌐 " + self._translator.language_name(written_in), action=act(Verb.LANGUAGE, written_in))
            results = dataclasses.replace(results, buttons=((switch,), *results.buttons))
        return [results]

    async def _log(self, question: Question) -> int | None:
        try:
            return await self._questions.record(question)
        except Exception:
            # The log serves editors; a person's answer must not wait on it or fail with it.
            log.exception("the question log refused a question; answering without it")
            return None

    async def coordinator_command(self, turn: Turn, incoming: Incoming, name: str, argument: str) -> list[Reply]:
        """Registration with an invite code, and the commands only registered coordinators may use."""
        if name in ("coordinator", "start"):
            code = argument.removeprefix(INVITE_PREFIX) if name == "start" else argument
            coordinator = await self._coordinators.register(code, incoming.channel, incoming.sender) if code else None
            if coordinator is None:
                return [turn.reply(turn._("This invite code is not valid: it may be mistyped, used already or "
                                          "expired. Ask your network for a new one."))]
            return [screens.coordinator_welcome(turn, coordinator)]
        coordinator = await self._coordinators.find(incoming.channel, incoming.sender)
        if coordinator is None:
            return [turn.reply(turn._("This command is only for coordinators of the local networks."),
                               [screens.navigation(turn, None)])]
        if name == "cases":
            found = await self._cases.for_coordinator(coordinator, self._country_of(turn))
            return case_screens.case_list(turn, found, coordinator)
        if name == "answer":
            if not argument.isdigit():
                return self.press_stale_button(turn)
            self._set_awaiting(turn, f"{ANSWER}:{argument}")
            return [turn.reply(turn._("Write your answer to case {number} and send it.").replace("{number}", argument))]
        number, _sep, text = argument.partition(" ")
        if not number.isdigit() or (name == "reply" and not text.strip()):
            usage = {"reply": "/reply 12 your answer", "take": "/take 12", "close": "/close 12"}[name]
            return [turn.reply(turn._("Write it like this: {example}").replace("{example}", usage))]
        case_number = int(number)
        if name == "take":
            case = await self._cases.take(coordinator, case_number, self._taken(turn), self._country_of(turn))
        elif name == "close":
            case = await self._cases.close(coordinator, case_number, self._for_refugee(turn, closing=True))
        else:
            case = await self._cases.answer(coordinator, case_number, text.strip()[:MAX_QUESTION],
                                            self._for_refugee(turn, closing=False))
        if case is None:
            return [turn.reply(turn._("Case {number} is not open for you: it may be closed, withdrawn or taken by a "
                                      "colleague.").replace("{number}", str(case_number)))]
        done = {"take": turn._("You took case {number}."), "close": turn._("Case {number} is closed."),
                "reply": turn._("Your answer to case {number} is on its way.")}[name]
        return [turn.reply("✅ " + done.replace("{number}", str(case_number))),
                case_screens.for_coordinator(turn, case, new=False)]

    def _country_of(self, turn: Turn) -> Callable[[str], str]:
        def country_of(place_id: str) -> str:
            place = turn.content.place(place_id)
            return place.country if place is not None else place_id.split("-")[0]
        return country_of

    def _turn_in(self, turn: Turn, language: str) -> Turn:
        """A turn for someone else (a refugee, a coordinator) in their language, to build a message to them."""
        code = self._translator.resolve(language) or "en"
        return Turn(state=UserState(user="", language=code), messages=self._translator.messages(code),
                    translator=self._translator, content=turn.content, is_new=False)

    def _for_refugee(self, turn: Turn, *, closing: bool) -> Callable[[Case], Reply]:
        def build(case: Case) -> Reply:
            other = self._turn_in(turn, case.language)
            return (case_screens.closed_for_refugee if closing else case_screens.answer_for_refugee)(other, case)
        return build

    def _to_coordinator(self, turn: Turn, screen) -> Callable[[Case, Coordinator], Reply]:
        def build(case: Case, coordinator: Coordinator) -> Reply:
            return screen(self._turn_in(turn, coordinator.languages[0] if coordinator.languages else "en"), case)
        return build

    def _taken(self, turn: Turn) -> Callable[[Case, Coordinator], Reply]:
        return self._to_coordinator(turn, case_screens.taken_for_coordinator)

    async def tend_cases(self, *, remind: dt.timedelta, urgent_remind: dt.timedelta, idle: dt.timedelta,
                         purge: dt.timedelta) -> dict[str, int]:
        """The cases' schedule (bot.app runs it every minute): reminders, escalation, idle closing, purging."""
        turn = self._turn_in(Turn(state=UserState(user=""), messages=self._translator.messages("en"),
                                  translator=self._translator, content=self._content(), is_new=False), "en")
        return await self._cases.keep(
            remind=remind, urgent_remind=urgent_remind, idle=idle, purge=purge,
            announce=self._to_coordinator(turn, lambda t, case: case_screens.for_coordinator(t, case, new=True)),
            idle_notice=lambda case: case_screens.idle_for_refugee(self._turn_in(turn, case.language), case),
            country_of=self._country_of(turn))

    async def case_undeliverable(self, number: int) -> None:
        """The outbox could not reach a refugee (they blocked the bot): the case ends, its coordinator is told."""
        turn = Turn(state=UserState(user=""), messages=self._translator.messages("en"), translator=self._translator,
                    content=self._content(), is_new=False)
        await self._cases.undeliverable(number, self._to_coordinator(turn, case_screens.undeliverable_for_coordinator))

    def _withdrawn(self, turn: Turn) -> Callable[[Case, Coordinator], Reply]:
        def build(case: Case, coordinator: Coordinator) -> Reply:
            other = self._turn_in(turn, coordinator.languages[0] if coordinator.languages else "en")
            return case_screens.withdrawn_for_coordinator(other, case)
        return build

    def _for_coordinator(self, turn: Turn) -> Callable[[Case, Coordinator], Reply]:
        def build(case: Case, coordinator: Coordinator) -> Reply:
            other = self._turn_in(turn, coordinator.languages[0] if coordinator.languages else "en")
            return case_screens.for_coordinator(other, case, new=True)
        return build

    async def ask_a_person(self, turn: Turn, text: str) -> list[Reply]:
        """/ask <text>: log the question (scrubbed), then ask its topic."""
        query = text.strip()[:MAX_QUESTION]
        if not query:
            return [screens.ask_prompt(turn)]
        if turn.incoming is not None and turn.incoming.channel not in self.reachable:
            return [case_screens.unreachable(turn)]
        number = await self._log(Question(text=query, language=turn.lang, place=turn.state.place, answer=None))
        if number is None:
            return [turn.reply(turn._("Sorry, something went wrong on our side. Please try again."))]
        return [case_screens.topic_picker(turn, number)]

    async def handoff(self, turn: Turn, argument: str) -> list[Reply]:
        """'Ask a person' about a logged question: first its topic."""
        if not argument.isdigit():
            return self.press_stale_button(turn)
        if turn.incoming is not None and turn.incoming.channel not in self.reachable:
            return [case_screens.unreachable(turn)]
        return [case_screens.topic_picker(turn, int(argument))]

    async def choose_topic(self, turn: Turn, argument: str, *, send: bool) -> list[Reply]:
        """Show what will be sent and to whom; after confirmation, open the case."""
        number, _sep, topic = argument.partition("-")
        logged = await self._questions.get(int(number)) if number.isdigit() else None
        if logged is None or topic not in TOPICS:
            return self.press_stale_button(turn)
        text, alert = logged
        if not send:
            return [case_screens.confirm(turn, int(number), topic, text)]
        place = turn.place
        assert place is not None and turn.incoming is not None
        case = await self._cases.open(user=turn.state.user, channel=turn.incoming.channel,
                                      sender=turn.incoming.sender, place=place.id, country=place.country,
                                      topic=topic, language=turn.lang, text=text,
                                      # A protection alert forwarded to a person is urgent, whatever topic was picked.
                                      urgent=topic == "protection" or alert is not None,
                                      notify=self._for_coordinator(turn))
        if case is None:
            return [case_screens.nobody(turn)]
        self._set_awaiting(turn, f"{CASE}:{case.number}")
        return [case_screens.opened(turn, case)]

    async def write_in_case(self, turn: Turn, number: int, text: str) -> list[Reply]:
        """Text while a case is open goes into its thread; a closed case's text is a new question."""
        case = await self._cases.follow_up(turn.state.user, number, text.strip()[:MAX_QUESTION],
                                           self._for_coordinator(turn), self._country_of(turn))
        if case is None:
            self._set_awaiting(turn, "")
            return await self.ask_question(turn, text)
        return [case_screens.added(turn, case)]

    async def reply_in_case(self, turn: Turn, argument: str) -> list[Reply]:
        if not argument.isdigit():
            return self.press_stale_button(turn)
        self._set_awaiting(turn, f"{CASE}:{argument}")
        return [turn.reply(turn._("Write your message for the support worker and send it."),
                           [screens.navigation(turn, None)])]

    async def rate_case(self, turn: Turn, argument: str, *, helpful: bool) -> list[Reply]:
        if not argument.isdigit() or not await self._cases.rate(turn.state.user, int(argument), helpful):
            return self.press_stale_button(turn)
        turn.notes.append(turn._("👍 Thank you: this helps us know what works.") if helpful else
                          turn._("Thank you for telling us. Editors read these answers to make the guide better."))
        return self.open_menu(turn)

    async def rate_answer(self, turn: Turn, argument: str, *, helpful: bool) -> list[Reply]:
        """Record 👍 or 👎 on an answer, thank the person, and show the menu."""
        if not argument.isdigit():
            return self.press_stale_button(turn)
        await self._questions.rate(int(argument), helpful)
        if helpful:
            turn.notes.append(turn._("👍 Thank you: this helps us know what works."))
        else:
            turn.notes.append(turn._("Thank you for telling us. Editors read these answers to make the guide better."))
        return self.open_menu(turn)

    def open_service(self, turn: Turn, service_id: str) -> list[Reply]:
        """Show one service, with its map link and pin."""
        service = turn.content.service(service_id)
        if service is None:
            return self.press_stale_button(turn)
        return [screens.service_page(turn, service)]

    def forget_me(self, turn: Turn) -> list[Reply]:
        """Erase everything stored under the person's pseudonym."""
        turn.forgotten = True
        return [screens.forgotten(turn)]

    # ---- events ----------------------------------------------------------------------------------------

    def _upcoming(self, content, country: str | None = None) -> list[Event]:
        now = self._clock()
        return [e for e in content.events() if e.ends > now and (self._example_events or not e.example)
                and (country is None or any(self._country_of_place(content, p) == country for p in e.places))]

    @staticmethod
    def _country_of_place(content, place_id: str) -> str | None:
        place = content.place(place_id)
        return place.country if place is not None else None

    def event(self, event_id: str) -> Event | None:
        """An event people may see now: not over, and not an example unless examples are shown."""
        return next((e for e in self._upcoming(self._content()) if e.id == event_id), None)

    def _event(self, turn: Turn, event_id: str) -> Event | None:
        return next((e for e in self._upcoming(turn.content) if e.id == event_id), None)

    async def browse_events(self, turn: Turn, argument: str) -> list[Reply]:
        """List what is on: the person's place first, then the rest of the country, five a page."""
        upcoming = self._upcoming(turn.content, turn.country)
        here = [e for e in upcoming if turn.state.place in e.places]
        elsewhere = [e for e in upcoming if turn.state.place not in e.places]
        # Event news come as messages: not offered where no message can reach the person later (the web chat).
        reachable = turn.incoming is not None and turn.incoming.channel in self.reachable
        subscribed = reachable and bool(await self._subscriptions.of(turn.state.user))
        page = int(argument) if argument.isdigit() else 1
        return [event_screens.event_list(turn, here, elsewhere, page, subscribed, news=reachable)]

    async def open_event(self, turn: Turn, event_id: str) -> list[Reply]:
        """Show one event; one that has ended (or never was) gets the list."""
        event = self._event(turn, event_id)
        if event is None:
            turn.notes.append(turn._("That event is over or no longer listed."))
            return await self.browse_events(turn, "")
        return [event_screens.event_page(turn, event)]

    async def show_event_pin(self, turn: Turn, event_id: str) -> list[Reply]:
        event = self._event(turn, event_id)
        if event is None or event.location is None:
            return await self.open_event(turn, event_id)
        return [event_screens.event_pin(turn, event)]

    async def add_to_calendar(self, turn: Turn, event_id: str) -> list[Reply]:
        """Send the event as a calendar file, in the person's language."""
        event = self._event(turn, event_id)
        if event is None:
            return await self.open_event(turn, event_id)
        return [event_screens.calendar_file(turn, event, self.calendar(event, turn.lang))]

    def calendar(self, event: Event, language: str) -> bytes:
        turn = self._turn_in_language(language, event.places[0])
        return ics(event, title=turn.pick(event.titles), description=turn.pick(event.descriptions), now=self._clock(),
                   language=turn.lang)

    async def remind_me(self, turn: Turn, event_id: str) -> list[Reply]:
        """Remember to send a reminder the day before the event."""
        event = self._event(turn, event_id)
        if event is None:
            return await self.open_event(turn, event_id)
        if turn.incoming is None or turn.incoming.channel not in self.reachable:
            return [event_screens.unreachable(turn)]
        at = event.starts - dt.timedelta(days=1)
        if at <= self._clock():
            return [event_screens.too_late_to_remind(turn, event)]
        new = await self._subscriptions.remind(user=turn.state.user, channel=turn.incoming.channel,
                                               sender=turn.incoming.sender, event=event.id, at=at)
        return [event_screens.reminder_set(turn, event, new=new)]

    async def choose_event_news(self, turn: Turn, category: str) -> list[Reply]:
        """Show the choice of event news, or subscribe to one kind ("all", "language-class") for the place."""
        if turn.incoming is None or turn.incoming.channel not in self.reachable:
            return [event_screens.unreachable(turn)]
        if turn.incoming.channel not in self.announce_to:
            return [event_screens.no_news_here(turn)]
        if category and category != "all" and category not in event_screens.CATEGORY_LABELS:
            return self.press_stale_button(turn)
        if not category:
            return [event_screens.subscriptions(turn, await self._subscriptions.of(turn.state.user))]
        await self._subscriptions.subscribe(user=turn.state.user, channel=turn.incoming.channel,
                                            sender=turn.incoming.sender, place=turn.state.place or "",
                                            category=category)
        return [event_screens.subscribed(turn, category)]

    async def stop_event_news(self, turn: Turn, _argument: str) -> list[Reply]:
        """Stop every subscription of the person."""
        return [event_screens.unsubscribed(turn, await self._subscriptions.unsubscribe(turn.state.user))]

    def _turn_in_language(self, language: str, place: str) -> Turn:
        """A turn for nobody in particular: an announcement or a reminder rendered in one language."""
        language = self._translator.resolve(language) or "en"
        return Turn(state=UserState(user="", language=language, place=place),
                    messages=self._translator.messages(language), translator=self._translator,
                    content=self._content(), is_new=False)

    def announcement(self, event: Event, language: str) -> Reply:
        """The news of an event, as a subscriber reading `language` gets it."""
        return event_screens.announcement(self._turn_in_language(language, event.places[0]), event)

    async def announce(self, event: Event) -> int:
        """Queue an event for its subscribers, each in their language; run twice, it queues nobody twice."""
        async with self._announcing:
            return await self._subscriptions.announce(event, lambda language: self.announcement(event, language),
                                                      channels=self.announce_to, now=self._clock())

    async def announce_new_events(self) -> dict[str, int]:
        """Announce every upcoming event not announced before (an editor added it): event id -> people queued."""
        upcoming = [e for e in self._upcoming(self._content()) if not e.example]
        done = await self._subscriptions.announced([e.id for e in upcoming])
        return {event.id: await self.announce(event) for event in upcoming if event.id not in done}

    async def send_reminders(self) -> int:
        """Queue the reminders whose time has come."""
        def render(event_id: str, language: str) -> Reply | None:
            event = next((e for e in self._upcoming(self._content()) if e.id == event_id), None)
            if event is None:
                return None  # over, or taken out of the content: nothing to remind of
            return event_screens.reminder(self._turn_in_language(language, event.places[0]), event)
        return await self._subscriptions.remind_due(render, channels=self.announce_to | self.reachable,
                                                    now=self._clock())

    def press_stale_button(self, turn: Turn) -> list[Reply]:
        """Answer a button from an older keyboard, or an unknown action, with the menu."""
        turn.notes.append(turn._("That button is from an older menu. Here is the current one."))
        return self.open_menu(turn)

    # ---- state -----------------------------------------------------------------------------------------

    def _set_language(self, turn: Turn, language: str) -> None:
        if turn.state.language != language:
            turn.state = dataclasses.replace(turn.state, language=language)
            turn.dirty = True
        if turn.messages.language != language:
            turn.messages = self._translator.messages(language)

    def _set_awaiting(self, turn: Turn, awaiting: str) -> None:
        if turn.state.awaiting != awaiting:
            turn.state = dataclasses.replace(turn.state, awaiting=awaiting)
            turn.dirty = True

    def _set_place(self, turn: Turn, place_id: str) -> None:
        if turn.state.place != place_id:
            turn.state = dataclasses.replace(turn.state, place=place_id)
            turn.dirty = True


_Step = Callable[[Engine, Turn, str], list[Reply]]
# What each button does; the second table needs the person's place to be known.
_WITHOUT_PLACE: dict[Verb, _Step] = {
    Verb.LANGUAGE: Engine.choose_language,
    Verb.EMERGENCY: lambda engine, turn, _: engine.call_for_help(turn),
    Verb.COUNTRIES: lambda engine, turn, _: [screens.country_picker(turn)],
    Verb.COUNTRY: Engine.choose_country,
    Verb.PLACE: Engine.choose_place,
    Verb.LOCATE: lambda engine, turn, _: [screens.location_request(turn)],
    Verb.HELP: lambda engine, turn, _: [screens.help_text(turn)],
    Verb.FORGET: lambda engine, turn, _: [screens.forget_prompt(turn)],
    Verb.FORGET_CONFIRMED: lambda engine, turn, _: engine.forget_me(turn),
    Verb.PRIVACY: lambda engine, turn, _: engine.open_article(turn, "privacy"),
    Verb.ARTICLE: Engine.open_article,
    Verb.NEAREST: Engine.ask_for_nearest,
    Verb.PIN: Engine.show_pin,
    Verb.SERVICE: Engine.open_service,
    Verb.HELPFUL: lambda engine, turn, argument: engine.rate_answer(turn, argument, helpful=True),
    Verb.REPLY_CASE: Engine.reply_in_case,
    Verb.CASE_HELPED: lambda engine, turn, argument: engine.rate_case(turn, argument, helpful=True),
    Verb.CASE_NOT_HELPED: lambda engine, turn, argument: engine.rate_case(turn, argument, helpful=False),
    Verb.NOT_HELPFUL: lambda engine, turn, argument: engine.rate_answer(turn, argument, helpful=False),
}
_WITH_PLACE: dict[Verb, _Step] = {
    Verb.MENU: lambda engine, turn, _: engine.open_menu(turn),
    Verb.SECTION: Engine.open_section,
    Verb.SERVICES: lambda engine, turn, _: [screens.service_categories(turn)],
    Verb.CATEGORY: Engine.browse_services,
    Verb.EVENTS: Engine.browse_events,
    Verb.EVENT: Engine.open_event,
    Verb.EVENT_PIN: Engine.show_event_pin,
    Verb.CALENDAR: Engine.add_to_calendar,
    Verb.REMIND: Engine.remind_me,
    Verb.SUBSCRIBE: Engine.choose_event_news,
    Verb.UNSUBSCRIBE: Engine.stop_event_news,
    Verb.ASK: lambda engine, turn, _: [screens.ask_prompt(turn)],
    Verb.HANDOFF: Engine.handoff,
    Verb.TOPIC: lambda engine, turn, argument: engine.choose_topic(turn, argument, send=False),
    Verb.SEND_CASE: lambda engine, turn, argument: engine.choose_topic(turn, argument, send=True),
}
