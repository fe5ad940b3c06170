"""The Protocols the engine owns: everything outside the core is reached through these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.model import (
    Article,
    Case,
    Coordinator,
    Country,
    Event,
    Hit,
    Location,
    Nearby,
    Place,
    Question,
    Reply,
    Service,
    Subscription,
    UserState,
)


class UserStore(Protocol):
    """Per-person state, keyed by pseudonym."""

    async def get(self, user: str) -> UserState | None: ...

    async def save(self, state: UserState) -> None: ...

    async def forget(self, user: str) -> None:
        """Erase everything stored under this pseudonym."""


class QuestionLog(Protocol):
    """Anonymised questions, for editors to see what people need."""

    async def record(self, question: Question) -> int:
        """Store a question (scrubbed of personal data first) and return its number, for feedback."""

    async def rate(self, number: int, helpful: bool) -> None:
        """Record 👍 (helpful) or 👎 on the answer a question got; an unknown number is ignored."""

    async def get(self, number: int) -> tuple[str, str | None] | None:
        """A logged question's text as stored (scrubbed) and the protection alert it raised; None if unknown."""


class CaseDesk(Protocol):
    """Cases between refugees and coordinators; every change commits with the messages it sends (an outbox)."""

    async def open(self, *, user: str, channel: str, sender: str, place: str, country: str, topic: str,
                   language: str, text: str, urgent: bool,
                   notify: Callable[[Case, Coordinator], Reply]) -> Case | None: ...

    async def case(self, number: int) -> Case | None: ...

    async def for_coordinator(self, coordinator: Coordinator, country_of: Callable[[str], str]) -> list[Case]: ...

    async def take(self, coordinator: Coordinator, number: int,
                   notify_others: Callable[[Case, Coordinator], Reply] | None = None,
                   country_of: Callable[[str], str] | None = None) -> Case | None: ...

    async def keep(self, *, remind: dt.timedelta, urgent_remind: dt.timedelta, idle: dt.timedelta,
                   purge: dt.timedelta, announce: Callable[[Case, Coordinator], Reply],
                   idle_notice: Callable[[Case], Reply], country_of: Callable[[str], str]) -> dict[str, int]: ...

    async def undeliverable(self, number: int, notify: Callable[[Case, Coordinator], Reply]) -> None: ...

    async def answer(self, coordinator: Coordinator, number: int, text: str,
                     to_refugee: Callable[[Case], Reply]) -> Case | None: ...

    async def follow_up(self, user: str, number: int, text: str, notify: Callable[[Case, Coordinator], Reply],
                        country_of: Callable[[str], str]) -> Case | None: ...

    async def close(self, coordinator: Coordinator, number: int,
                    to_refugee: Callable[[Case], Reply]) -> Case | None: ...

    async def rate(self, user: str, number: int, helpful: bool) -> bool: ...

    async def forget(self, user: str, notify: Callable[[Case, Coordinator], Reply],
                     country_of: Callable[[str], str]) -> list[int]:
        """Withdraw the person's open cases, telling their coordinators, and unlink all their cases from them."""


