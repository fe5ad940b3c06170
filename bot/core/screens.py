"""What each screen of the conversation shows: pure functions from a turn to Replies.

Every screen ends with the navigation row (Back, Menu, SOS) so nobody is ever stuck.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from bot.core.actions import Verb, act
from bot.core.markup import escape, phone
from bot.core.model import (
    Article,
    Button,
    Coordinator,
    Country,
    Hit,
    Hotline,
    Incoming,
    Nearby,
    OpeningHours,
    Place,
    Reply,
    Service,
    UserState,
)
from bot.core.ports import ContentIndex, Messages, Translator


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


SECTIONS = {
    "legal": N_("Legal status"),
    "integration": N_("After a positive decision"),
    "emergency": N_("Emergency"),
    "privacy": N_("Privacy"),
    "about": N_("About Putokaz"),
}
# The menu's "Legal status" screen lists these sections, in this order.
LEGAL_SECTIONS = ("legal", "integration")

CATEGORIES = {
    "legal-aid": N_("Legal aid"),
    "health": N_("Health"),
    "accommodation": N_("Accommodation and reception"),
    "education": N_("School and education"),
    "employment": N_("Work"),
    "women-children": N_("Women and children"),
    "psychosocial": N_("Psychosocial support"),
    "language-classes": N_("Language classes"),
    "food-basic-needs": N_("Food and basic needs"),
}

HOTLINE_KINDS = {
    "emergency": N_("Emergency, all services"),
    "police": N_("Police"),
    "ambulance": N_("Ambulance"),
    "fire": N_("Fire brigade"),
}

STATUS_NOTES = {
    "unconfirmed": N_("⚠️ Not confirmed recently: call before you go."),
    "reported-closed": N_("⛔ Reported closed."),
}

FLAGS = {"rs": "🇷🇸", "mk": "🇲🇰", "bg": "🇧🇬"}


@dataclass
class Turn:
    """One update being answered: the person's state and their language's strings."""

    state: UserState
    messages: Messages
    translator: Translator
    content: ContentIndex
    is_new: bool
    dirty: bool = False
    forgotten: bool = False
    notes: list[str] = field(default_factory=list)  # one-line notes put before the next screen's text
    incoming: Incoming | None = None  # what is being answered (a case needs where to send the answer)

    @property
    def lang(self) -> str:
        return self.messages.language

    @property
    def _(self) -> Callable[[str], str]:
        return self.messages.gettext

    @property
    def country(self) -> str | None:
        place = self.place
        return place.country if place else None

    @property
    def place(self) -> Place | None:
        return self.content.place(self.state.place) if self.state.place else None

    def languages(self) -> Sequence[str]:
        return self.translator.fallbacks(self.lang)

    def pick(self, values: dict[str, str]) -> str:
        """The best string of a per-locale dict for this person: their language, its fallbacks, English."""
        for language in self.languages():
            if language in values:
                return values[language]
        return next(iter(values.values()), "")

    def reply(self, text: str, rows: Sequence[Sequence[Button]] = (), **extra) -> Reply:
        if self.notes:
            text = "\n\n".join([*self.notes, text])
            self.notes.clear()
        return Reply(text=text, buttons=tuple(tuple(row) for row in rows if row), language=self.lang, **extra)


def navigation(turn: Turn, back: str | None) -> list[Button]:
    _ = turn._
    row = []
    if back and back != act(Verb.MENU):  # "Back" to the menu beside "Menu" would be the same button twice
        row.append(Button(_("⬅️ Back"), action=back))
    row.append(Button(_("🏠 Menu"), action=act(Verb.MENU)))
    row.append(Button(_("🆘 SOS"), action=act(Verb.EMERGENCY)))
    return row


def pairs(buttons: Sequence[Button]) -> list[list[Button]]:
    """Two buttons a row: labels in a dozen scripts stay readable on a narrow phone."""
    return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


def place_name(turn: Turn, place: Place) -> str:
    return turn.pick(place.names)


def country_name(turn: Turn, code: str) -> str:
    return turn.translator.country_name(code, turn.lang)


def where(turn: Turn) -> str:
    place = turn.place
    if place is None:
        return ""
    return f"{place_name(turn, place)}, {country_name(turn, place.country)}"


# ---- language and place -------------------------------------------------------------------------


def language_picker(turn: Turn, first: str | None) -> Reply:
    _ = turn._
    languages = list(turn.translator.languages())
    if first in languages:
        languages.remove(first)
        languages.insert(0, first)
    buttons = [Button(turn.translator.language_name(code), action=act(Verb.LANGUAGE, code)) for code in languages]
    rows = pairs(buttons)
    # Emergency numbers must be one tap away even before a language is chosen.
    rows.append([Button("🆘 SOS", action=act(Verb.EMERGENCY))])
    if not turn.is_new and turn.state.language and turn.state.place:
        rows.append([Button(_("🏠 Menu"), action=act(Verb.MENU))])
    text = _("👋 Welcome to Putokaz, a guide for refugees and migrants in Serbia, North Macedonia and Bulgaria.")
    choose = _("Choose your language")
    return turn.reply(f"{text}\n\n🌐 **{choose}**", rows)


def country_picker(turn: Turn) -> Reply:
    _ = turn._
    buttons = [
        Button(f"{FLAGS.get(c.code, '')} {country_name(turn, c.code)}".strip(), action=act(Verb.COUNTRY, c.code))
        for c in turn.content.countries()
    ]
    rows: list[list[Button]] = [[b] for b in buttons]
    rows.append([Button(_("📍 Share my location"), action=act(Verb.LOCATE))])
    rows.append(navigation(turn, act(Verb.LANGUAGES)))
    title, hint = _("Where are you?"), _("Choose a country, or share your location.")
    return turn.reply(f"📍 **{title}**\n\n{hint}", rows)


def place_picker(turn: Turn, country: Country) -> Reply:
    _ = turn._
    places = sorted(turn.content.places(country.code), key=lambda p: place_name(turn, p).casefold())
    buttons = [Button(place_name(turn, p), action=act(Verb.PLACE, p.id)) for p in places]
    rows = pairs(buttons)
    rows.append(navigation(turn, act(Verb.COUNTRIES)))
    title = f"{FLAGS.get(country.code, '')} {country_name(turn, country.code)}".strip()
    hint = _("Choose the town or municipality you are in or near.")
    return turn.reply(f"**{escape(title)}**\n\n{hint}", rows)


def location_request(turn: Turn, *, for_services: bool = False) -> Reply:
    _ = turn._
    if for_services:
        text = _("Tap the button below to send your location. It is used once to find the services nearest to "
                 "you and is not stored.")
    else:
        text = _("Tap the button below to send your location. It is used once to find the nearest town "
                 "and is not stored.")
    return turn.reply(text, [[Button(_("📍 Send my location"))]], request_location=True)


# ---- menu ---------------------------------------------------------------------------------------------


def menu(turn: Turn) -> Reply:
    _ = turn._
    buttons = [
        Button(_("⚖️ Legal status"), action=act(Verb.SECTION, "legal")),
        Button(_("🏥 Services"), action=act(Verb.SERVICES)),
        Button(_("📅 Events"), action=act(Verb.EVENTS)),
        Button(_("❓ Ask a question"), action=act(Verb.ASK)),
        Button(_("🆘 Emergency"), action=act(Verb.EMERGENCY)),
        Button(_("🌐 Language"), action=act(Verb.LANGUAGES)),
        Button(_("📍 Place"), action=act(Verb.COUNTRIES)),
        Button(_("🔒 Privacy"), action=act(Verb.PRIVACY)),
    ]
    title, question = _("Menu"), _("What do you need?")
    text = f"🏠 **{title}** · {escape(where(turn))}\n\n{question}"
    return turn.reply(text, pairs(buttons))


def help_text(turn: Turn) -> Reply:
    _ = turn._
    lines = [
        "**" + _("Putokaz helps you find your way: legal steps, services and emergency numbers where you are.") + "**",
        "",
        _("Use the buttons, or type a question in your own words. Commands:"),
        "",
        "- /menu: " + _("the main menu"),
        "- /sos: " + _("emergency numbers"),
        "- /language: " + _("change the language"),
        "- /place: " + _("change the place"),
        "- /events: " + _("what is on near you"),
        "- /subscribe, /unsubscribe: " + _("news of new events here, or no more"),
        "- /privacy: " + _("what the bot stores"),
        "- /forget: " + _("erase everything the bot stores about you"),
    ]
    rows = [[Button(_("ℹ️ About Putokaz"), action=act(Verb.SECTION, "about"))], navigation(turn, None)]
    return turn.reply("\n".join(lines), rows)


# ---- articles -------------------------------------------------------------------------------------------


def section_list(turn: Turn, section: str) -> Reply:
    _ = turn._
    sections = LEGAL_SECTIONS if section == "legal" else (section,)
    rows: list[list[Button]] = []
    for name in sections:
        for article in turn.content.articles(name, turn.country, turn.state.place):
            shown = turn.content.article(article.id, turn.languages()) or article
            rows.append([Button(shown.title, action=act(Verb.ARTICLE, article.id))])
    title = _(SECTIONS[section])
    header = f"**{escape(title)}**" + (f" · {escape(where(turn))}" if turn.country else "")
    if not rows:
        text = header + "\n\n" + _("There is no page here for your place yet. Try Services or ask a question.")
    else:
        text = header + "\n\n" + _("Choose a page:")
    rows.append(navigation(turn, act(Verb.MENU)))
    return turn.reply(text, rows)


def article_page(turn: Turn, source: Article) -> Reply:
    _ = turn._
    article = turn.content.article(source.id, turn.languages()) or source
    parts = []
    if article.language != turn.lang and article.language == "en" and turn.lang != "en":
        parts.append("ℹ️ " + _("This page is not translated into your language yet, so it is shown in English."))
    elif article.translation == "machine":
        parts.append("ℹ️ " + _("This page was translated by a machine and has not been checked by a person yet."))
    parts.append(f"**{escape(article.title)}**")
    parts.append(article.body.strip())
    sources = "; ".join(escape(s) for s in article.sources)
    parts.append("*" + _("Sources:") + f" {sources}. " + _("Last reviewed:") + f" {article.last_reviewed.isoformat()}*")
    rows = []
    for related_id in article.related:
        related = turn.content.article(related_id, turn.languages())
        if related is not None and related.applies_to(turn.country, turn.state.place):
            rows.append([Button("📄 " + related.title, action=act(Verb.ARTICLE, related_id))])
    back = act(Verb.SECTION, "legal" if source.section in LEGAL_SECTIONS else source.section)
    if source.section == "privacy":
        back = act(Verb.MENU)
    elif source.section == "emergency":
        back = act(Verb.EMERGENCY)
    rows.append(navigation(turn, back))
    reply = turn.reply("\n\n".join(parts), rows)
    # An English page shown to an Arabic reader still reads left to right.
    return dataclasses.replace(reply, language=article.language) if article.language != turn.lang else reply


# ---- services ---------------------------------------------------------------------------------------------


def service_categories(turn: Turn) -> Reply:
    _ = turn._
    place = turn.place
    assert place is not None
    buttons = []
    for category, label in CATEGORIES.items():
        count = len(turn.content.services(place.id, category))
        if count:
            buttons.append(Button(_(label) + f" ({count})", action=act(Verb.CATEGORY, category)))
    title = _("Services")
    if buttons:
        text = f"🏥 **{title}** · {escape(where(turn))}\n\n" + _("What kind of help do you need?")
    else:
        text = f"🏥 **{title}** · {escape(where(turn))}\n\n" + _(
            "No services are listed for this place yet. Try a nearby town, or ask a question.")
    rows = [[b] for b in buttons]
    rows.append([Button(_("🧭 Nearest to me"), action=act(Verb.NEAREST)),
                 Button(_("📍 Change place"), action=act(Verb.COUNTRIES))])
    rows.append(navigation(turn, act(Verb.MENU)))
    return turn.reply(text, rows)


def service_entry(turn: Turn, service: Service) -> str:
    _ = turn._
    lines = [f"**{escape(turn.pick(service.names))}**"]
    note = STATUS_NOTES.get(service.status)
    if note:
        lines.append(_(note))
    description = turn.pick(service.descriptions)
    if description:
        lines.append(escape(description))
    if service.address:
        lines.append("📍 " + escape(service.address))
    if service.phones:
        lines.append("📞 " + ", ".join(phone(p) for p in service.phones))
    if service.hours:
        lines.append("🕒 " + escape(opening_hours(turn, service.hours)))
    if service.languages:
        lines.append("🗣 " + ", ".join(_language_label(turn, code) for code in service.languages))
    if service.url:
        lines.append("🔗 " + service.url)
    lines.append("*" + _("Source:") + f" {escape(service.source)}, " + _("checked") +
                 f" {service.last_verified.isoformat()}*")
    return "  \n".join(lines)


def opening_hours(turn: Turn, hours: Sequence[OpeningHours]) -> str:
    """ "Mon–Fri 08:30–16:30; Sat 10:00–14:00" with the reader's weekday names and time pattern (CLDR)."""
    _ = turn._
    spans = []
    for span in hours:
        if span.all_day and len(set(span.days)) == 7:
            spans.append(_("Open day and night, every day"))
            continue
        days = _("Every day") if len(set(span.days)) == 7 else weekdays(turn, span.days)
        times = _("day and night") if span.all_day else turn.translator.time_range(span.opens, span.closes, turn.lang)
        spans.append(f"{days} {times}")
    return "; ".join(spans)


