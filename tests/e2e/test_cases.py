"""A refugee's question reaches the local network and the answer comes back: end to end, several chats, over the
real webhook, the outbox and the fake Bot API (issue 5)."""

from __future__ import annotations

import asyncio
import re

from bot.app import RUNTIME
from tests.e2e.test_telegram import TelegramPerson, buttons, visible

SID_WORKER, BELGRADE_WORKER, COUNTRY_WORKER, REFUGEE, STRANGER = 71, 72, 73, 987654321987, 80


async def registered(client, fake_api, user_id, name, places, topics, languages=()):
    registry = client.server.app[RUNTIME].engine._coordinators
    _, code = await registry.invite(name, places, topics, languages)
    person = TelegramPerson(client, fake_api, user_id=user_id)
    await person.text(f"/coordinator {code}")
    return person


async def ask_a_person(refugee, place: str, question: str, topic: str):
    """A refugee at `place` asks a person with /ask, picks the topic and confirms: the bot's last answer."""
    await refugee.text(f"/start {refugee.language_code}__{place}")
    [picker] = await refugee.text(f"/ask {question}")
    [qid] = {b.split(":")[1].split("-")[0] for b in buttons(picker) if b.startswith("tp:")}
    await refugee.press(f"tp:{qid}-{topic}")
    [answer] = await refugee.press(f"cs:{qid}-{topic}")
    return answer


def bare(text: str) -> str:
    """Without the direction isolates the renderer puts around Latin runs in right-to-left text."""
    return re.sub("[\u2066-\u2069]", "", text)


async def arrives(fake_api, chat_id, wanted: str) -> str:
    """The first text sent to a chat that contains `wanted`, once it has been sent."""
    for _ in range(200):
        found = [t for t in await to_chat(fake_api, chat_id, 0) if wanted in t]
        if found:
            return found[0]
        await asyncio.sleep(0.025)
    raise AssertionError(f"chat {chat_id} never got {wanted!r}: {await to_chat(fake_api, chat_id, 0)}")


async def to_chat(fake_api, chat_id, count=1) -> list[str]:
    """The texts the bot has sent to a chat, once there are at least `count` of them."""
    for _ in range(200):
        texts = [bare(visible(c)) for c in fake_api.calls if c.method == "sendMessage" and c.ok
                 and str(c.params.get("chat_id")) == str(chat_id)]
        if len(texts) >= count:
            return texts
        await asyncio.sleep(0.025)
    raise AssertionError(f"chat {chat_id} got only {texts}")


async def test_question_case_answer_thread_close_and_rating(client, fake_api):
    sid = await registered(client, fake_api, SID_WORKER, "CSR Šid", ["rs-sid"], ["legal"], ["en", "ar"])
    belgrade = await registered(client, fake_api, BELGRADE_WORKER, "IDEAS Belgrade", ["rs-beograd"], ["legal"])
    before = {chat: len(await to_chat(fake_api, chat)) for chat in (SID_WORKER, BELGRADE_WORKER)}

    refugee = TelegramPerson(client, fake_api, user_id=REFUGEE, language_code="ar")
    await refugee.text("/start ar__rs-sid")
    [answers] = await refugee.text("هل يمكن أن أعمل وأنا أنتظر القرار؟ اسمي أحمد ورقمي 0641234567")
    [handoff] = [b for b in buttons(answers) if b.startswith("hp:")]
    [topics] = await refugee.press(handoff)
    assert "tp:" + handoff[3:] + "-legal" in buttons(topics)
    [confirm] = await refugee.press("tp:" + handoff[3:] + "-legal")
    assert "0641234567" not in visible(confirm) and "[phone]" in visible(confirm)  # what is sent, scrubbed
    [opened] = await refugee.press("cs:" + handoff[3:] + "-legal")
    number = int(re.search(r"\d+", visible(opened)).group())

    # The refugee's chat id is stored only sealed.
    from sqlalchemy import select

    from bot.storage.tables import cases
    async with client.server.app[RUNTIME].database.engine.connect() as connection:
        [(address, user)] = (await connection.execute(select(cases.c.address, cases.c.user))).all()
    assert str(REFUGEE) not in address and str(REFUGEE) not in user

    # The Šid legal coordinator gets the case; Belgrade's does not.
    sid_texts = await to_chat(fake_api, SID_WORKER, before[SID_WORKER] + 1)
    assert f"Case {number}" in sid_texts[-1] and "Šid" in sid_texts[-1] and "العربية" in sid_texts[-1]
    assert "0641234567" not in sid_texts[-1] and str(REFUGEE) not in sid_texts[-1]
    assert len(await to_chat(fake_api, BELGRADE_WORKER)) == before[BELGRADE_WORKER]

    # A stranger cannot answer; the coordinator takes the case and answers.
    [refused] = await TelegramPerson(client, fake_api, user_id=STRANGER).text(f"/reply {number} hello")
    assert "only for coordinators" in visible(refused)
    [took, _] = await sid.text(f"/take {number}", count=2)
    assert f"You took case {number}" in visible(took)
    await sid.text(f"/reply {number} Yes: after 6 months without a decision. Call IDEAS for free help.", count=2)
    answer = await arrives(fake_api, REFUGEE, "after 6 months")
    assert f"القضية {number}" in answer and "موظف دعم في الشبكة المحلية" in answer  # in the refugee's Arabic
    assert not any("after 6 months" in t for t in await to_chat(fake_api, BELGRADE_WORKER, 0))

    # The refugee writes again inside the case; it reaches the coordinator who took it.
    [added] = await refugee.text("شكرا، وكيف أتصل بهم؟")
    assert str(number) in bare(visible(added))
    await arrives(fake_api, SID_WORKER, "وكيف أتصل بهم")

    # Closing tells the refugee and asks whether it helped.
    await sid.text(f"/close {number}", count=2)
    await arrives(fake_api, REFUGEE, f"أُغلقت القضية {number}")
    [thanks] = await refugee.press(f"cy:{number}")
    assert "شكر" in visible(thanks)
    [nothing] = await belgrade.text("/cases")
    assert "No open cases" in visible(nothing)


