"""What the web chat tests share: a stand-in engine whose answers depend on what it is sent."""

from __future__ import annotations

from bot.core.model import Button, Incoming, Kind, Location, Reply

RTL = {"ar", "fa", "ps", "ur"}
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
ARABIC = "مرحبا بك في بوتوكاز. اتصل بالرقم 0800 222 003."
SID = Location(45.128, 19.226)


def rtl(language: str) -> bool:
    return language.split("_")[0] in RTL


def welcome(argument: str) -> Reply:
    text = "**Welcome** to Putokaz." + (f" Deep link: `{argument}`." if argument else "")
    return Reply(text=text, buttons=(
        (Button("العربية", action="lang:ar"), Button("Help", action="help")),
        (Button("Website", url="https://example.org/help"),),
    ))


def answer(incoming: Incoming) -> list[Reply]:
    """Replies chosen by what the person did, so each test can tell its request reached the engine intact."""
    if incoming.kind is Kind.COMMAND and incoming.command == "start":
        return [welcome(incoming.argument)]
    if incoming.kind is Kind.COMMAND:
        return [Reply(text=f"Command {incoming.command} with {incoming.argument or 'nothing'}")]
    if incoming.kind is Kind.ACTION and incoming.action == "lang:ar":
        return [Reply(text=ARABIC, language="ar", buttons=((Button("القائمة", action="menu"),),))]
    if incoming.action == "where" or incoming.text == "where":
        return [Reply(text="Tap the button below to send your location.",
                      buttons=((Button("📍 Send my location"),),), request_location=True)]
    if incoming.kind is Kind.ACTION:
        return [Reply(text=f"Pressed {incoming.action}")]
    if incoming.kind is Kind.LOCATION:
        return [Reply(text="The nearest town is Šid.", location=SID, location_title="Šid")]
    if incoming.text == "hostile":
        return [Reply(text=HOSTILE, buttons=((Button(HOSTILE, action="x"),),))]
    if incoming.text == "boom":
        raise RuntimeError("engine detail that must not reach the browser")
    if incoming.text == "two":
        return [Reply(text="First."), Reply(text="Second.")]
    return [Reply(text=f"You wrote: {incoming.text}")]


class FakeEngine:
    """Sits where the engine does: records each Incoming and answers with `answer`."""

    def __init__(self) -> None:
        self.incomings: list[Incoming] = []

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.incomings.append(incoming)
        return answer(incoming)

    @property
    def last(self) -> Incoming:
        assert self.incomings, "the engine was not called"
        return self.incomings[-1]