def weekdays(turn: Turn, days: Sequence[int]) -> str:
    """Runs of three or more days as a range ("Mon–Fri"), the others one by one ("Sat, Sun")."""
    names = turn.translator.weekday_names(turn.lang)
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[day] for day in run)
    return ", ".join(parts)


def _language_label(turn: Turn, code: str) -> str:
    return turn.translator.language_name(code) if code in turn.translator.languages() else code


def service_list(turn: Turn, category: str) -> Reply:
    _ = turn._
    place = turn.place
    assert place is not None
    services = turn.content.services(place.id, category)
    header = f"**{escape(_(CATEGORIES[category]))}** · {escape(where(turn))}"
    entries = [service_entry(turn, s) for s in services]
    if not entries:
        entries = [_("Nothing is listed in this category here.")]
    rows = [map_buttons(turn, service) for service in services]
    if services:
        rows.append([Button(_("🧭 Nearest to me"), action=act(Verb.NEAREST, category))])
    rows.append(navigation(turn, act(Verb.SERVICES)))
    return turn.reply("\n\n".join([header, *entries]), rows)


def nearest_services(turn: Turn, found: Sequence[Nearby], category: str | None) -> Reply:
    """The services nearest to a shared location, each with its distance."""
    _ = turn._
    title = _("Nearest to you")
    header = f"📍 **{escape(title)}**"
    if category is not None:
        header += f" · {escape(_(CATEGORIES[category]))}"
    entries = [f"📏 {distance(turn, near)}  \n{service_entry(turn, near.service)}" for near in found]
    if not entries:
        entries = [_("Nothing is listed in this category here.")]
    elif not all(near.exact for near in found):
        entries.insert(0, "*" + _("Distances are in a straight line. Where a service's own position is not known, "
                                  "the distance is to the centre of its town.") + "*")
    rows = [map_buttons(turn, near.service) for near in found]
    rows.append(navigation(turn, act(Verb.SERVICES)))
    return turn.reply("\n\n".join([header, *entries]), rows)


