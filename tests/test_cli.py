"""The command line as an operator or editor uses it: real processes, real files."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.config import PACKAGE_ROOT
from tests.conftest import FIXTURE_CONTENT, SECRET


def putokaz(*args: str, env: dict | None = None, input: str | None = None, cwd=None, timeout: int = 120):
    return subprocess.run([sys.executable, "-m", "bot", *args], env={**os.environ, **(env or {})}, input=input,
                          capture_output=True, text=True, timeout=timeout, cwd=cwd)


@pytest.mark.parametrize("args", [(), ("run",), ("chat",), ("content", "check"), ("i18n",)])
def test_help_on_every_command(args):
    result = putokaz(*args, "--help")
    assert result.returncode == 0
    assert "usage: putokaz" in result.stdout


def test_content_check_passes_on_the_fixture_pack():
    result = putokaz("content", "check", "--dir", str(FIXTURE_CONTENT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_content_check_names_file_and_line(tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, broken)
    page = broken / "articles" / "en" / "legal" / "asylum-steps-rs.md"
    page.write_text(page.read_text().replace("countries: [rs]", "places: [rs-sidd]"))
    result = putokaz("content", "check", "--dir", str(broken))
    assert result.returncode == 1
    line = next(n for n, text in enumerate(page.read_text().splitlines(), 1) if "rs-sidd" in text)
    assert f"articles/en/legal/asylum-steps-rs.md:{line}:" in result.stdout
    assert "rs-sid" in result.stdout.split("rs-sidd", 1)[1]  # did you mean rs-sid?


def test_run_refuses_broken_content(tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, broken)
    (broken / "places.yaml").write_text("- id: rs-sid\n  country: [\n")
    result = putokaz("run", env={"PUTOKAZ_CONTENT_DIR": str(broken), "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
                                 "PUTOKAZ_SECRET_KEY": SECRET, "PUTOKAZ_PORT": "1"})
    assert result.returncode == 1
    assert "places.yaml:" in result.stderr


def test_chat_in_a_terminal(tmp_path):
    env = {"PUTOKAZ_CONTENT_DIR": str(FIXTURE_CONTENT), "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
           "PUTOKAZ_SECRET_KEY": SECRET}
    result = putokaz("chat", env=env, input="/start en__rs-sid\n1\nloc 44.82,20.46\n/sos\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] ⚖️ Legal status" in out
    assert "How to ask for asylum in Serbia" in out
    assert "Belgrade" in out and "192" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_serves_healthz_and_stops_cleanly_on_sigterm(tmp_path):
    port = _free_port()
    env = {**os.environ, "PUTOKAZ_CONTENT_DIR": str(FIXTURE_CONTENT), "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
           "PUTOKAZ_SECRET_KEY": SECRET, "PUTOKAZ_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert b"Putokaz" in response.read()
        # A second process on the same database would keep its own memory of people's state: refused, exit 2.
        second = putokaz("run", env={**env, "PUTOKAZ_PORT": str(_free_port())})
        assert (second.returncode, second.stderr.strip()) == (2, (
            f"putokaz: PUTOKAZ_STATE_CACHE is 20000, but another process already serves "
            f"{(tmp_path / 'var' / 'putokaz.db').resolve()}, and with people's state in memory two processes would "
            "disagree: stop the other one, or set PUTOKAZ_STATE_CACHE=0 in every process that serves this database."))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        _, stderr = process.communicate()
    assert "Traceback" not in stderr
    assert (tmp_path / "var" / "putokaz.db").exists()


def test_run_refuses_a_broken_catalog_naming_the_file(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(PACKAGE_ROOT / "locales", locales)
    po = locales / "ar" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text() + '\nmsgid "unterminated\n')
    result = putokaz("run", env={"PUTOKAZ_LOCALES_DIR": str(locales), "PUTOKAZ_CONTENT_DIR": str(FIXTURE_CONTENT),
                                 "PUTOKAZ_DATA_DIR": str(tmp_path / "var"), "PUTOKAZ_SECRET_KEY": SECRET})
    assert result.returncode == 1
    assert "messages.po" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("i18n", "init"), "putokaz: i18n init needs a language code, like: putokaz i18n init ku"),
    (("i18n", "init", "ar"), "already exists; `update` merges new strings into it"),
    (("i18n", "init", "klingon"), '"klingon" is not a language CLDR knows'),
    (("i18n", "check", "ar"), "putokaz: i18n check takes no language"),
])
def test_i18n_init_refuses_with_a_reason_and_exit_2(args, message):
    result = putokaz(*args)
    assert result.returncode == 2 and message in result.stderr


def test_coordinator_invite_list_edit_revoke(tmp_path):
    env = {"PUTOKAZ_DATA_DIR": str(tmp_path), "PUTOKAZ_TELEGRAM_USERNAME": "putokaz_test_bot",
           "PUTOKAZ_VIBER_URI": "putokaz", "COLUMNS": "200", "PUTOKAZ_SECRET_KEY": "s" * 40}
    invited = putokaz("coordinator", "invite", "--name", "CSR Šid", "--places", "rs-sid,rs", "--topics",
                      "legal,health", "--languages", "sr,en", env=env)
    assert invited.returncode == 0, invited.stderr
    code = invited.stdout.split("Invite code (one use, valid 72 hours): ")[1].split()[0]
    assert f"https://t.me/putokaz_test_bot?start=c_{code}" in invited.stdout
    assert f"viber://pa?chatURI=putokaz&context=c_{code}" in invited.stdout
    assert "CSR Šid" in putokaz("coordinator", "list", env=env).stdout
    assert putokaz("coordinator", "edit", "1", "--topics", "all", env=env).returncode == 0
    assert putokaz("coordinator", "revoke", "1", env=env).returncode == 0
    again = putokaz("coordinator", "revoke", "1", env=env)
    assert (again.returncode, again.stderr.strip()) == (1, "putokaz: no coordinator 1 to revoke (or already revoked)")


@pytest.mark.parametrize(("args", "message"), [
    (("--places", "rs-sd", "--topics", "legal"), 'putokaz: --places: unknown "rs-sd"'),
    (("--places", "rs-sid", "--topics", "legal,all"), 'putokaz: --topics: "all" stands alone'),
    (("--places", "rs-sid", "--topics", "lawyers"), 'putokaz: --topics: unknown "lawyers"'),
    (("--places", "rs-sid", "--topics", "legal", "--languages", "xx"), 'putokaz: --languages: unknown "xx"'),
])
def test_coordinator_invite_refuses_unknown_values_with_exit_2(tmp_path, args, message):
    result = putokaz("coordinator", "invite", "--name", "X", *args, env={"PUTOKAZ_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and message in result.stderr


async def _putokaz_async(*args: str, env: dict) -> tuple[int, str, str]:
    """The command in a child process while this test's event loop keeps serving (the fake Viber API)."""
    import asyncio

    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env={**os.environ, **env},
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


