"""End to end: the real aiohttp app and python-telegram-bot against a fake Bot API on loopback.

Updates are posted to the real webhook; replies are read where Telegram would receive them.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from tests.fakes.telegram_api import FakeBotAPI

SECRET = "webhook-secret_123"
USER_ID = 987654321987
TAG = re.compile(r"<[^>]+>")


_update_ids = itertools.count(1000)


class TelegramPerson:
    """A Telegram user: sends updates to the webhook and reads what the bot sent to their chat."""

    def __init__(self, client: TestClient, api: FakeBotAPI, user_id: int = USER_ID, language_code: str = "en"):
        self.client, self.api, self.user_id, self.language_code = client, api, user_id, language_code
        self.message_id = 0

    def _user(self) -> dict:
        return {"id": self.user_id, "is_bot": False, "first_name": "Amira", "username": "amira_private",
                "language_code": self.language_code}

    def _message(self, **content) -> dict:
        self.message_id += 1
        return {"message_id": self.message_id, "date": 1700000000,
                "chat": {"id": self.user_id, "type": "private", "first_name": "Amira"}, "from": self._user(), **content}

    async def post(self, update: dict, *, secret: str | None = SECRET):
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = await self.client.post("/telegram/webhook", json=update, headers=headers)
        await self.api.webhook_reply(response)  # Telegram carries out a method the response names
        return response

    async def exchange(self, update: dict, *, method: str = "sendMessage", count: int = 1) -> list:
        """Post an update and wait until the bot has made `count` more `method` calls to this chat."""
        before = len(self.received(method))
        response = await self.post(update)
        assert response.status == 200
        deadline = asyncio.get_running_loop().time() + 5
        while len(self.received(method)) < before + count:
            assert asyncio.get_running_loop().time() < deadline, (
                f"expected {count} {method} call(s) to chat {self.user_id}, got {self.received(method)[before:]}")
            await asyncio.sleep(0.01)
        return self.received(method)[before:]

    def received(self, method: str = "sendMessage") -> list:
        """Every `method` call the bot made to this chat so far."""
        return [c for c in self.api.calls if c.method == method and c.ok
                and str(c.params.get("chat_id")) == str(self.user_id)]

    async def text(self, text: str, **kwargs) -> list:
        content = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return await self.exchange({"update_id": next(_update_ids), "message": self._message(**content)}, **kwargs)

    async def press(self, data: str, **kwargs) -> list:
        update = {"update_id": next(_update_ids), "callback_query": {
            "id": str(next(_update_ids)), "from": self._user(), "chat_instance": "-42", "data": data,
            "message": {"message_id": 1, "date": 1700000000, "chat": {"id": self.user_id, "type": "private"},
                        "from": {"id": 123456, "is_bot": True, "first_name": "FakeBot", "username": "fake_bot"},
                        "text": "old"}}}
        kwargs.setdefault("method", "editMessageText")
        return await self.exchange(update, **kwargs)


def buttons(call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b.get("callback_data") or b.get("url") for row in markup.get("inline_keyboard", []) for b in row]


def visible(call) -> str:
    import html
    return html.unescape(TAG.sub("", call.params["text"]))


async def test_setwebhook_carries_the_secret(client, fake_api):
    calls = [c for c in fake_api.calls if c.method == "setWebhook"]
    assert len(calls) == 1
    assert calls[0].params["url"] == "https://bot.example.org/telegram/webhook"
    assert calls[0].params["secret_token"] == SECRET


async def test_first_contact_language_place_menu_article(client, fake_api):
    person = TelegramPerson(client, fake_api, language_code="ar")
    [picker] = await person.text("/start")
    assert buttons(picker)[0] == "l:ar"
    [places] = await person.press("l:en")
    assert buttons(places)[:3] == ["c:rs", "c:mk", "c:bg"]
    [towns] = await person.press("c:rs")
    assert "p:rs-sid" in buttons(towns)
    [menu] = await person.press("p:rs-sid")
    assert buttons(menu) == ["s:legal", "sv", "ev", "q", "sos", "lp", "cp", "pr"]
    [legal] = await person.press("s:legal")
    assert "a:asylum-steps-rs" in buttons(legal)
    [article] = await person.press("a:asylum-steps-rs")
    assert article.params["parse_mode"] == "HTML"
    assert "How to ask for asylum in Serbia" in visible(article)
    assert "<b>72 hours</b>" in article.params["text"]
    answered = [c for c in fake_api.calls if c.method == "answerCallbackQuery"]
    assert len(answered) == 5


async def test_deep_link_goes_straight_to_the_menu_in_arabic(client, fake_api):
    person = TelegramPerson(client, fake_api)
    [menu] = await person.text("/start ar__rs-sid")
    assert buttons(menu)[0] == "s:legal"
    assert "شيد" in visible(menu)


async def test_sos_before_any_language(client, fake_api):
    person = TelegramPerson(client, fake_api, language_code=None)
    [sos] = await person.text("/sos")
    text = visible(sos)
    assert "192" in text and "0800 222 003" in text and "112" in text


async def test_fallback_note_in_the_users_language(client, fake_api):
    person = TelegramPerson(client, fake_api)
    await person.text("/start ar__rs-sid")
    await person.press("s:legal")
    [page] = await person.press("a:only-english-rs")
    text = visible(page)
    assert text.startswith("ℹ️")
    assert "A page only in English" in text


async def test_hostile_strings_are_escaped(client, fake_api):
    person = TelegramPerson(client, fake_api)
    await person.text("/start en__rs-sid")
    await person.press("sv")
    [health] = await person.press("sc:health")
    raw = health.params["text"]
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp;" in raw
    assert "\u202e" not in raw
    [note] = await person.text("/place <b>&\u202e")
    assert "&lt;b&gt;&amp;" in note.params["text"] and "\u202e" not in note.params["text"]


async def test_long_article_is_split_on_paragraphs_with_buttons_last(client, fake_api):
    person = TelegramPerson(client, fake_api)
    await person.text("/start en__rs-sid")
    await person.press("s:legal")
    # A page longer than one message cannot replace the pressed one: it arrives as new messages.
    chunks = await person.press("a:long-article-rs", method="sendMessage", count=3)
    assert len(chunks) == 3
    assert all(len(visible(c)) <= 4096 for c in chunks)
    assert sum(len(visible(c)) for c in chunks) > 9000
    assert all(visible(c).rstrip().endswith(".") for c in chunks[:-1])  # cut between paragraphs
    assert buttons(chunks[-1]) and not buttons(chunks[0]) and not buttons(chunks[1])


async def test_a_service_pin_is_a_venue_and_nearest_services_come_after_a_shared_location(client, fake_api):
    person = TelegramPerson(client, fake_api)
    await person.text("/start en__rs-beograd")
    await person.press("sv")
    [health] = await person.press("sc:health")
    assert "https://www.openstreetmap.org/search?query=" not in " ".join(map(str, buttons(health)))
    [request] = await person.press("nr:health", method="sendMessage")
    assert request.params["reply_markup"]["keyboard"][0][0]["request_location"] is True
    location = {"latitude": 45.1300, "longitude": 19.2350}
    [nearest] = await person.exchange({"update_id": next(_update_ids), "message": person._message(location=location)})
    text = visible(nearest)
    assert "less than 1 km away" in text and text.index("Test Clinic Šid") < text.index("Test Clinic Belgrade")
    assert "pin:test-sid-clinic" in buttons(nearest)
    [venue] = await person.press("pin:test-sid-clinic", method="sendVenue")
    assert (venue.params["latitude"], venue.params["longitude"], venue.params["title"], venue.params["address"]) == (
        45.127, 19.23, "Test Clinic Šid", "Test Street 1, Šid")


async def test_wrong_or_missing_secret_is_refused(client, fake_api):
    person = TelegramPerson(client, fake_api)
    update = {"update_id": 1, "message": person._message(text="hello")}
    assert (await person.post(update, secret="wrong")).status == 403
    assert (await person.post(update, secret=None)).status == 403
    assert [c for c in fake_api.calls if c.method == "sendMessage"] == []


async def test_malformed_json_gets_400_and_the_server_keeps_serving(client, fake_api):
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    for body in (b"{not json", b"[1, 2]", b'{"update_id": "x", "message": 5}'):
        response = await client.post("/telegram/webhook", data=body, headers=headers)
        assert response.status == 400, body
    person = TelegramPerson(client, fake_api)
    [picker] = await person.text("hello")
    assert "l:en" in buttons(picker)


async def test_healthz(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


async def test_raw_user_id_is_nowhere_in_the_database(client, fake_api):
    person = TelegramPerson(client, fake_api)
    await person.text("/start")
    await person.press("l:ar")
    await person.press("c:rs")
    await person.press("p:rs-sid")
    await person.text("how do I ask for asylum?")
    await client.close()  # closes the app: the database and its WAL are checkpointed
    data_dir = Path(client.app_settings.data_dir)
    blobs = b"".join(p.read_bytes() for p in data_dir.glob("putokaz.db*"))
    assert blobs, "the conversation was stored"
    for needle in (str(USER_ID), "amira_private", "Amira"):
        assert needle.encode() not in blobs


async def test_polling_mode_answers_without_a_webhook(make_settings, fake_api):
    settings = make_settings(PUTOKAZ_TELEGRAM_TOKEN="123456:TEST-token", PUTOKAZ_TELEGRAM_API_URL=fake_api.base_url)
    app = await create_app(settings)
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        assert (await test_client.post("/telegram/webhook", json={})).status == 404  # no webhook route
        person = TelegramPerson(test_client, fake_api)
        fake_api.push_update({"update_id": 1, "message": person._message(
            text="/start ar__rs-sid", entities=[{"type": "bot_command", "offset": 0, "length": 6}])})
        [menu] = await fake_api.wait_for("sendMessage", count=1)
        assert buttons(menu)[0] == "s:legal"
        assert "القائمة" in visible(menu)
    assert [c.method for c in fake_api.calls if c.method in ("setWebhook", "deleteWebhook")] == ["deleteWebhook"]