def distance(turn: Turn, near: Nearby) -> str:
    """ "3 km away", or "12 km away (to the centre of Šid)" when the service's own position is not known."""
    _ = turn._
    if near.km < 1:
        shown = _("less than 1 km away")
    else:
        shown = _("{km} km away").replace("{km}", f"{near.km:.0f}")
    if near.exact:
        return shown
    place = turn.content.place(near.service.place)
    town = place_name(turn, place) if place is not None else near.service.place
    return shown + " " + _("(to the centre of {place})").replace("{place}", escape(town))


OSM = "https://www.openstreetmap.org/"


def map_buttons(turn: Turn, service: Service) -> list[Button]:
    """A map link for every service that can be found on one: its point, or a search for its address."""
    _ = turn._
    name = turn.pick(service.names)
    label = "🗺 " + (name if len(name) <= 32 else name[:31] + "…")
    if service.location is not None:
        lat, lon = f"{service.location.lat:.5f}", f"{service.location.lon:.5f}"
        return [Button(label, url=f"{OSM}?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"),
                Button(_("📍 Pin"), action=act(Verb.PIN, service.id))]
    if service.address:
        return [Button(label, url=f"{OSM}search?query={quote(service.address, safe='')}")]
    return []


def service_page(turn: Turn, service: Service) -> Reply:
    """One service on its own, from a search result."""
    rows = [map_buttons(turn, service), navigation(turn, act(Verb.SERVICES))]
    return turn.reply(service_entry(turn, service), rows)


