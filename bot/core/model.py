"""Channel-neutral messages and content objects: what every adapter and the engine speak.

Plain frozen dataclasses only; nothing here knows Telegram, HTTP, SQL or babel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float


class Kind(str, Enum):
    """What a person did: the only distinction the engine makes between incoming updates."""

    COMMAND = "command"  # "/start sr__rs-sid": command="start", argument="sr__rs-sid"
    ACTION = "action"  # a button press; `action` holds the encoded core action
    TEXT = "text"  # free text
    LOCATION = "location"  # a shared location
    OTHER = "other"  # sticker, photo, voice, file...: something the bot cannot read


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update from a person, whatever the channel.

    `sender` is the channel's user id. It lives only in memory for the length of one update:
    the engine turns it into a keyed pseudonym before anything is stored.
    """

    channel: str
    sender: str
    kind: Kind
    text: str = ""
    command: str = ""
    argument: str = ""
    action: str = ""
    location: Location | None = None
    language_hint: str | None = None
    replying_to: str = ""  # the text of the bot's message this one answers (a Telegram reply), if any


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply: presses `action` back into the engine, or opens `url`."""

    label: str
    action: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A file sent with a reply (an event's .ics). `path` is where this server serves the same file, for channels
    that can only send a link to a file (Viber, the web chat)."""

    name: str
    mime: str
    data: bytes
    path: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to a person.

    `text` is Markdown (CommonMark subset: paragraphs, **bold**, *italic*, lists, links); every
    adapter renders and escapes it for its channel. Literal strings from people or content that
    must not be read as Markdown go through `bot.core.markup.escape` first.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    language: str = "en"
    location: Location | None = None  # a map pin sent with the message
    location_title: str = ""  # with a title the pin is a venue: a name and an address under the map
    location_address: str = ""
    request_location: bool = False  # offer the channel's own "share my location" control
    link_preview: bool = False
    document: Document | None = None  # a file after the text


# ---- content ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # "rs", "mk", "bg"; names come from CLDR through the Translator
    timezone: str
    numbers: tuple[Hotline, ...]  # emergency numbers and helplines, most urgent first


@dataclass(frozen=True, slots=True)
class Hotline:
    kind: str  # police, ambulance, fire, emergency, women, children, trafficking, missing-children, ...
    number: str  # as dialled, e.g. "192", "0800 222 003", "+381 11 785 0000"
    names: dict[str, str]  # locale -> the line's own name; "en" always present
    notes: dict[str, str]  # locale -> short note (hours, free of charge); may be empty
    source: str


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # "rs-sid"
    country: str  # "rs"
    names: dict[str, str]  # locale -> name; "en" always present
    location: Location


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    language: str
    title: str
    section: str  # legal, emergency, privacy, about, integration, ...
    body: str  # Markdown
    countries: tuple[str, ...]  # empty with no places: applies everywhere
    places: tuple[str, ...]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: dt.date
    order: int = 100
    translation: str = "source"  # "source" for English, else "human" or "machine"
    path: str = ""

    def applies_to(self, country: str | None, place: str | None) -> bool:
        if not self.countries and not self.places:
            return True
        if place is not None and place in self.places:
            return True
        return country is not None and country in self.countries


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """One line of a service's week: these days, from `opens` to `closes`, local time.

    `closes` at midnight is written 24:00 by editors and kept as dt.time.max; open day and night every day is
    all seven days from 00:00 to that midnight.
    """

    days: tuple[int, ...]  # 0 = Monday ... 6 = Sunday, in the order written
    opens: dt.time
    closes: dt.time

    @property
    def all_day(self) -> bool:
        return self.opens == dt.time(0, 0) and self.closes == dt.time.max


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    names: dict[str, str]  # locale -> name; "en" always present
    place: str
    categories: tuple[str, ...]
    address: str
    phones: tuple[str, ...]
    hours: tuple[OpeningHours, ...]  # empty when the source gives none
    languages: tuple[str, ...]
    descriptions: dict[str, str]  # locale -> one or two sentences; "en" always present
    location: Location | None
    source: str
    last_verified: dt.date
    status: str = "confirmed"  # "confirmed", "unconfirmed" or "reported-closed"
    url: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """Something on at a place: a class, an information session, a community day."""

    id: str
    places: tuple[str, ...]
    category: str  # training, language-class, legal-info, health, community, children
    titles: dict[str, str]  # locale -> title; "en" always present
    descriptions: dict[str, str]  # locale -> a few sentences; "en" always present
    starts: dt.datetime  # aware, in the place's time zone
    ends: dt.datetime
    venue: str
    address: str
    location: Location | None
    organiser: str
    source: str
    last_verified: dt.date
    registration: str = ""  # a link, when people must register
    capacity: dict[str, str] = field(default_factory=dict)  # locale -> "20 places", may be empty
    example: bool = False  # a sample that shows editors the format, not a real event

    @property
    def timezone(self) -> dt.tzinfo | None:
        return self.starts.tzinfo