async def test_no_coordinator_for_the_place_falls_back_to_the_country_then_says_so(client, fake_api):
    await registered(client, fake_api, COUNTRY_WORKER, "APC Serbia", ["rs"], ["all"])
    refugee = TelegramPerson(client, fake_api, user_id=REFUGEE, language_code="en")
    opened = await ask_a_person(refugee, "rs-beograd", "Where can I sleep tonight?", "shelter")
    assert "Your case number is" in visible(opened)
    case = await arrives(fake_api, COUNTRY_WORKER, "Where can I sleep tonight?")
    assert "Belgrade" in case

    # North Macedonia has nobody registered: the refugee is told so, with legal aid to turn to.
    other = TelegramPerson(client, fake_api, user_id=REFUGEE + 1, language_code="en")
    nobody = await ask_a_person(other, "mk-skopje", "I need a lawyer", "legal")
    assert "No support worker" in visible(nobody) and "sc:legal-aid" in buttons(nobody)


async def test_forget_withdraws_an_open_case_and_tells_the_coordinator(client, fake_api):
    await registered(client, fake_api, SID_WORKER, "CSR Šid", ["rs-sid"], ["all"])
    refugee = TelegramPerson(client, fake_api, user_id=REFUGEE, language_code="en")
    await ask_a_person(refugee, "rs-sid", "Where can my family sleep?", "shelter")
    await arrives(fake_api, SID_WORKER, "Where can my family sleep?")
    await refugee.text("/forget")
    await refugee.press("fy")
    await arrives(fake_api, SID_WORKER, "withdrawn")
    # The coordinator's answer can no longer reach anyone.
    sid = TelegramPerson(client, fake_api, user_id=SID_WORKER)
    [refused] = await sid.text("/reply 1 Try the centre in Principovac.")
    assert "not open for you" in visible(refused)
    engine = client.server.app[RUNTIME].database.engine
    from sqlalchemy import select

    from bot.storage.tables import cases
    async with engine.connect() as connection:
        row = (await connection.execute(select(cases))).one()
    assert (row.status, row.user, row.address) == ("withdrawn", "", None)


async def test_a_coordinator_can_answer_by_replying_to_the_case_or_with_the_reply_button(client, fake_api):
    sid = await registered(client, fake_api, SID_WORKER, "CSR Šid", ["rs-sid"], ["all"])
    refugee = TelegramPerson(client, fake_api, user_id=REFUGEE, language_code="en")
    await ask_a_person(refugee, "rs-sid", "Is there a doctor at the centre?", "health")
    case_text = await arrives(fake_api, SID_WORKER, "Is there a doctor at the centre?")
    # A Telegram reply to the case message.
    quoted = {"message_id": 555, "date": 1700000000, "chat": {"id": SID_WORKER, "type": "private"},
              "from": {"id": 123456, "is_bot": True, "first_name": "FakeBot", "username": "fake_bot"},
              "text": case_text}
    update = {"update_id": 99001, "message": sid._message(text="Yes, on weekdays.", reply_to_message=quoted)}
    await sid.exchange(update, count=2)
    await arrives(fake_api, REFUGEE, "Yes, on weekdays.")
    # The Reply button, then the text.
    [prompt] = await sid.press("ka:1", method="editMessageText")
    assert "Write your answer to case 1" in visible(prompt)
    await sid.text("Bring your card.", count=2)
    await arrives(fake_api, REFUGEE, "Bring your card.")
    # A refugee replying to one of the bot's messages is not taken for a coordinator.
    [answer] = await refugee.exchange({"update_id": 99002, "message": refugee._message(
        text="thank you 12", reply_to_message={**quoted, "chat": {"id": REFUGEE, "type": "private"}})})
    assert "Added to case 1" in visible(answer)


async def test_a_protection_alert_forwarded_to_a_person_is_urgent(client, fake_api):
    await registered(client, fake_api, SID_WORKER, "CSR Šid", ["rs-sid"], ["all"])
    refugee = TelegramPerson(client, fake_api, user_id=REFUGEE, language_code="en")
    await refugee.text("/start en__rs-sid")
    [alert] = await refugee.text("my husband beats me every night")
    [handoff] = [b for b in buttons(alert) if b.startswith("hp:")]
    await refugee.press(handoff)
    await refugee.press(f"tp:{handoff[3:]}-other")
    await refugee.press(f"cs:{handoff[3:]}-other")
    case = await arrives(fake_api, SID_WORKER, "beats me")
    assert case.startswith("🆘")