def service_pin(turn: Turn, service: Service) -> Reply:
    """A map pin with the service's name and address, for the channel's own map (Telegram's venue)."""
    assert service.location is not None
    name = turn.pick(service.names)
    return turn.reply("", [navigation(turn, act(Verb.SERVICES))], location=service.location,
                      location_title=name, location_address=service.address)


# ---- emergency ---------------------------------------------------------------------------------------------


def hotline_line(turn: Turn, hotline: Hotline) -> str:
    _ = turn._
    label = _(HOTLINE_KINDS[hotline.kind]) if hotline.kind in HOTLINE_KINDS else turn.pick(hotline.names)
    if hotline.names and hotline.kind in HOTLINE_KINDS:
        label = turn.pick(hotline.names)
    line = f"- {escape(label)}: **{phone(hotline.number)}**"
    note = turn.pick(hotline.notes) if hotline.notes else ""
    if note:
        line += f" ({escape(note)})"
    return line


def emergency(turn: Turn) -> Reply:
    _ = turn._
    country = turn.content.country(turn.country) if turn.country else None
    countries = [country] if country else list(turn.content.countries())
    parts = ["🆘 **" + _("Emergency") + "**", _("If you or someone else is in danger, call now.")]
    for item in countries:
        title = f"{FLAGS.get(item.code, '')} **{escape(country_name(turn, item.code))}**".strip()
        parts.append(title + "\n" + "\n".join(hotline_line(turn, h) for h in item.numbers))
    rows: list[list[Button]] = []
    if country is not None:
        # What to say, which line for what, and the caveats (Serbia's 112): the country's emergency pages.
        for source in turn.content.articles("emergency", country.code, turn.state.place):
            article = turn.content.article(source.id, turn.languages()) or source
            rows.append([Button("📄 " + article.title, action=act(Verb.ARTICLE, source.id))])
    if turn.state.language is None:
        rows.append([Button("🌐 Language / Jezik / اللغة", action=act(Verb.LANGUAGES))])
        rows.append([Button(_("🏠 Menu"), action=act(Verb.MENU))])
    else:
        rows.append([Button(_("🏠 Menu"), action=act(Verb.MENU))])
    return turn.reply("\n\n".join(parts), rows)