async def test_viber_set_webhook_registers_the_public_url_and_prints_vibers_answer(tmp_path):
    from tests.fakes.viber_api import TOKEN, FakeViberAPI

    async with FakeViberAPI() as api:
        env = {"PUTOKAZ_DATA_DIR": str(tmp_path), "PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": api.base_url,
               "PUTOKAZ_PUBLIC_URL": "https://putokaz.example.org/"}
        code, out, err = await _putokaz_async("viber", "set-webhook", env=env)
        assert code == 0, err
        [registered] = api.webhooks
        assert registered["url"] == "https://putokaz.example.org/viber/webhook"
        assert (registered["send_name"], registered["send_photo"]) == (False, False)  # no names, no photos
        assert {"conversation_started", "delivered", "seen", "failed"} <= set(registered["event_types"])
        assert '"status_message": "ok"' in out

        code, out, err = await _putokaz_async("viber", "set-webhook", env={**env, "PUTOKAZ_VIBER_TOKEN": "0" * 49})
        assert code == 1 and "Viber refused: invalidAuthToken (2)" in err


@pytest.mark.parametrize(("missing", "message"), [
    ("PUTOKAZ_VIBER_TOKEN", "putokaz: PUTOKAZ_VIBER_TOKEN must be set"),
    ("PUTOKAZ_PUBLIC_URL", "putokaz: PUTOKAZ_PUBLIC_URL must be set"),
])
def test_viber_set_webhook_names_a_missing_setting_and_exits_2(tmp_path, missing, message):
    env = {"PUTOKAZ_DATA_DIR": str(tmp_path), "PUTOKAZ_VIBER_TOKEN": "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a0",
           "PUTOKAZ_PUBLIC_URL": "https://putokaz.example.org", missing: ""}
    result = putokaz("viber", "set-webhook", env=env)
    assert (result.returncode, result.stderr.startswith(message)) == (2, True), result.stderr


