"""What refugees and coordinators see of a case: the handoff, the confirmation, the thread, the answers."""

from __future__ import annotations

from bot.core.actions import Verb, act
from bot.core.markup import escape
from bot.core.model import TOPICS, Button, Case, Coordinator, Reply
from bot.core.screens import N_, TOPIC_NAMES, Turn, navigation, place_name

# The topics a refugee picks from, in their words.
TOPIC_LABELS = {
    "legal": N_("⚖️ Asylum, papers, the law"),
    "health": N_("🏥 Health"),
    "shelter": N_("🏠 Shelter and accommodation"),
    "education": N_("🎓 School and education"),
    "work": N_("💼 Work"),
    "protection": N_("🛡 Safety and protection"),
    "other": N_("💬 Something else"),
}


def _where(turn: Turn, place_id: str) -> str:
    place = turn.content.place(place_id)
    return place_name(turn, place) if place is not None else place_id


def topic_picker(turn: Turn, question: int) -> Reply:
    _ = turn._
    rows = [[Button(_(TOPIC_LABELS[t]), action=act(Verb.TOPIC, f"{question}-{t}"))] for t in TOPICS]
    rows.append(navigation(turn, act(Verb.MENU)))
    return turn.reply("👤 " + _("A person of the local network can answer. What is your question about?"), rows)


def confirm(turn: Turn, question: int, topic: str, text: str) -> Reply:
    _ = turn._
    who = _("a support worker of the local network in {place}").replace("{place}", escape(_where(turn, turn.state.place or "")))
    lines = [_("This will be sent to {who}. They will not see your name, username or phone number:").replace("{who}", who),
             "", "> " + escape(text).replace("\n", "\n> "), "",
             _("Personal details such as phone and document numbers were removed. Send it?")]
    rows = [[Button(_("✅ Send"), action=act(Verb.SEND_CASE, f"{question}-{topic}")),
             Button(_("✖️ Cancel"), action=act(Verb.MENU))]]
    return turn.reply("\n".join(lines), rows)


def opened(turn: Turn, case: Case) -> Reply:
    _ = turn._
    text = ("✅ " + _("Sent. Your case number is {number}.").replace("{number}", str(case.number)) + "\n\n" +
            _("A support worker of the local network answers when they are free; it can take a day or more. "
              "The answer will come here. You can write more below; /menu leaves the conversation without closing it."))
    return turn.reply(text, [navigation(turn, None)])


def nobody(turn: Turn) -> Reply:
    _ = turn._
    text = _("No support worker of a local network is registered for your place and question yet, so I cannot send "
             "it. Free legal aid and emergency numbers are below; they can help now.")
    rows = [[Button(_("⚖️ Legal aid"), action=act(Verb.CATEGORY, "legal-aid"))], navigation(turn, None)]
    return turn.reply(text, rows)


def added(turn: Turn, case: Case) -> Reply:
    _ = turn._
    return turn.reply(_("Added to case {number}. The support worker will see it.").replace("{number}", str(case.number)),
                      [navigation(turn, None)])


def for_coordinator(turn: Turn, case: Case, *, new: bool) -> Reply:
    """A case as a coordinator sees it: number, place, topic, language, time and thread; nobody's identity."""
    _ = turn._
    head = ("🆘 " if case.urgent else "📨 ") + _("Case {number}").replace("{number}", str(case.number))
    place = _where(turn, case.place)
    facts = " · ".join([escape(place), escape(_(TOPIC_NAMES.get(case.topic, case.topic))),
                        escape(turn.translator.language_name(case.language)), case.created.strftime("%Y-%m-%d %H:%M UTC")])
    thread = []
    for author, text in case.messages:
        who = _("Refugee") if author == "refugee" else _("Coordinator")
        thread.append(f"**{escape(who)}:** {escape(text)}")
    rows = []
    if case.status in ("open", "taken"):
        row = [Button(_("↩️ Reply"), action=act(Verb.ANSWER_CASE, str(case.number)))]
        if case.status == "open":
            row.append(Button(_("✋ Take"), action=act(Verb.TAKE_CASE, str(case.number))))
        row.append(Button(_("✅ Close"), action=act(Verb.CLOSE_CASE, str(case.number))))
        rows.append(row)
    hint = _("Reply with /reply {number} and your answer.").replace("{number}", str(case.number))
    text = f"**{escape(head)}** · {facts}\n\n" + "\n".join(thread) + f"\n\n*{escape(hint)}*"
    return turn.reply(text, rows)


def answer_for_refugee(turn: Turn, case: Case) -> Reply:
    _ = turn._
    last = next((text for author, text in reversed(case.messages) if author != "refugee"), "")
    head = _("💬 Answer from a support worker of the local network (case {number}):").replace("{number}", str(case.number))
    rows = [[Button(_("↩️ Reply"), action=act(Verb.REPLY_CASE, str(case.number)))], navigation(turn, None)]
    return turn.reply(f"**{escape(head)}**\n\n{escape(last)}", rows)


def closed_for_refugee(turn: Turn, case: Case) -> Reply:
    _ = turn._
    text = _("Case {number} is closed. Did the answer help you?").replace("{number}", str(case.number))
    rows = [[Button("👍", action=act(Verb.CASE_HELPED, str(case.number))),
             Button("👎", action=act(Verb.CASE_NOT_HELPED, str(case.number)))], navigation(turn, None)]
    return turn.reply(text, rows)


def coordinator_note(turn: Turn, text: str) -> Reply:
    return turn.reply(text)


def case_list(turn: Turn, found: list[Case], coordinator: Coordinator) -> list[Reply]:
    _ = turn._
    if not found:
        return [turn.reply(_("No open cases for you now."))]
    return [for_coordinator(turn, case, new=False) for case in found]


def withdrawn_for_coordinator(turn: Turn, case: Case) -> Reply:
    _ = turn._
    return turn.reply("↩️ " + _("Case {number} was withdrawn: the person erased their data with /forget. No answer "
                               "can reach them any more.").replace("{number}", str(case.number)))


def taken_for_coordinator(turn: Turn, case: Case) -> Reply:
    _ = turn._
    return turn.reply("👍 " + _("Case {number} was taken by a colleague.").replace("{number}", str(case.number)))


def undeliverable_for_coordinator(turn: Turn, case: Case) -> Reply:
    _ = turn._
    return turn.reply("⚠️ " + _("Case {number}: the answer could not be delivered, because the person blocked the bot "
                               "or deleted the chat. The case is closed.").replace("{number}", str(case.number)))


def idle_for_refugee(turn: Turn, case: Case) -> Reply:
    _ = turn._
    text = _("Case {number} was closed because nothing happened in it for a long time. If you still need help, "
             "ask again.").replace("{number}", str(case.number))
    return turn.reply(text, [navigation(turn, None)])


def unreachable(turn: Turn) -> Reply:
    _ = turn._
    text = _("A person of the local network can answer you only on Telegram or Viber: an answer written later cannot "
             "reach this web chat. Free legal aid can help you now.")
    rows = [[Button(_("⚖️ Legal aid"), action=act(Verb.CATEGORY, "legal-aid"))], navigation(turn, None)]
    return turn.reply(text, rows)