# What to say first, and which lines to give, when a message signals danger (content/alerts.yaml).
PROTECTION = {
    "self-harm": (N_("💛 You are not alone, and you deserve help. If you might hurt yourself, please call now:"),
                  ("emergency", "ambulance")),
    "violence": (N_("💛 If you are in danger now, call the police. These lines can help:"),
                 ("police", "emergency", "violence", "women")),
    "sexual-violence": (N_("💛 What happened is not your fault. You can get help and medical care. Call:"),
                        ("police", "emergency", "ambulance", "women", "violence")),
    "trafficking": (N_("💛 If someone forces you to work, takes your documents or does not let you leave, "
                       "you can get help. Call:"), ("trafficking", "police", "emergency")),
    "child": (N_("💛 If a child is alone or in danger, call:"),
              ("children", "missing-children", "police", "emergency")),
}


def protection(turn: Turn, category: str, question: int | None = None) -> Reply:
    """A calm first answer to a message that signals danger: the lines for it, most urgent first, in one tap."""
    _ = turn._
    opening, kinds = PROTECTION[category]
    country = turn.content.country(turn.country) if turn.country else None
    countries = [country] if country else list(turn.content.countries())
    parts = [_(opening)]
    for item in countries:
        lines = [hotline_line(turn, h) for kind in kinds for h in item.numbers if h.kind == kind]
        title = f"{FLAGS.get(item.code, '')} **{escape(country_name(turn, item.code))}**".strip()
        parts.append(title + "\n" + "\n".join(lines))
    rows: list[list[Button]] = [[Button(_("🆘 All emergency numbers"), action=act(Verb.EMERGENCY))]]
    if question is not None and turn.place is not None:
        rows.append([Button(_("👤 Talk to a person of the local network"), action=act(Verb.HANDOFF, str(question)))])
    if country is not None:
        for source in turn.content.articles("emergency", country.code, turn.state.place):
            article = turn.content.article(source.id, turn.languages()) or source
            rows.append([Button("📄 " + article.title, action=act(Verb.ARTICLE, source.id))])
    rows.append([Button(_("🏠 Menu"), action=act(Verb.MENU))])
    return turn.reply("\n\n".join(parts), rows)


