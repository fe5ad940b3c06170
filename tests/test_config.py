"""Settings: every bad value names the variable and the value; the command line exits 2."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from bot.config import ConfigError, Settings


@pytest.mark.parametrize(("name", "value", "message"), [
    ("PUTOKAZ_PORT", "80a", 'PUTOKAZ_PORT must be a number from 1 to 65535, got "80a"'),
    ("PUTOKAZ_PORT", "70000", 'PUTOKAZ_PORT must be a number from 1 to 65535, got "70000"'),
    ("PUTOKAZ_LOG_LEVEL", "LOUD", 'got "LOUD"'),
    ("PUTOKAZ_TELEGRAM_WEBHOOK_URL", "ftp://x", 'PUTOKAZ_TELEGRAM_WEBHOOK_URL must be an https or http URL, got "ftp://x"'),
    ("PUTOKAZ_TELEGRAM_API_URL", "not a url", 'PUTOKAZ_TELEGRAM_API_URL must be an https or http URL'),
    ("PUTOKAZ_TELEGRAM_TOKEN", "no colon here", "PUTOKAZ_TELEGRAM_TOKEN must look like"),
    ("PUTOKAZ_TELEGRAM_WEBHOOK_SECRET", "bad secret!", "PUTOKAZ_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters"),
    ("PUTOKAZ_DATABASE_URL", "sqlite:///x.db", "PUTOKAZ_DATABASE_URL must name an async driver"),
    ("PUTOKAZ_SECRET_KEY", "short", "PUTOKAZ_SECRET_KEY must be at least 32 characters, got 5"),
    ("PUTOKAZ_CONTENT_DIR", "/no/such/folder", 'PUTOKAZ_CONTENT_DIR must be a folder of content, got "/no/such/folder"'),
    ("PUTOKAZ_CONTENT_WATCH", "soon", 'PUTOKAZ_CONTENT_WATCH must be seconds between 0.05 and 3600, or 0 to reload '
                                      'only on SIGHUP, got "soon"'),
    ("PUTOKAZ_CONTENT_WATCH", "-1", 'got "-1"'),
    ("PUTOKAZ_STATE_CACHE", "lots", "PUTOKAZ_STATE_CACHE must be how many people's state to keep in memory (0 to "
                                    '10000000; 0 when several processes serve one database), got "lots"'),
    ("PUTOKAZ_STATE_CACHE", "-5", 'got "-5"'),
    ("PUTOKAZ_CASE_REMIND_HOURS", "soon", 'PUTOKAZ_CASE_REMIND_HOURS must be a number greater than 0, got "soon"'),
    ("PUTOKAZ_CASE_PURGE_DAYS", "0", 'PUTOKAZ_CASE_PURGE_DAYS must be a number greater than 0, got "0"'),
    ("PUTOKAZ_TELEGRAM_USERNAME", "my bot!", 'PUTOKAZ_TELEGRAM_USERNAME must be a bot username like "putokaz_bot", '
                                            'got "my bot!"'),
    ("PUTOKAZ_CONTENT_WATCH", "nan", 'got "nan"'),
    ("PUTOKAZ_VIBER_NAME", "Putokaz, the guide for refugees", 'PUTOKAZ_VIBER_NAME must be 1-28 characters (Viber\'s '
                                                              'limit for a sender name), got "Putokaz, the guide for '
                                                              'refugees" (31 characters)'),
    ("PUTOKAZ_VIBER_TOKEN", "has spaces in it, not a token", "PUTOKAZ_VIBER_TOKEN must be the token"),
    ("PUTOKAZ_VIBER_API_URL", "chatapi.viber.com", 'PUTOKAZ_VIBER_API_URL must be an https or http URL, '
                                                   'got "chatapi.viber.com"'),
    ("PUTOKAZ_PUBLIC_URL", "putokaz.example.org", 'PUTOKAZ_PUBLIC_URL must be an https or http URL'),
    ("PUTOKAZ_VIBER_ANNOUNCEMENTS", "maybe", 'PUTOKAZ_VIBER_ANNOUNCEMENTS must be true or false, got "maybe"'),
    ("PUTOKAZ_VIBER_URI", "my bot", 'PUTOKAZ_VIBER_URI must be the bot\'s chat URI'),
])
def test_bad_value_names_variable_and_value(make_settings, name, value, message):
    with pytest.raises(ConfigError) as caught:
        make_settings(**{name: value})
    assert message in str(caught.value)


def test_defaults(make_settings):
    settings = make_settings(PUTOKAZ_CONTENT_WATCH=None)
    assert settings.content_watch == 5.0
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8080, "INFO")
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.telegram_token is None and settings.telegram_webhook_url is None
    assert (settings.viber_token, settings.viber_api_url, settings.viber_name) == (
        None, "https://chatapi.viber.com/pa", "Putokaz")
    assert settings.viber_announcements is False  # Viber bills what the bot starts: off unless chosen


def test_a_viber_token_is_never_echoed_whole(make_settings):
    with pytest.raises(ConfigError) as caught:
        make_settings(PUTOKAZ_VIBER_TOKEN="44dafb7e0f40021e 61a47a1e6778d187")
    assert "61a47a1e6778d187" not in str(caught.value)


def test_toml_file_is_read_and_environment_wins(tmp_path):
    config = tmp_path / "putokaz.toml"
    config.write_text('port = 9000\nlog_level = "debug"\nPUTOKAZ_HOST = "0.0.0.0"\n')
    settings = Settings.from_env({"PUTOKAZ_PORT": "9100"}, config_file=config)
    assert (settings.port, settings.log_level, settings.host) == (9100, "DEBUG", "0.0.0.0")


def test_broken_toml_names_the_file(tmp_path):
    config = tmp_path / "putokaz.toml"
    config.write_text("port = = 1\n")
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({}, config_file=config)
    assert str(config) in str(caught.value)


def test_secret_key_is_generated_once_with_mode_0600(make_settings, tmp_path, caplog):
    settings = make_settings(PUTOKAZ_SECRET_KEY="")
    first = settings.load_secret_key()
    assert "PUTOKAZ_SECRET_KEY is not set" in caplog.text
    path = tmp_path / "var" / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.load_secret_key() == first
    assert len(first) >= 32


def test_command_line_exits_2_with_one_line(tmp_path):
    env = {**os.environ, "PUTOKAZ_PORT": "80a", "PUTOKAZ_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True,
                            timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == 'putokaz: PUTOKAZ_PORT must be a number from 1 to 65535, got "80a"'
