"""People on each channel, for end-to-end suites shared by Telegram, Viber and the web chat.

Each person talks to the real app over loopback HTTP (the webhook or the web API) and reads what reached them where
the channel would deliver it (the fake Bot API, the fake Viber API, the web API's answer). They all answer with
`Said`: the visible text of one message and the engine actions of its buttons, so one test can run on every channel.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
from dataclasses import dataclass, field

from bot.channels.viber.api import signature
from bot.channels.viber.keyboards import MARKER
from tests.fakes.viber_api import TOKEN as VIBER_TOKEN

TAG = re.compile(r"<[^>]+>")
ISOLATES = re.compile("[\u2066-\u2069]")
TELEGRAM_SECRET = "webhook-secret_123"
_ids = itertools.count(10_000)


@dataclass
class Said:
    text: str  # what the person sees, without markup or direction isolates
    actions: list[str] = field(default_factory=list)  # the engine actions (or urls) of its buttons
    location: tuple[float, float] | None = None


def _plain(text: str) -> str:
    return ISOLATES.sub("", html.unescape(TAG.sub("", text)))


class TelegramUser:
    channel = "telegram"

    def __init__(self, client, api, user_id: int, language: str | None = "en") -> None:
        self.client, self.api, self.id, self.language = client, api, user_id, language
        self._message_id = 0

    def _from(self) -> dict:
        return {"id": self.id, "is_bot": False, "first_name": "Amira", "username": "amira_private",
                **({"language_code": self.language} if self.language else {})}

    def _received(self) -> list:
        methods = ("sendMessage", "editMessageText", "sendVenue", "sendLocation", "sendDocument")
        return [c for c in self.api.calls if c.method in methods and c.ok and str(c.params.get("chat_id")) == str(self.id)]

    async def _exchange(self, update: dict, count: int) -> list[Said]:
        before = len(self._received())
        response = await self.client.post("/telegram/webhook", json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
        assert response.status == 200, await response.text()
        await self.api.webhook_reply(response)  # Telegram carries out a method the response names
        return [self._said(c) for c in await _wait(lambda: self._received()[before:], count, f"chat {self.id}")]

    @staticmethod
    def _said(call) -> Said:
        markup = call.params.get("reply_markup") or {}
        actions = [b.get("callback_data") or b.get("url") for row in markup.get("inline_keyboard", []) for b in row]
        if call.method == "sendDocument":
            return Said("📎", actions)
        if call.method in ("sendVenue", "sendLocation"):
            return Said(call.params.get("title", ""), actions, (call.params["latitude"], call.params["longitude"]))
        return Said(_plain(call.params["text"]), actions)

    def _message(self, **content) -> dict:
        self._message_id += 1
        return {"update_id": next(_ids), "message": {
            "message_id": self._message_id, "date": 1700000000, "from": self._from(),
            "chat": {"id": self.id, "type": "private", "first_name": "Amira"}, **content}}

    async def start(self, payload: str = "", count: int = 1) -> list[Said]:
        return await self.say(f"/start {payload}".strip(), count)

    async def say(self, text: str, count: int = 1) -> list[Said]:
        content: dict = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return await self._exchange(self._message(**content), count)

    async def press(self, action: str, count: int = 1) -> list[Said]:
        update = {"update_id": next(_ids), "callback_query": {
            "id": str(next(_ids)), "from": self._from(), "chat_instance": "-42", "data": action,
            "message": {"message_id": 1, "date": 1700000000, "chat": {"id": self.id, "type": "private"},
                        "from": {"id": 123456, "is_bot": True, "first_name": "FakeBot"}, "text": "old"}}}
        return await self._exchange(update, count)

    async def share(self, lat: float, lon: float, count: int = 1) -> list[Said]:
        return await self._exchange(self._message(location={"latitude": lat, "longitude": lon}), count)

    def texts(self) -> list[str]:
        """Everything this chat has received so far."""
        return [self._said(c).text for c in self._received()]

    async def inbox(self, wanted: str) -> str:
        """The first message to this chat containing `wanted`, once it has arrived."""
        found = await _wait(lambda: [s for s in map(self._said, self._received()) if wanted in s.text], 1,
                            f"{wanted!r} in chat {self.id}")
        return found[0].text


class ViberUser:
    channel = "viber"

    def __init__(self, client, api, user_id: str, language: str | None = "en") -> None:
        self.client, self.api, self.id, self.language = client, api, user_id, language

    def _user(self) -> dict:
        return {"id": self.id, "name": "Amira Private", "avatar": "https://avatar.example/amira.jpg",
                "country": "RS", "api_version": 10, **({"language": self.language} if self.language else {})}

    async def post(self, payload: dict, *, sign: bool = True):
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if sign:
            headers["X-Viber-Content-Signature"] = signature(VIBER_TOKEN, body)
        return await self.client.post("/viber/webhook", data=body, headers=headers)

    async def _exchange(self, message: dict, count: int) -> list[Said]:
        before = len(self.api.sent(self.id))
        response = await self.post({"event": "message", "timestamp": 1700000000000, "message_token": next(_ids),
                                    "sender": self._user(), "message": message, "silent": False})
        assert response.status == 200, await response.text()
        return [self._said(c.body) for c in await _wait(lambda: self.api.sent(self.id)[before:], count,
                                                         f"Viber user {self.id}")]

    @staticmethod
    def _said(body: dict) -> Said:
        actions = []
        for button in (body.get("keyboard") or {}).get("Buttons", []):
            action = button["ActionBody"]
            actions.append(action[len(MARKER):] if action.startswith(MARKER) else action)
        if body.get("type") == "location":
            return Said("", actions, (body["location"]["lat"], body["location"]["lon"]))
        return Said(ISOLATES.sub("", body.get("text", "")), actions)

    async def start(self, payload: str = "", count: int = 1) -> list[Said]:
        """Open the chat (from a link with `payload` as its context): Viber's welcome is the HTTP answer."""
        response = await self.post({"event": "conversation_started", "timestamp": 1700000000000,
                                    "message_token": next(_ids), "type": "open", "context": payload,
                                    "user": self._user(), "subscribed": False})
        assert response.status == 200, await response.text()
        return [self._said(await response.json())]

    async def say(self, text: str, count: int = 1) -> list[Said]:
        return await self._exchange({"type": "text", "text": text}, count)

    async def press(self, action: str, count: int = 1) -> list[Said]:
        return await self._exchange({"type": "text", "text": MARKER + action}, count)

    async def share(self, lat: float, lon: float, count: int = 1) -> list[Said]:
        return await self._exchange({"type": "location", "location": {"lat": lat, "lon": lon}}, count)

    def texts(self) -> list[str]:
        return [self._said(c.body).text for c in self.api.sent(self.id)]

    async def inbox(self, wanted: str) -> str:
        found = await _wait(lambda: [s for s in (self._said(c.body) for c in self.api.sent(self.id))
                                     if wanted in s.text], 1, f"{wanted!r} for Viber user {self.id}")
        return found[0].text


class WebUser:
    channel = "web"

    def __init__(self, client, language: str | None = "en") -> None:
        self.client, self.language = client, language

    async def _post(self, body: dict) -> list[Said]:
        if self.language:
            body["language"] = self.language
        response = await self.client.post("/web/api/message", json=body)
        assert response.status == 200, await response.text()
        return [Said(_plain(r["html"]), [b.get("action") or b.get("url") for row in r["buttons"] for b in row],
                     (r["location"]["lat"], r["location"]["lon"]) if r["location"] else None)
                for r in (await response.json())["replies"]]

    async def start(self, payload: str = "", count: int = 1) -> list[Said]:
        return await self.say(f"/start {payload}".strip())

    async def say(self, text: str, count: int = 1) -> list[Said]:
        return await self._post({"text": text})

    async def press(self, action: str, count: int = 1) -> list[Said]:
        return await self._post({"action": action})

    async def share(self, lat: float, lon: float, count: int = 1) -> list[Said]:
        return await self._post({"location": {"lat": lat, "lon": lon}})


async def _wait(look, count: int, what: str, timeout: float = 5.0) -> list:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = look()
        if len(found) >= count:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"expected {count} message(s) for {what}, got {found}")
        await asyncio.sleep(0.01)