# ---- questions and privacy ---------------------------------------------------------------------------------


def ask_prompt(turn: Turn) -> Reply:
    _ = turn._
    text = _("❓ Write your question in your own words, in any language, and send it. "
             "Do not write your name, phone number or documents' numbers.")
    return turn.reply(text, [navigation(turn, act(Verb.MENU))])


def search_results(turn: Turn, found: Sequence[Hit], question: int | None = None) -> Reply:
    _ = turn._
    rows: list[list[Button]] = []
    if found:
        lines = [_("📄 These pages may help:")]
        for hit in found:
            icon, verb = ("📄", Verb.ARTICLE) if hit.kind == "article" else ("🏥", Verb.SERVICE)
            lines.append(f"- **{escape(hit.title)}**" + (f": {escape(hit.snippet)}" if hit.snippet else ""))
            rows.append([Button(f"{icon} {hit.title}", action=act(verb, hit.id))])
        text = "\n".join(lines)
        if question is not None:
            rows.append([Button("👍", action=act(Verb.HELPFUL, str(question))),
                         Button("👎", action=act(Verb.NOT_HELPFUL, str(question)))])
            rows.append([Button(_("👤 None of these helps: ask a person"), action=act(Verb.HANDOFF, str(question)))])
    else:
        text = _("I did not find a page about this. Free legal aid and other help near you are under Services; "
                 "in danger, press SOS.")
        if turn.place is not None:
            rows.append([Button(_("⚖️ Legal aid"), action=act(Verb.CATEGORY, "legal-aid"))])
            if question is not None:
                rows.append([Button(_("👤 Ask a person"), action=act(Verb.HANDOFF, str(question)))])
    rows.append(navigation(turn, act(Verb.MENU)))
    return turn.reply(text, rows)


def forget_prompt(turn: Turn) -> Reply:
    _ = turn._
    text = _("🗑 Erase everything Putokaz stores about you: your language and place. "
             "This cannot be undone. Erase now?")
    rows = [[Button(_("Yes, erase"), action=act(Verb.FORGET_CONFIRMED)), Button(_("No"), action=act(Verb.MENU))]]
    return turn.reply(text, rows)


def forgotten(turn: Turn) -> Reply:
    _ = turn._
    text = _("✅ Done. Putokaz no longer stores anything about you. Send /start to begin again.")
    return turn.reply(text, [[Button("🌐 Language / Jezik / اللغة", action=act(Verb.LANGUAGES))]])


# ---- coordinators ----------------------------------------------------------------------------------------

TOPIC_NAMES = {
    "legal": N_("legal questions"),
    "health": N_("health"),
    "shelter": N_("shelter and accommodation"),
    "education": N_("school and education"),
    "work": N_("work"),
    "protection": N_("protection and safety"),
    "other": N_("other questions"),
    "all": N_("all topics"),
}


def _where_and_what(turn: Turn, coordinator: Coordinator) -> str:
    _ = turn._
    places = []
    for code in coordinator.places:
        place = turn.content.place(code)
        places.append(place_name(turn, place) if place else country_name(turn, code) if len(code) == 2 else code)
    topics = [_(TOPIC_NAMES[t]) if t in TOPIC_NAMES else t for t in coordinator.topics]
    return (_("Places:") + " " + escape(", ".join(places)) + "\n" + _("Topics:") + " " + escape(", ".join(topics)))


def coordinator_welcome(turn: Turn, coordinator: Coordinator) -> Reply:
    _ = turn._
    text = ("✅ " + _("You are registered as a coordinator of the local network, {name}.").replace(
        "{name}", escape(coordinator.name)) + "\n\n" + _where_and_what(turn, coordinator) + "\n\n" +
        _("Questions from refugees in these places and topics will be sent to this chat. You will never see their "
          "name, username or phone number."))
    return turn.reply(text)


def coordinator_help(turn: Turn, coordinator: Coordinator) -> Reply:
    _ = turn._
    text = ("🧑‍💼 **" + _("Coordinator") + f"** · {escape(coordinator.name)}\n\n" + _where_and_what(turn, coordinator)
            + "\n\n" + _("Questions for you arrive in this chat. To change your places or topics, ask the person who "
                           "invited you."))
    return turn.reply(text)