async def test_announce_dry_run_then_send_then_again_sends_nothing_twice(tmp_path, event_content):
    from bot.privacy.sealing import Sealer
    from bot.storage import open_database, sqlite_url
    from bot.storage.subscriptions import SqlSubscriptions
    from tests.fakes.telegram_api import FakeBotAPI

    database = await open_database(sqlite_url(tmp_path / "var"))
    store = SqlSubscriptions(database.engine, Sealer(SECRET.encode()))
    for number in range(5):
        await store.subscribe(user=f"p{number}", channel="telegram", sender=str(7000 + number), place="rs-sid",
                              category="language-class")
    await database.close()
    async with FakeBotAPI() as api:
        env = {"PUTOKAZ_DATA_DIR": str(tmp_path / "var"), "PUTOKAZ_SECRET_KEY": SECRET,
               "PUTOKAZ_CONTENT_DIR": str(event_content), "PUTOKAZ_TELEGRAM_TOKEN": "123456:TEST-token",
               "PUTOKAZ_TELEGRAM_API_URL": api.base_url, "COLUMNS": "200"}
        code, out, err = await _putokaz_async("announce", "lang-cafe-sid", "--dry-run", env=env)
        assert code == 0, err
        assert "telegram" in out and "5 subscriber(s)" in out and "Serbian language café" in out
        assert [c for c in api.calls if c.method == "sendMessage"] == []

        code, out, err = await _putokaz_async("announce", "lang-cafe-sid", env=env)
        assert code == 0, err
        assert "5 new subscriber(s) queued" in out and "5 sent, 0 failed" in out
        assert sorted(str(c.params["chat_id"]) for c in api.calls if c.method == "sendMessage") == [
            str(7000 + n) for n in range(5)]

        code, out, err = await _putokaz_async("announce", "lang-cafe-sid", env=env)
        assert code == 0 and "0 new subscriber(s) queued" in out
        assert len([c for c in api.calls if c.method == "sendMessage"]) == 5

        code, out, err = await _putokaz_async("announce", "no-such-event", env=env)
        assert code == 2 and 'no event "no-such-event"' in err


async def test_run_with_a_rejected_token_names_the_setting_and_exits_2(tmp_path):
    from tests.fakes.telegram_api import FakeBotAPI

    async with FakeBotAPI() as api:
        api.fail_next("getMe", status=401, description="Unauthorized")
        env = {"PUTOKAZ_CONTENT_DIR": str(FIXTURE_CONTENT), "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
               "PUTOKAZ_SECRET_KEY": SECRET, "PUTOKAZ_PORT": str(_free_port()),
               "PUTOKAZ_TELEGRAM_TOKEN": "999:SECRET-TOKEN", "PUTOKAZ_TELEGRAM_API_URL": api.base_url}
        code, _out, err = await _putokaz_async("run", env=env)
    assert (code, err.strip()) == (2, f"putokaz: PUTOKAZ_TELEGRAM_TOKEN: the Telegram bot token was rejected by the "
                                      f"Bot API at {api.base_url}; give the token @BotFather gave")


def test_run_without_the_bot_api_says_so_and_exits_1(tmp_path):
    env = {"PUTOKAZ_CONTENT_DIR": str(FIXTURE_CONTENT), "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
           "PUTOKAZ_SECRET_KEY": SECRET, "PUTOKAZ_PORT": str(_free_port()), "PUTOKAZ_TELEGRAM_TOKEN": "999:x",
           "PUTOKAZ_TELEGRAM_API_URL": f"http://127.0.0.1:{_free_port()}/bot"}  # nothing listens there
    result = putokaz("run", env=env)
    assert result.returncode == 1
    assert "PUTOKAZ_TELEGRAM_API_URL: the Bot API at http://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr and "Unclosed" not in result.stderr
