"""`putokaz chat`: the engine in a terminal, for editors and developers; buttons are numbered."""

from __future__ import annotations

import asyncio
import re
import secrets
import sys
from collections.abc import Callable
from typing import TextIO

from bot.channels.terminal.keyboards import numbered
from bot.core.engine import Handle
from bot.core.model import Button, Incoming, Kind, Location, Reply
from bot.render import to_plain

_LOCATION = re.compile(r"^loc\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$", re.IGNORECASE)


class TerminalChannel:
    def __init__(self, *, handle: Handle, rtl: Callable[[str], bool], stdin: TextIO | None = None,
                 stdout: TextIO | None = None) -> None:
        self._handle = handle
        self._rtl = rtl
        self._in = stdin or sys.stdin
        self._out = stdout or sys.stdout
        # A new person each session: editors get a clean first contact every time.
        self._sender = "terminal-" + secrets.token_hex(8)
        self._buttons: list[Button] = []

    def to_incoming(self, line: str) -> Incoming | None:
        """Read one typed line: a button number, a /command, 'loc LAT,LON' or a question."""
        text = line.strip()
        if not text:
            return None
        base = {"channel": "terminal", "sender": self._sender}
        if text.isdigit() and 1 <= int(text) <= len(self._buttons):
            button = self._buttons[int(text) - 1]
            if button.url:
                self._write(f"(open {button.url} in a browser)")
                return None
            if not button.action:
                return None
            return Incoming(kind=Kind.ACTION, action=button.action, **base)
        match = _LOCATION.match(text)
        if match:
            lat, lon = float(match.group(1)), float(match.group(2))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return Incoming(kind=Kind.LOCATION, location=Location(lat, lon), **base)
        if text.startswith("/"):
            command, _, argument = text[1:].partition(" ")
            return Incoming(kind=Kind.COMMAND, command=command.lower(), argument=argument.strip(), **base)
        return Incoming(kind=Kind.TEXT, text=text, **base)

    def show(self, replies: list[Reply]) -> None:
        self._buttons = []
        for reply in replies:
            self._write("")
            self._write(to_plain(reply.text, rtl=self._rtl(reply.language)))
            if reply.location is not None:
                self._write(f"📍 {reply.location_title} {reply.location.lat:.5f},{reply.location.lon:.5f}")
            if reply.request_location:
                self._write("(type: loc LATITUDE,LONGITUDE)")
            lines, self._buttons = numbered(reply, self._buttons)
            for line in lines:
                self._write(line)

    async def run(self) -> None:
        self._write("Putokaz in a terminal. A number presses a button; Ctrl-D leaves.")
        self.show(await self._handle(self.to_incoming("/start")))  # type: ignore[arg-type]
        loop = asyncio.get_running_loop()
        while True:
            self._out.write("\n> ")
            self._out.flush()
            line = await loop.run_in_executor(None, self._in.readline)
            if not line:
                self._write("")
                return
            incoming = self.to_incoming(line)
            if incoming is not None:
                self.show(await self._handle(incoming))

    def _write(self, text: str) -> None:
        self._out.write(text + "\n")
