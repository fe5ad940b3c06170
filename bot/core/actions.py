"""Button actions: short strings the engine makes and parses, opaque to every channel.

Telegram allows 1-64 bytes of callback data (platform-facts A2) and Viber echoes an ActionBody back as
text, so an action is `<verb>` or `<verb>:<argument>` in ASCII, and anything else is treated as stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

MAX_BYTES = 64


class Verb(str, Enum):
    LANGUAGES = "lp"  # show the language picker
    LANGUAGE = "l"  # choose a language: l:ar
    COUNTRIES = "cp"  # show the country picker
    COUNTRY = "c"  # choose a country: c:rs
    PLACE = "p"  # choose a place: p:rs-sid
    LOCATE = "loc"  # ask for the person's location
    MENU = "m"
    SECTION = "s"  # list a section: s:legal
    ARTICLE = "a"  # open an article: a:asylum-steps-rs
    SERVICES = "sv"  # service categories of the person's place
    CATEGORY = "sc"  # services of a category: sc:legal-aid
    NEAREST = "nr"  # ask for a location to list the nearest services: nr, nr:health
    PIN = "pin"  # a service's map pin: pin:ideas-beograd
    SERVICE = "si"  # one service: si:ideas-beograd
    HANDOFF = "hp"  # ask a person about logged question 123: hp:123
    TOPIC = "tp"  # the topic of that question: tp:123-legal
    SEND_CASE = "cs"  # confirmed: open the case: cs:123-legal
    REPLY_CASE = "rr"  # write more in case 12: rr:12
    CASE_HELPED = "cy"  # the closed case 12 helped: cy:12
    CASE_NOT_HELPED = "cn"
    TAKE_CASE = "kt"  # a coordinator takes case 12: kt:12
    CLOSE_CASE = "kc"  # a coordinator closes case 12: kc:12
    ANSWER_CASE = "ka"  # a coordinator's next text answers case 12: ka:12
    HELPFUL = "fu"  # 👍 on the answer to logged question 123: fu:123
    NOT_HELPFUL = "fd"  # 👎: fd:123
    EVENTS = "ev"  # the events of the person's place and country: ev, ev:2 (page 2)
    EVENT = "e"  # one event: e:lang-cafe-sid
    EVENT_PIN = "ep"  # its map pin
    CALENDAR = "ics"  # its calendar file
    REMIND = "rm"  # remind me the day before
    SUBSCRIBE = "sb"  # event news: sb (choose), sb:all, sb:language-class
    UNSUBSCRIBE = "ub"  # no more event news
    ASK = "q"
    EMERGENCY = "sos"
    PRIVACY = "pr"
    HELP = "h"
    FORGET = "f"  # ask to confirm erasure
    FORGET_CONFIRMED = "fy"


_VERBS = {verb.value: verb for verb in Verb}
_ARGUMENT = re.compile(r"[A-Za-z0-9_-]{1,60}")


@dataclass(frozen=True, slots=True)
class Action:
    verb: Verb
    argument: str = ""

    def encode(self) -> str:
        text = self.verb.value if not self.argument else f"{self.verb.value}:{self.argument}"
        if len(text.encode()) > MAX_BYTES or (self.argument and not _ARGUMENT.fullmatch(self.argument)):
            raise ValueError(f"action {text!r} is not 1-64 bytes of [A-Za-z0-9_-]")
        return text


def act(verb: Verb, argument: str = "") -> str:
    return Action(verb, argument).encode()


def parse(text: str) -> Action | None:
    """The action a button carried, or None for anything malformed, unknown or from an older keyboard."""
    if not text or len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    verb_text, _, argument = text.partition(":")
    verb = _VERBS.get(verb_text)
    if verb is None or (argument and not _ARGUMENT.fullmatch(argument)):
        return None
    return Action(verb, argument)
