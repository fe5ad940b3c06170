"""Content edits reach a running bot on SIGHUP; a broken edit keeps the old content serving."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from bot.app import ContentHolder
from tests.conftest import FIXTURE_CONTENT, SECRET
from tests.test_cli import _free_port

TODAY = dt.date(2026, 11, 25)


def _copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


async def test_reload_swaps_in_valid_edits(tmp_path):
    root = _copy(tmp_path)
    holder = ContentHolder(root)
    holder.load(TODAY)
    page = root / "articles" / "en" / "legal" / "asylum-steps-rs.md"
    page.write_text(page.read_text().replace("title: How to ask for asylum in Serbia", "title: Asking for asylum"))
    assert await holder.reload(TODAY) is True
    assert holder().article("asylum-steps-rs", ("en",)).title == "Asking for asylum"


async def test_broken_edit_keeps_the_old_pack_and_logs_file_and_line(tmp_path, caplog):
    root = _copy(tmp_path)
    holder = ContentHolder(root)
    holder.load(TODAY)
    before = holder()
    (root / "places.yaml").write_text("- id: rs-sid\n  country: [\n")
    assert await holder.reload(TODAY) is False
    assert holder() is before
    assert "places.yaml:" in caplog.text and "still serving the previous content" in caplog.text


async def _until(condition, what: str, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def test_watching_picks_up_saves_and_refuses_a_broken_one(tmp_path, caplog):
    root = _copy(tmp_path)
    holder = ContentHolder(root)
    holder.load(TODAY)
    watcher = asyncio.create_task(holder.watch(0.05))
    try:
        await asyncio.sleep(0.2)  # the first look has been taken
        page = root / "articles" / "en" / "legal" / "asylum-steps-rs.md"
        page.write_text(page.read_text().replace("title: How to ask for asylum in Serbia", "title: Asking for asylum"))
        await _until(lambda: holder().article("asylum-steps-rs", ("en",)).title == "Asking for asylum", "the edit")

        before = holder()
        (root / "places.yaml").write_text("- id: rs-sid\n  country: [\n")
        await _until(lambda: "reload refused" in caplog.text, "the refusal")
        assert holder() is before and "places.yaml:" in caplog.text

        (root / "articles" / "en" / "legal" / "only-english-rs.md").unlink()
        shutil.copy(FIXTURE_CONTENT / "places.yaml", root / "places.yaml")
        await _until(lambda: holder().article("only-english-rs", ("en",)) is None, "the removal and the fix")
    finally:
        watcher.cancel()


def _ask(port: int, body: dict, cookie: str | None) -> tuple[str, str | None]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/web/api/message", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        set_cookie = response.headers.get("Set-Cookie")
        text = " ".join(r["html"] for r in json.loads(response.read())["replies"])
    return text, (set_cookie.split(";")[0] if set_cookie else cookie)


def test_sighup_reloads_a_running_bot(tmp_path):
    root = _copy(tmp_path)
    port = _free_port()
    log = tmp_path / "stderr.log"
    env = {**os.environ, "PUTOKAZ_CONTENT_DIR": str(root), "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
           "PUTOKAZ_SECRET_KEY": SECRET, "PUTOKAZ_PORT": str(port), "PUTOKAZ_CONTENT_WATCH": "0"}
    with log.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stderr=stderr,
                                   stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, log.read_text()
                time.sleep(0.1)
        _, cookie = _ask(port, {"text": "/start en__rs-sid"}, None)
        text, cookie = _ask(port, {"action": "a:asylum-steps-rs"}, cookie)
        assert "How to ask for asylum in Serbia" in text

        page = root / "articles" / "en" / "legal" / "asylum-steps-rs.md"
        page.write_text(page.read_text().replace("title: How to ask for asylum in Serbia", "title: Asking for asylum"))
        process.send_signal(signal.SIGHUP)
        while "content reloaded" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        text, cookie = _ask(port, {"action": "a:asylum-steps-rs"}, cookie)
        assert "Asking for asylum" in text

        (root / "places.yaml").write_text("- id: rs-sid\n  country: [\n")
        process.send_signal(signal.SIGHUP)
        while "reload refused" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert "places.yaml:" in log.read_text()
        text, cookie = _ask(port, {"action": "a:asylum-steps-rs"}, cookie)
        assert "Asking for asylum" in text  # still serving
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_the_app_watches_content_when_asked_and_stops_watching_on_cleanup(make_settings, tmp_path):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import RUNTIME, create_app

    root = _copy(tmp_path)
    app = await create_app(make_settings(PUTOKAZ_CONTENT_DIR=str(root), PUTOKAZ_CONTENT_WATCH="0.05"))
    async with TestClient(TestServer(app)) as client:
        holder = app[RUNTIME].content
        watchers = [t for t in asyncio.all_tasks() if t.get_name() == "content watch"]
        assert len(watchers) == 1
        await asyncio.sleep(0.2)
        page = root / "articles" / "en" / "legal" / "asylum-steps-rs.md"
        page.write_text(page.read_text().replace("title: How to ask for asylum in Serbia", "title: Asking for asylum"))
        await _until(lambda: holder().article("asylum-steps-rs", ("en",)).title == "Asking for asylum", "the edit")
        assert (await client.get("/healthz")).status == 200
    assert watchers[0].done()
