"""Putokaz under load, against the bots a team would otherwise pick, in one run on one machine (issue 8).

One process (this one) plays Telegram: a fake Bot API on loopback, and N virtual users in a closed loop, each posting
an update to the bot's webhook and waiting for the bot's answer at the fake API before the next. The bot under test is
another process:
- putokaz: `putokaz run` in webhook mode with the full content pack and SQLite (or --database); each virtual user
  walks a whole session: /start, language, country, place, menu, legal pages, a page, back, menu, services, nearest
  (with a shared location), a typed question, /sos, pressing the buttons the bot actually sent;
- ptb: a bare python-telegram-bot 22 echo bot with its default httpx transport (bench/peers/ptb_echo.py);
- aiogram: a bare aiogram 3 echo bot with its aiohttp webhook handler (bench/peers/aiogram_echo.py).

Reported per bot: updates/s, p50/p90/p99 latency (webhook POST -> the answer at the fake API), CPU seconds per 1000
updates, peak RSS, cold start (process start -> ready; for Putokaz a restart onto its data folder, the first start
beside it), errors; and the ratios Putokaz/peer. JSON and a Markdown table.

    python bench/load.py --users 50 --updates 4000 [--bots putokaz,ptb,aiogram] [--database URL] [--json F] [--md F]

Not a test: figures depend on the machine and vary between runs; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-webhook-secret"
TOKEN = "123456:BENCH-token"
LANGUAGES = ("en", "ar", "fa", "uk", "fr", "sr")
QUESTIONS = {"en": "how do I ask for asylum?", "ar": "كيف أطلب اللجوء؟", "fa": "چطور پناهندگی بخواهم؟",
             "uk": "як попросити притулок?", "fr": "comment demander l'asile ?", "sr": "kako da tražim azil?"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeTelegram:
    """Answers Bot API calls as Telegram does and hands each message to the virtual user waiting in that chat."""

    def __init__(self) -> None:
        self.waiting: dict[int, asyncio.Queue] = {}
        self.webhook_set = asyncio.Event()
        self.ids = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.port = free_port()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.route)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def route(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {}
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    params[name] = "<file>"
                    continue
                try:
                    params[name] = json.loads(value) if name not in ("text", "secret_token", "url") else value
                except ValueError:
                    params[name] = value
        if method == "getMe":
            return _ok({"id": 42, "is_bot": True, "first_name": "Bench", "username": "bench_bot",
                        "can_join_groups": False, "can_read_all_group_messages": False,
                        "supports_inline_queries": False})
        if method == "setWebhook":
            self.webhook_set.set()
            return _ok(True)
        if method in ("deleteWebhook", "answerCallbackQuery", "close", "logOut"):
            return _ok(True)
        if method == "getWebhookInfo":
            return _ok({"url": "", "has_custom_certificate": False, "pending_update_count": 0})
        chat = int(params.get("chat_id") or 0)
        message = {"message_id": int(params.get("message_id") or next(self.ids)), "date": int(time.time()),
                   "chat": {"id": chat, "type": "private"}, "from": {"id": 42, "is_bot": True, "first_name": "Bench"}}
        if "text" in params:
            message["text"] = params["text"]
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if method in ("sendLocation", "sendVenue"):
            message["location"] = {"latitude": params.get("latitude"), "longitude": params.get("longitude")}
        queue = self.waiting.get(chat)
        if queue is not None:
            queue.put_nowait((method, message, markup))
        return _ok(message)


def _ok(result) -> web.Response:
    return web.json_response({"ok": True, "result": result})


@dataclass
class VirtualUser:
    chat: int
    language: str
    bot: str
    session: aiohttp.ClientSession
    webhook: str
    api: FakeTelegram
    latencies: list[float] = field(default_factory=list)
    slow: list[tuple[float, str]] = field(default_factory=list)  # (seconds, what was posted) of answers over 100 ms
    errors: int = 0
    last_message: int = 1
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _from(self) -> dict:
        return {"id": self.chat, "is_bot": False, "first_name": "Load", "language_code": self.language}

    async def _post(self, update: dict, *, final) -> dict | None:
        """Post one update; wait for the answer that ends this step (`final` says which); None on an error."""
        queue = self.api.waiting[self.chat]
        while not queue.empty():
            queue.get_nowait()
        started = time.perf_counter()
        try:
            async with self.session.post(self.webhook, json=update,
                                         headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                if response.status != 200:
                    self.errors += 1
                    return None
            while True:
                method, message, markup = await asyncio.wait_for(queue.get(), 10)
                if final(method, markup):
                    break
        except (TimeoutError, aiohttp.ClientError):
            self.errors += 1
            return None
        took = time.perf_counter() - started
        self.latencies.append(took)
        if took > 0.1:
            posted = update.get("callback_query", {}).get("data") or update.get("message", {}).get("text") or "location"
            self.slow.append((took, posted))
        self.last_message = message["message_id"]
        return {"message": message, "markup": markup}

    async def text(self, text: str, final) -> dict | None:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
        message = {"message_id": next(self.ids), "date": int(time.time()), "from": self._from(),
                   "chat": {"id": self.chat, "type": "private"}, "text": text}
        if entities:
            message["entities"] = entities
        return await self._post({"update_id": next(UPDATE_IDS), "message": message}, final=final)

    async def location(self, final) -> dict | None:
        message = {"message_id": next(self.ids), "date": int(time.time()), "from": self._from(),
                   "chat": {"id": self.chat, "type": "private"}, "location": {"latitude": 45.13, "longitude": 19.23}}
        return await self._post({"update_id": next(UPDATE_IDS), "message": message}, final=final)

    async def press(self, data: str, final) -> dict | None:
        query = {"id": str(next(UPDATE_IDS)), "from": self._from(), "chat_instance": "1", "data": data,
                 "message": {"message_id": self.last_message, "date": int(time.time()),
                             "chat": {"id": self.chat, "type": "private"},
                             "from": {"id": 42, "is_bot": True, "first_name": "Bench"}, "text": "..."}}
        return await self._post({"update_id": next(UPDATE_IDS), "callback_query": query}, final=final)


UPDATE_IDS = itertools.count(1)
SESSION_STEPS = 13  # updates in one walk, Putokaz's or an echo bot's


def with_buttons(method: str, markup) -> bool:
    """A Putokaz step ends with the message that carries its buttons (a long page comes in several messages)."""
    return bool(markup)


def first(method: str, markup) -> bool:
    return True


def pick(answer: dict | None, prefix: str, default: str) -> str:
    """The first button the bot sent whose action starts with `prefix`: the session follows the real screens."""
    if answer is None or not answer["markup"]:
        return default
    for row in answer["markup"].get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data") or ""
            if data.startswith(prefix):
                return data
    return default


async def putokaz_session(user: VirtualUser, budget: int) -> int:
    """One realistic walk through the bot; the number of updates it took (stops early at the budget)."""
    answer = None
    walk = [
        lambda: user.text("/start", with_buttons),
        lambda: user.press(pick(answer, f"l:{user.language}", f"l:{user.language}"), with_buttons),
        lambda: user.press(pick(answer, "c:rs", "c:rs"), with_buttons),
        lambda: user.press(pick(answer, "p:", "p:rs-sid"), with_buttons),
        lambda: user.press(pick(answer, "s:legal", "s:legal"), with_buttons),
        lambda: user.press(pick(answer, "a:", "a:asylum-steps-rs"), with_buttons),
        lambda: user.press(pick(answer, "s:", "s:legal"), with_buttons),
        lambda: user.press("m", with_buttons),
        lambda: user.press(pick(answer, "sv", "sv"), with_buttons),
        lambda: user.press(pick(answer, "nr", "nr"), with_buttons),
        lambda: user.location(with_buttons),
        lambda: user.text(QUESTIONS[user.language], with_buttons),
        lambda: user.text("/sos", with_buttons),
    ]
    steps = 0
    for step in walk[:budget]:
        answer = await step()
        steps += 1
    return steps



async def echo_session(user: VirtualUser, budget: int) -> int:
    for number in range(min(budget, SESSION_STEPS)):
        await user.text(f"hello {number}", first)
    return min(budget, SESSION_STEPS)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def start_bot(name: str, api: FakeTelegram, folder: Path, database: str | None):
    port = free_port()
    webhook = f"http://127.0.0.1:{port}/telegram/webhook"
    if name == "putokaz":
        env = {**os.environ, "PUTOKAZ_TELEGRAM_TOKEN": TOKEN, "PUTOKAZ_TELEGRAM_API_URL": api.base,
               "PUTOKAZ_TELEGRAM_WEBHOOK_URL": webhook, "PUTOKAZ_TELEGRAM_WEBHOOK_SECRET": SECRET,
               "PUTOKAZ_PORT": str(port), "PUTOKAZ_DATA_DIR": str(folder / "var"), "PUTOKAZ_CONTENT_WATCH": "0",
               "PUTOKAZ_SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789", "PUTOKAZ_LOG_LEVEL": "WARNING"}
        if database:
            env["PUTOKAZ_DATABASE_URL"] = database
        command = [sys.executable, "-m", "bot", "run"]
    else:
        env = dict(os.environ)
        command = [sys.executable, str(ROOT / "bench" / "peers" / f"{name}_echo.py"), api.base, str(port), webhook,
                   SECRET]
    api.webhook_set.clear()
    started = time.perf_counter()
    # The bot's log goes to a file: a pipe nobody reads fills up and then stalls the bot on its next log line.
    log = (folder / "bot.log").open("ab")
    process = await asyncio.create_subprocess_exec(*command, env=env, cwd=str(folder),
                                                   stdout=asyncio.subprocess.DEVNULL, stderr=log)
    log.close()
    async with aiohttp.ClientSession() as probe:
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"{name} exited: {(folder / 'bot.log').read_text(errors='replace')[-800:]}")
            ready = api.webhook_set.is_set()
            if ready and name == "putokaz":
                try:
                    async with probe.get(f"http://127.0.0.1:{port}/healthz") as response:
                        ready = response.status == 200
                except aiohttp.ClientError:
                    ready = False
            if ready:
                break
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"{name} did not start within 60 s")
            await asyncio.sleep(0.01)
    return process, webhook, time.perf_counter() - started


async def measure(name: str, users: int, updates: int, database: str | None, lockstep: bool = False) -> dict:
    api = FakeTelegram()
    await api.start()
    folder = Path(tempfile.mkdtemp(prefix=f"putokaz-load-{name}-"))
    process, webhook, first = await start_bot(name, api, folder, database)
    cold = first
    if name == "putokaz":
        # A deployed bot restarts onto its data folder (database, key, stored content pack): that restart is the
        # cold start that counts in a spike; the very first start, which builds all of it, is reported beside it.
        process.terminate()
        await process.wait()
        process, webhook, cold = await start_bot(name, api, folder, database)
    connector = aiohttp.TCPConnector(limit=users * 2)
    async with aiohttp.ClientSession(connector=connector) as session:
        people = [VirtualUser(chat=1_000_000 + n, language=LANGUAGES[n % len(LANGUAGES)], bot=name, session=session,
                              webhook=webhook, api=api) for n in range(users)]
        for person in people:
            api.waiting[person.chat] = asyncio.Queue()
        walk = putokaz_session if name == "putokaz" else echo_session
        per_user = max(1, updates // users)

        async def run(person: VirtualUser, offset: int) -> None:
            # People are spread over the walk, as real people are: person n first walks n % SESSION_STEPS steps of a walk,
            # so at any moment they are at different screens (--lockstep: all press the same button at once).
            done = await walk(person, offset) if offset else 0
            while done < per_user:
                done += await walk(person, per_user - done)

        # Warm up with as many people as will be measured, in other chats: the first imports and caches, and the
        # harness's connections to the webhook (Telegram keeps its own open), are not what is measured; the people
        # measured are still new to the bot, so their first contact is.
        strangers = [VirtualUser(chat=2_000_000 + n, language=LANGUAGES[n % len(LANGUAGES)], bot=name,
                                 session=session, webhook=webhook, api=api) for n in range(users)]
        for person in strangers:
            api.waiting[person.chat] = asyncio.Queue()
        await asyncio.gather(*(walk(p, 4) for p in strangers))
        for person in people:
            person.latencies.clear()
            person.slow.clear()
            person.errors = 0
        cpu_before, harness_before = cpu_seconds(process.pid), time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(run(p, 0 if lockstep else n % SESSION_STEPS) for n, p in enumerate(people)))
        wall = time.perf_counter() - started
        cpu = cpu_seconds(process.pid) - cpu_before
        harness = time.process_time() - harness_before
    rss = peak_rss_mib(process.pid)
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 30)
    except TimeoutError:
        process.kill()
    await api.close()
    logged = (folder / "bot.log").read_text(errors="replace")
    problems = [line for line in logged.splitlines() if "Traceback" in line or " ERROR " in line or "WARNING" in line]
    if problems:
        kept = Path(tempfile.gettempdir()) / f"putokaz-load-{name}.log"
        kept.write_text(logged)
        print(f"{name} logged {len(problems)} problem line(s), the first: {problems[:3]}; whole log: {kept}",
              file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    latencies = sorted(x for p in people for x in p.latencies)
    slow = [what for p in people for _took, what in p.slow]
    if slow:
        kinds = {}
        for what in slow:
            kinds[what.split(":")[0]] = kinds.get(what.split(":")[0], 0) + 1
        print(f"{name}: {len(slow)} answer(s) over 100 ms, by step: {sorted(kinds.items(), key=lambda kv: -kv[1])}",
              file=sys.stderr)
    answered = len(latencies)

    def quantile(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else 0.0

    return {"bot": name, "users": users, "updates": answered, "errors": sum(p.errors for p in people),
            "updates_per_s": round(answered / wall, 1), "p50_ms": quantile(0.5), "p90_ms": quantile(0.9),
            "p99_ms": quantile(0.99), "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0,
            "cpu_s_per_1000": round(cpu / answered * 1000, 2) if answered else None,
            "harness_cpu_s_per_1000": round(harness / answered * 1000, 2) if answered else None,
            "peak_rss_mib": round(rss, 1),
            "cold_start_s": round(cold, 2), "first_start_s": round(first, 2), "logged_problems": len(problems)}


def markdown(results: list[dict]) -> str:
    lines = ["| bot | updates/s | p50 | p90 | p99 | CPU s / 1000 | peak RSS | cold start | errors |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(f"| {r['bot']} | {r['updates_per_s']} | {r['p50_ms']} ms | {r['p90_ms']} ms | {r['p99_ms']} ms | "
                     f"{r['cpu_s_per_1000']} | {r['peak_rss_mib']} MiB | {r['cold_start_s']} s"
                     + (f" (first start {r['first_start_s']} s)" if r["first_start_s"] != r["cold_start_s"] else "")
                     + f" | {r['errors']} |")
    ours = next((r for r in results if r["bot"] == "putokaz"), None)
    if ours:
        for peer in (r for r in results if r["bot"] != "putokaz"):
            lines.append(f"\nPutokaz / {peer['bot']}: {ours['updates_per_s'] / peer['updates_per_s']:.2f}× the "
                         f"updates/s")
    return "\n".join(lines)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--updates", type=int, default=4000)
    parser.add_argument("--bots", default="putokaz,ptb,aiogram")
    parser.add_argument("--database", default=None, help="a SQLAlchemy async URL for Putokaz (default: SQLite)")
    parser.add_argument("--lockstep", action="store_true",
                        help="start every person at /start at the same instant (the harness before 2026-12-02)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--md", type=Path, default=None)
    args = parser.parse_args()
    results = []
    for name in args.bots.split(","):
        results.append(await measure(name.strip(), args.users, args.updates, args.database, args.lockstep))
        print(json.dumps(results[-1]), flush=True)
    table = markdown(results)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.md:
        args.md.write_text(table + "\n")
    return 0


if __name__ == "__main__":
    try:  # the harness plays Telegram for every bot alike; libuv leaves more of the machine to the bot under test
        import uvloop
    except ImportError:
        raise SystemExit(asyncio.run(main())) from None
    raise SystemExit(uvloop.run(main()))