class Subscriptions(Protocol):
    """Opt-in event news and reminders, under the pseudonym, with the chat address sealed for the sender."""

    async def subscribe(self, *, user: str, channel: str, sender: str, place: str, category: str) -> None:
        """Hear of new events at a place: of one category or "all" (which replaces the single ones)."""

    async def unsubscribe(self, user: str) -> int:
        """Stop every subscription of a person; the number stopped."""

    async def of(self, user: str) -> list[Subscription]: ...

    async def remind(self, *, user: str, channel: str, sender: str, event: str, at: dt.datetime) -> bool:
        """Remind a person of an event at `at`; False when they had asked already."""

    async def forget(self, user: str) -> None:
        """Erase the person's subscriptions and reminders."""

    async def announce(self, event: Event, render: Callable[[str], Reply], *, channels: frozenset[str],
                       now: dt.datetime) -> int:
        """Queue an event for every subscriber of its places and category on these channels, each in their
        language; a subscriber already queued for it is skipped. The number queued."""

    async def announced(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these events were announced already (by the bot or an operator)."""

    async def remind_due(self, render: Callable[[str, str], Reply | None], *, channels: frozenset[str],
                         now: dt.datetime) -> int:
        """Queue the reminders whose time has come; `render(event_id, language)` is None for an event gone."""


class Coordinators(Protocol):
    """The registry of coordinators; looked up only for coordinator commands, never on a refugee's path."""

    async def find(self, channel: str, sender: str) -> Coordinator | None:
        """The active coordinator writing from this chat, or None."""

    async def register(self, code: str, channel: str, sender: str) -> Coordinator | None:
        """Use a one-time invite code for this chat; None when it is unknown, used, expired or revoked."""


class Messages(Protocol):
    """UI strings of one language (gettext semantics; msgids are English)."""

    language: str

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class Translator(Protocol):
    def languages(self) -> Sequence[str]:
        """Supported UI languages, in the order the language picker shows them."""

    def messages(self, language: str) -> Messages: ...

    def resolve(self, code: str | None) -> str | None:
        """Map a code from a person or a channel ("ar", "sr-Latn", "pt_BR") to a supported language."""

    def language_name(self, language: str) -> str:
        """The language's name in itself: "العربية", "српски"."""

    def country_name(self, country: str, language: str) -> str:
        """A country's name ("rs") in a UI language, from CLDR."""

    def is_rtl(self, language: str) -> bool: ...

    def fallbacks(self, language: str) -> Sequence[str]:
        """The chain tried for content in this language, ending in "en": sr_Latn -> sr -> en."""

    def detect(self, text: str, current: str) -> str | None:
        """The UI language `text` is clearly written in, if it is not `current` (or the same language in the other
        script); None when unsure."""

    def weekday_names(self, language: str) -> Sequence[str]:
        """Short weekday names, Monday first, as the language writes them (CLDR): "пон", "الاثنين"."""

    def time_range(self, opens: dt.time, closes: dt.time, language: str) -> str:
        """Opening hours as the language writes a time interval (CLDR): "08:30–16:30", "8:30 تا 16:30"."""

    def event_when(self, starts: dt.datetime, ends: dt.datetime, language: str) -> str:
        """When an event is, in its own zone, with weekday and date as the language writes them (CLDR):
        "Saturday, December 5, 10:00–12:00", "السبت، ٥ ديسمبر"..."""


class ContentIndex(Protocol):
    """Validated, immutable content; lookups do no I/O."""

    def countries(self) -> Sequence[Country]: ...

    def country(self, code: str) -> Country | None: ...

    def places(self, country: str | None = None) -> Sequence[Place]: ...

    def place(self, place_id: str) -> Place | None: ...

    def nearest_services(self, location: Location, country: str, category: str | None = None,
                         limit: int = 6) -> Sequence[Nearby]:
        """Services of a country nearest to a location, nearest first; none reported closed."""

    def nearest_place(self, location: Location) -> tuple[Place, float] | None:
        """The closest place and its distance in km."""

    def article(self, article_id: str, languages: Sequence[str]) -> Article | None:
        """The article in the first of `languages` it exists in."""

    def articles(self, section: str, country: str | None, place: str | None) -> Sequence[Article]:
        """English source articles of a section that apply to a country/place, in display order."""

    def services(self, place: str, category: str | None = None) -> Sequence[Service]: ...

    def service(self, service_id: str) -> Service | None: ...

    def alert(self, text: str) -> str | None:
        """The protection alert a message raises: "self-harm", "violence", "sexual-violence", "trafficking",
        "child", or None."""

    def search(self, text: str, languages: Sequence[str], country: str | None, place: str | None,
               limit: int = 3) -> Sequence[Hit]:
        """Pages and services answering free text where the person is, best first, in their language."""
