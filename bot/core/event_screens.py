"""What people see of events: the list for their place and country, one event, event news and reminders."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.actions import Verb, act
from bot.core.markup import escape
from bot.core.model import (
    EVENT_CATEGORIES,
    Button,
    Document,
    Event,
    Reply,
    Subscription,
)
from bot.core.screens import N_, Turn, country_name, navigation, place_name, where

PAGE_SIZE = 5
CATEGORY_LABELS = {
    "training": N_("🎓 Trainings"),
    "language-class": N_("🗣 Language classes"),
    "legal-info": N_("⚖️ Legal information"),
    "health": N_("🏥 Health"),
    "community": N_("🤝 Community days"),
    "children": N_("🧒 For children"),
}
assert set(CATEGORY_LABELS) == set(EVENT_CATEGORIES)


def _place(turn: Turn, place_id: str) -> str:
    place = turn.content.place(place_id)
    return place_name(turn, place) if place is not None else place_id


def _when(turn: Turn, event: Event) -> str:
    return turn.translator.event_when(event.starts, event.ends, turn.lang)


def _example(turn: Turn) -> str:
    return "🧪 " + turn._("Example: not a real event. It shows editors how an event looks.")


def event_list(turn: Turn, here: Sequence[Event], elsewhere: Sequence[Event], page: int,
               subscribed: bool, *, news: bool = True) -> Reply:
    """Upcoming events of the person's place, then of the rest of the country, five a page."""
    _ = turn._
    listed = [*here, *elsewhere]
    pages = max(1, -(-len(listed) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = listed[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    lines = ["📅 **" + _("Events") + f"** · {escape(where(turn))}"]
    rows: list[list[Button]] = []
    if not listed:
        lines.append(_("No events are listed here or elsewhere in the country for the coming weeks. Services lists "
                       "language classes and other regular help."))
        rows.append([Button(_("🏥 Services"), action=act(Verb.SERVICES))])
    heading = None
    for number, event in enumerate(shown, (page - 1) * PAGE_SIZE + 1):
        section = _("In {place}:").replace("{place}", escape(_place(turn, turn.state.place or ""))) \
            if event in here else _("Elsewhere in {country}:").replace(
                "{country}", escape(country_name(turn, turn.country or "")))
        if section != heading:
            lines.append(f"**{section}**")
            heading = section
        title = turn.pick(event.titles)
        entry = [f"{number}. **{escape(title)}**", "🗓 " + escape(_when(turn, event)),
                 "📍 " + escape(", ".join(dict.fromkeys([event.venue, *(_place(turn, p) for p in event.places)])))]
        if event.example:
            entry.append(_example(turn))
        lines.append("\n".join(entry))
        rows.append([Button(f"{number}. {title}", action=act(Verb.EVENT, event.id))])
    if pages > 1:
        turning = []
        if page > 1:
            turning.append(Button("◀ " + str(page - 1), action=act(Verb.EVENTS, str(page - 1))))
        if page < pages:
            turning.append(Button(str(page + 1) + " ▶", action=act(Verb.EVENTS, str(page + 1))))
        rows.append(turning)
    if subscribed:
        rows.append([Button(_("🔔 Event news: change"), action=act(Verb.SUBSCRIBE))])
    elif news:
        rows.append([Button(_("🔔 Tell me about new events here"), action=act(Verb.SUBSCRIBE))])
    rows.append(navigation(turn, act(Verb.MENU)))
    return turn.reply("\n\n".join(lines), rows)


def event_page(turn: Turn, event: Event) -> Reply:
    """One event in full, with its map pin, a calendar file and a reminder to ask for."""
    _ = turn._
    lines = ["📅 **" + escape(turn.pick(event.titles)) + "**"]
    if event.example:
        lines.append(_example(turn))
    facts = ["🗓 " + escape(_when(turn, event)) + " " + _("(local time)"),
             "📍 " + escape(event.venue) + (f", {escape(event.address)}" if event.address else ""),
             "👥 " + escape(event.organiser)]
    if event.capacity:
        facts.append("🪑 " + escape(turn.pick(event.capacity)))
    if event.registration:
        facts.append("📝 " + _("Registration:") + " " + event.registration)
    lines.append("\n".join(facts))
    lines.append(escape(turn.pick(event.descriptions)))
    lines.append("_" + _("Source: {source}, checked {date}").replace("{source}", escape(event.source)).replace(
        "{date}", event.last_verified.isoformat()) + "_")
    rows = [[Button(_("📅 Add to calendar"), action=act(Verb.CALENDAR, event.id))],
            [Button(_("⏰ Remind me the day before"), action=act(Verb.REMIND, event.id))]]
    if event.location is not None:
        rows[0].append(Button(_("🗺 Map"), action=act(Verb.EVENT_PIN, event.id)))
    rows.append(navigation(turn, act(Verb.EVENTS)))
    return turn.reply("\n\n".join(lines), rows)


def event_pin(turn: Turn, event: Event) -> Reply:
    assert event.location is not None
    return turn.reply("", [navigation(turn, act(Verb.EVENT, event.id))], location=event.location,
                      location_title=turn.pick(event.titles), location_address=event.address or event.venue)


def calendar_file(turn: Turn, event: Event, data: bytes) -> Reply:
    _ = turn._
    text = "📅 " + _("Open the file to add “{title}” to your phone's calendar.").replace(
        "{title}", escape(turn.pick(event.titles)))
    document = Document(name=f"{event.id}.ics", mime="text/calendar", data=data,
                        path=f"/events/{event.id}.ics?lang={turn.lang}")
    return turn.reply(text, [navigation(turn, act(Verb.EVENT, event.id))], document=document)


def reminder_set(turn: Turn, event: Event, *, new: bool) -> Reply:
    _ = turn._
    text = ("⏰ " + _("I will remind you the day before “{title}”.") if new
            else "⏰ " + _("You asked already: I will remind you the day before “{title}”."))
    return turn.reply(text.replace("{title}", escape(turn.pick(event.titles))),
                      [navigation(turn, act(Verb.EVENT, event.id))])


def too_late_to_remind(turn: Turn, event: Event) -> Reply:
    text = "⏰ " + turn._("“{title}” starts in less than a day: there is no time left for a reminder.")
    return turn.reply(text.replace("{title}", escape(turn.pick(event.titles))),
                      [navigation(turn, act(Verb.EVENT, event.id))])


def subscriptions(turn: Turn, mine: Sequence[Subscription]) -> Reply:
    """What event news the person gets for their place, to choose from."""
    _ = turn._
    place = turn.state.place or ""
    chosen = {s.category for s in mine if s.place == place}
    text = ("🔔 **" + _("Event news") + f"** · {escape(where(turn))}\n\n" + _(
        "Choose what you want to hear about. When a new event of that kind is added here, I send you a message. "
        "Stop at any time with /unsubscribe."))
    def mark(category: str) -> str:
        return "✅ " if category in chosen else ""
    rows = [[Button(mark("all") + _("All events"), action=act(Verb.SUBSCRIBE, "all"))]]
    for category in EVENT_CATEGORIES:
        rows.append([Button(mark(category) + _(CATEGORY_LABELS[category]), action=act(Verb.SUBSCRIBE, category))])
    if mine:
        rows.append([Button(_("🔕 Stop all event news"), action=act(Verb.UNSUBSCRIBE))])
    rows.append(navigation(turn, act(Verb.EVENTS)))
    return turn.reply(text, rows)


def subscribed(turn: Turn, category: str) -> Reply:
    _ = turn._
    what = _("all events") if category == "all" else _(CATEGORY_LABELS[category])
    text = "✅ " + _("Done: I will tell you about new events in {place}: {what}.").replace(
        "{place}", escape(_place(turn, turn.state.place or ""))).replace("{what}", what)
    return turn.reply(text, [[Button(_("🔔 Event news: change"), action=act(Verb.SUBSCRIBE))],
                             navigation(turn, act(Verb.EVENTS))])


def unsubscribed(turn: Turn, stopped: int) -> Reply:
    _ = turn._
    text = ("🔕 " + _("Done: no more event news.") if stopped
            else "🔕 " + _("You were not getting event news."))
    return turn.reply(text, [navigation(turn, act(Verb.EVENTS))])


def unreachable(turn: Turn) -> Reply:
    text = turn._("Event news and reminders come as messages, which this web chat cannot receive. Open Putokaz on "
                  "Telegram or Viber for them.")
    return turn.reply(text, [navigation(turn, act(Verb.EVENTS))])


def no_news_here(turn: Turn) -> Reply:
    text = turn._("Event news are not sent on this messenger, where each message costs the local network money. "
                  "Look at Events from time to time, or ask for a reminder of one event.")
    return turn.reply(text, [navigation(turn, act(Verb.EVENTS))])


def announcement(turn: Turn, event: Event) -> Reply:
    """A new event, to a subscriber: short, with the way to the details and the way out."""
    _ = turn._
    lines = ["🔔 **" + _("New event") + f"** · {escape(', '.join(_place(turn, p) for p in event.places))}",
             "**" + escape(turn.pick(event.titles)) + "**\n🗓 " + escape(_when(turn, event)) + "\n📍 "
             + escape(event.venue)]
    if event.example:
        lines.append(_example(turn))
    lines.append(escape(turn.pick(event.descriptions)))
    rows = [[Button(_("📅 Details"), action=act(Verb.EVENT, event.id))],
            [Button(_("🔕 Stop event news"), action=act(Verb.UNSUBSCRIBE))]]
    return turn.reply("\n\n".join(lines), rows)


def reminder(turn: Turn, event: Event) -> Reply:
    _ = turn._
    text = ("⏰ **" + _("Reminder") + "** · " + escape(turn.pick(event.titles)) + "\n\n🗓 " + escape(_when(turn, event))
            + "\n📍 " + escape(event.venue) + (f", {escape(event.address)}" if event.address else ""))
    rows = [[Button(_("📅 Details"), action=act(Verb.EVENT, event.id))]]
    if event.location is not None:
        rows[0].append(Button(_("🗺 Map"), action=act(Verb.EVENT_PIN, event.id)))
    return turn.reply(text, rows)