@dataclass(frozen=True, slots=True)
class Hit:
    """A page or a service that answers a question, best first."""

    kind: str  # "article" or "service"
    id: str
    title: str  # in the person's language where there is one
    snippet: str  # the line that matched best, plain text, short
    score: float
    language: str  # of the title and snippet


@dataclass(frozen=True, slots=True)
class Nearby:
    """A service and how far it is from a shared location, in km (straight line).

    `exact` is False when the service has no coordinates of its own and the distance is to its town's centre.
    """

    service: Service
    km: float
    exact: bool


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the log keeps it: no pseudonym, so it cannot be traced back to a person.

    `text` is scrubbed by the store before it is written; the engine passes what was typed.
    """

    text: str
    language: str
    place: str | None
    answer: str | None  # the best answer's key: "a:asylum-steps-rs", "s:ideas-beograd", or None
    score: float = 0.0
    alert: str | None = None  # the protection alert it raised: "violence", "self-harm", ...


TOPICS = ("legal", "health", "shelter", "education", "work", "protection", "other")


@dataclass(frozen=True, slots=True)
class Coordinator:
    """A person of a local network who answers cases, registered by invite."""

    id: int
    name: str
    places: tuple[str, ...]  # place ids, or country codes for country-wide coordinators
    topics: tuple[str, ...]  # of TOPICS, or ("all",)
    languages: tuple[str, ...] = ()
    registered: bool = False
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Case:
    """A question a person of the local network answers: what a coordinator may see, and no more."""

    number: int
    place: str
    topic: str
    language: str
    status: str  # open, taken, closed, withdrawn, undeliverable
    created: dt.datetime
    messages: tuple[tuple[str, str], ...] = ()  # (author: refugee | coordinator, text), oldest first
    taken_by: int | None = None
    urgent: bool = False


class Delivery(str, Enum):
    """What a channel says after trying to deliver one outbox message."""

    SENT = "sent"
    RETRY = "retry"  # flood control, a timeout or a server error: try again later
    BLOCKED = "blocked"  # the person blocked the bot or deleted the chat: never again
    FAILED = "failed"  # refused for good (a malformed message): an operator must look


@dataclass(frozen=True, slots=True)
class Outcome:
    """A channel's answer to one delivery: what happened, how long to wait before a retry, an error to record,
    and the channel's ids of the messages sent (Viber's message tokens), which its delivery reports name later."""

    delivery: Delivery
    wait: float = 0.0
    error: str = ""
    receipts: tuple[str, ...] = ()
    parts: int = 0  # how many of the messages one reply became are out, counting earlier attempts: a retry resumes


EVENT_CATEGORIES = ("training", "language-class", "legal-info", "health", "community", "children")


@dataclass(frozen=True, slots=True)
class Subscription:
    """A person asked to hear of new events at a place: of one category, or "all"."""

    place: str
    category: str


# ---- people ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserState:
    """What the bot remembers about one person, under a pseudonym and nothing else."""

    user: str  # keyed pseudonym, never a channel id
    language: str | None = None
    place: str | None = None
    awaiting: str = ""  # what the next shared location is for: "" (the place) or "near[:category]" (services)
    updated: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
