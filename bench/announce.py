"""Announcing an event to many subscribers through a fake Bot API that enforces Telegram's flood limit (issue 7).

The announcer is the real command, `putokaz announce <event>`, in its own process, against a fake Bot API in this
one that answers 429 (retry after 1 s) to any message beyond `--limit` in one second. Reported: the sustained rate
(messages a second between the first and the last delivery, and as a share of the limit), 429s, duplicates and losses
(each subscriber must get exactly one message), and the announcer's peak and sampled RSS.

    python bench/announce.py --subscribers 100000 --limit 30          # the full run: about 56 minutes
    python bench/announce.py --subscribers 3000 --limit 30            # the rate, in under two minutes
    python bench/announce.py --subscribers 3000 --limit 30 --stop-after 1000                # kill (SIGTERM), again
    python bench/announce.py --subscribers 3000 --limit 30 --stop-after 1000 --signal KILL  # kill -9, again

Not a test: the figures depend on the machine. The README has the latest.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.privacy.sealing import Sealer  # noqa: E402
from bot.storage import open_database, sqlite_url  # noqa: E402
from bot.storage.subscriptions import SUBSCRIBER  # noqa: E402
from bot.storage.tables import subscriptions, users  # noqa: E402
from tests.conftest import FIXTURE_CONTENT, write_events  # noqa: E402
from tests.fakes.telegram_api import FakeBotAPI  # noqa: E402

SECRET = "bench-secret-key-0123456789abcdef0123456789"
EVENT = "lang-cafe-sid"
FIRST_CHAT = 10_000_000


async def prepare(folder: Path, subscribers: int) -> None:
    """Content with the event, and `subscribers` people of Šid subscribed to its category, in several languages."""
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    write_events(content, dt.datetime.now(dt.timezone.utc))
    database = await open_database(sqlite_url(folder / "var"))
    sealer = Sealer(SECRET.encode())
    now = dt.datetime.now(dt.timezone.utc)
    languages = ("en", "ar", "fa", "sr", "uk")
    async with database.engine.begin() as connection:
        for start in range(0, subscribers, 5000):
            chunk = range(start, min(start + 5000, subscribers))
            await connection.execute(insert(users), [
                {"pseudonym": f"p{n:08d}", "language": languages[n % len(languages)], "place": "rs-sid",
                 "awaiting": "", "updated": now} for n in chunk])
            await connection.execute(insert(subscriptions), [
                {"user": f"p{n:08d}", "channel": "telegram", "place": "rs-sid", "created": now,
                 "category": "all" if n % 3 else "language-class",
                 "address": sealer.seal(f"telegram:{FIRST_CHAT + n}", SUBSCRIBER)} for n in chunk])
    await database.close()


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def run_announcer(folder: Path, api: FakeBotAPI, rate: float, *, stop_after: int | None,
                        how: signal.Signals | None, delivered) -> dict:
    env = {**os.environ, "PUTOKAZ_DATA_DIR": str(folder / "var"), "PUTOKAZ_SECRET_KEY": SECRET,
           "PUTOKAZ_CONTENT_DIR": str(folder / "content"), "PUTOKAZ_TELEGRAM_TOKEN": "123456:BENCH-token",
           "PUTOKAZ_TELEGRAM_API_URL": api.base_url, "PUTOKAZ_TELEGRAM_RATE": str(rate), "TERM": "dumb"}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "announce", EVENT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    samples = []
    stopped = False
    while process.returncode is None:
        try:
            await asyncio.wait_for(process.wait(), 1.0)
        except TimeoutError:
            pass
        samples.append(rss_kib(process.pid))
        if stop_after is not None and not stopped and delivered() >= stop_after and how is not None:
            process.send_signal(how)
            stopped = True
    out, err = await process.communicate()
    samples = [s for s in samples if s]
    return {"returncode": process.returncode, "stopped": stopped, "rss_mib_samples": [round(s / 1024, 1)
            for s in samples[:: max(1, len(samples) // 20)]], "rss_mib_peak": round(max(samples, default=0) / 1024, 1),
            "stderr_tail": err.decode()[-300:] if process.returncode not in (0, -signal.SIGKILL, 130) else ""}


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=30, help="the fake Bot API's flood limit, messages a second")
    parser.add_argument("--rate", type=float, default=None, help="the announcer's pace (default: 97%% of --limit)")
    parser.add_argument("--stop-after", type=int, default=None, help="stop the announcer after this many deliveries, "
                        "then run it again")
    parser.add_argument("--signal", choices=("TERM", "INT", "KILL"), default="TERM",
                        help="how to stop it: kill (TERM), Ctrl-C (INT) or kill -9 (KILL)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    rate = args.rate or round(args.limit * 0.97, 2)

    folder = Path(tempfile.mkdtemp(prefix="putokaz-announce-"))
    started = time.perf_counter()
    await prepare(folder, args.subscribers)
    prepared = time.perf_counter() - started
    api = FakeBotAPI()
    await api.start()
    api.limit(args.limit)
    stamps: list[float] = []

    def delivered() -> int:
        return sum(1 for c in api.calls if c.method == "sendMessage" and c.ok)

    original = api._record

    async def record(call):
        if call.method == "sendMessage" and call.ok:
            stamps.append(time.monotonic())
        await original(call)
    api._record = record  # the bench's own clock on every accepted message

    runs = []
    how = signal.Signals[f"SIG{args.signal}"]
    runs.append(await run_announcer(folder, api, rate, stop_after=args.stop_after, how=how, delivered=delivered))
    if runs[-1]["stopped"]:
        runs.append(await run_announcer(folder, api, rate, stop_after=None, how=None, delivered=delivered))
    await api.close()

    chats = Counter(int(c.params["chat_id"]) for c in api.calls if c.method == "sendMessage" and c.ok)
    expected = set(range(FIRST_CHAT, FIRST_CHAT + args.subscribers))
    span = (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    result = {
        "subscribers": args.subscribers, "limit_per_s": args.limit, "pace_per_s": rate,
        "prepared_s": round(prepared, 1), "delivered": sum(chats.values()),
        "duplicates": sum(n - 1 for n in chats.values() if n > 1), "lost": len(expected - set(chats)),
        "rate_per_s": round((len(stamps) - 1) / span, 2) if span else None,
        "rate_share_of_limit": round((len(stamps) - 1) / span / args.limit, 3) if span else None,
        "flood_429s": api.floods, "stopped_with": f"SIG{args.signal}" if args.stop_after else None, "runs": runs,
    }
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["duplicates"] == 0 and result["lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
