"""Content edits reach a running bot on SIGHUP; a broken edit keeps the old content serving."""

from __future__ import annotations

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
           "PUTOKAZ_SECRET_KEY": SECRET, "PUTOKAZ_PORT": str(port)}
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
