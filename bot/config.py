"""Settings from the environment (and optionally putokaz.toml): one place that names every variable.

Environment variables win over the file. A bad value raises ConfigError naming the variable and the value;
the command line prints it as one line and exits 2.
"""

from __future__ import annotations

import logging
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
DEFAULT_VIBER_API_URL = "https://chatapi.viber.com/pa"
DEFAULT_VIBER_NAME = "Putokaz"
VIBER_NAME_LIMIT = 28  # Viber's limit for sender.name (platform-facts B2)
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
# Editors' saves are picked up within this many seconds; a stat of a few hundred files costs well under 10 ms.
DEFAULT_CONTENT_WATCH = 5.0
# People whose state (language, place) stays in memory: about 400 bytes each, so 20000 is some 8 MB.
DEFAULT_STATE_CACHE = 20_000
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
KEY_FILE = "secret.key"


class ConfigError(ValueError):
    """A setting has a value Putokaz cannot run with."""


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    data_dir: Path
    database_url: str | None
    content_dir: Path
    locales_dir: Path
    content_watch: float  # seconds between looks for changed content files; 0: only SIGHUP reloads
    secret_key: str | None
    log_level: str
    telegram_token: str | None
    telegram_api_url: str
    telegram_webhook_url: str | None
    telegram_webhook_secret: str | None
    telegram_username: str | None = None  # the bot's @username, for the links printed to coordinators
    case_remind_hours: float = 4.0  # a case nobody took is announced again, then escalated to the country
    case_idle_days: float = 14.0  # a case with nothing new for this long is closed, with a notice
    case_purge_days: float = 30.0  # a closed case's sealed chat address is erased this long after closing
    public_url: str | None = None  # where the world reaches this server; Viber's webhook is this + /viber/webhook
    viber_token: str | None = None
    viber_api_url: str = DEFAULT_VIBER_API_URL
    viber_name: str = DEFAULT_VIBER_NAME
    viber_uri: str | None = None  # the bot's chat URI, for viber:// links printed to coordinators
    viber_announcements: bool = False  # Viber bills messages the bot starts: announcements only when enabled
    example_events: bool = False  # show the content's sample events to people (a demo); never announced
    telegram_rate: float = 29.0  # announcements a second; Telegram allows about 30 to different chats
    viber_rate: float = 10.0  # announcements a second on Viber
    state_cache: int = DEFAULT_STATE_CACHE  # people whose state is kept in memory; 0: every update reads the database

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, config_file: Path | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values = dict(_read_file(config_file or Path(environ.get("PUTOKAZ_CONFIG", "putokaz.toml")),
                                 explicit="PUTOKAZ_CONFIG" in environ))
        values.update({k: v for k, v in environ.items() if k.startswith("PUTOKAZ_")})

        def get(name: str, default: str | None = None) -> str | None:
            value = values.get(name)
            return default if value is None or value == "" else value

        webhook_url = get("PUTOKAZ_TELEGRAM_WEBHOOK_URL")
        if webhook_url is not None:
            _check_url("PUTOKAZ_TELEGRAM_WEBHOOK_URL", webhook_url, schemes=("https", "http"))
        api_url = get("PUTOKAZ_TELEGRAM_API_URL", DEFAULT_TELEGRAM_API_URL)
        _check_url("PUTOKAZ_TELEGRAM_API_URL", api_url, schemes=("https", "http"))
        token = get("PUTOKAZ_TELEGRAM_TOKEN")
        if token is not None and (":" not in token or any(c.isspace() for c in token)):
            raise ConfigError(f'PUTOKAZ_TELEGRAM_TOKEN must look like "123456:ABC-DEF..." from @BotFather, '
                              f'got "{_mask(token)}"')
        secret = get("PUTOKAZ_TELEGRAM_WEBHOOK_SECRET")
        if secret is not None and not (1 <= len(secret) <= 256 and all(c.isalnum() or c in "_-" for c in secret)):
            raise ConfigError("PUTOKAZ_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -, "
                              f"got {len(secret)} characters")
        database_url = get("PUTOKAZ_DATABASE_URL")
        if database_url is not None and "+" not in database_url.split("://", 1)[0]:
            raise ConfigError("PUTOKAZ_DATABASE_URL must name an async driver, like sqlite+aiosqlite:///var/putokaz.db "
                              f'or postgresql+asyncpg://..., got "{_hide_password(database_url)}"')
        key = get("PUTOKAZ_SECRET_KEY")
        if key is not None and len(key) < 32:
            raise ConfigError(f"PUTOKAZ_SECRET_KEY must be at least 32 characters, got {len(key)}")
        level = (get("PUTOKAZ_LOG_LEVEL", "INFO") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"PUTOKAZ_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, "
                              f'got "{get("PUTOKAZ_LOG_LEVEL")}"')
        content_dir = Path(get("PUTOKAZ_CONTENT_DIR", str(PACKAGE_ROOT / "content")))
        if not content_dir.is_dir():
            raise ConfigError(f'PUTOKAZ_CONTENT_DIR must be a folder of content, got "{content_dir}"')
        watch = get("PUTOKAZ_CONTENT_WATCH", str(DEFAULT_CONTENT_WATCH)) or ""
        try:
            content_watch = float(watch)
        except ValueError:
            content_watch = -1.0
        if not (content_watch == 0 or 0.05 <= content_watch <= 3600):
            raise ConfigError(f"PUTOKAZ_CONTENT_WATCH must be seconds between 0.05 and 3600, or 0 to reload only "
                              f'on SIGHUP, got "{watch}"')
        username = get("PUTOKAZ_TELEGRAM_USERNAME")
        if username is not None:
            username = username.removeprefix("@")
            if not (5 <= len(username) <= 32 and all(c.isalnum() or c == "_" for c in username)):
                raise ConfigError(f'PUTOKAZ_TELEGRAM_USERNAME must be a bot username like "putokaz_bot", '
                                  f'got "{username}"')
        public_url = get("PUTOKAZ_PUBLIC_URL")
        if public_url is not None:
            _check_url("PUTOKAZ_PUBLIC_URL", public_url, schemes=("https", "http"))
            public_url = public_url.rstrip("/")
        viber_token = get("PUTOKAZ_VIBER_TOKEN")
        if viber_token is not None and not (20 <= len(viber_token) <= 100
                                            and all(c.isalnum() or c == "-" for c in viber_token)):
            raise ConfigError('PUTOKAZ_VIBER_TOKEN must be the token from the Viber bot\'s settings, like '
                              f'"4453b6ac1234...-...", got "{_mask(viber_token)}" ({len(viber_token)} characters)')
        viber_api_url = get("PUTOKAZ_VIBER_API_URL", DEFAULT_VIBER_API_URL) or DEFAULT_VIBER_API_URL
        _check_url("PUTOKAZ_VIBER_API_URL", viber_api_url, schemes=("https", "http"))
        viber_name = (get("PUTOKAZ_VIBER_NAME", DEFAULT_VIBER_NAME) or DEFAULT_VIBER_NAME).strip()
        if not 1 <= len(viber_name) <= VIBER_NAME_LIMIT:
            raise ConfigError(f"PUTOKAZ_VIBER_NAME must be 1-{VIBER_NAME_LIMIT} characters (Viber's limit for a "
                              f'sender name), got "{viber_name}" ({len(viber_name)} characters)')
        viber_uri = get("PUTOKAZ_VIBER_URI")
        if viber_uri is not None and not all(c.isalnum() or c in "_-." for c in viber_uri):
            raise ConfigError(f'PUTOKAZ_VIBER_URI must be the bot\'s chat URI (letters, digits, _ - .), like '
                              f'"putokaz", got "{viber_uri}"')
        announcements = _flag("PUTOKAZ_VIBER_ANNOUNCEMENTS", get("PUTOKAZ_VIBER_ANNOUNCEMENTS", "false"))
        examples = _flag("PUTOKAZ_EXAMPLE_EVENTS", get("PUTOKAZ_EXAMPLE_EVENTS", "false"))
        pace = {name: _rate(name, get(name, default) or default) for name, default in (
            ("PUTOKAZ_TELEGRAM_RATE", "29"), ("PUTOKAZ_VIBER_RATE", "10"))}
        state_cache = get("PUTOKAZ_STATE_CACHE", str(DEFAULT_STATE_CACHE)) or ""
        if not (state_cache.isdigit() and int(state_cache) <= 10_000_000):
            raise ConfigError("PUTOKAZ_STATE_CACHE must be how many people's state to keep in memory (0 to 10000000; "
                              f'0 when several processes serve one database), got "{state_cache}"')
        durations = {name: _positive(name, get(name, default) or default) for name, default in (
            ("PUTOKAZ_CASE_REMIND_HOURS", "4"), ("PUTOKAZ_CASE_IDLE_DAYS", "14"), ("PUTOKAZ_CASE_PURGE_DAYS", "30"))}
        return cls(
            host=get("PUTOKAZ_HOST", "127.0.0.1") or "127.0.0.1",
            port=_port(get("PUTOKAZ_PORT", "8080") or "8080"),
            data_dir=Path(get("PUTOKAZ_DATA_DIR", "./var") or "./var"),
            database_url=database_url,
            content_dir=content_dir,
            locales_dir=Path(get("PUTOKAZ_LOCALES_DIR", str(PACKAGE_ROOT / "locales")) or ""),
            content_watch=content_watch,
            secret_key=key,
            log_level=level,
            telegram_token=token,
            telegram_api_url=api_url or DEFAULT_TELEGRAM_API_URL,
            telegram_webhook_url=webhook_url,
            telegram_webhook_secret=secret,
            telegram_username=username,
            case_remind_hours=durations["PUTOKAZ_CASE_REMIND_HOURS"],
            case_idle_days=durations["PUTOKAZ_CASE_IDLE_DAYS"],
            case_purge_days=durations["PUTOKAZ_CASE_PURGE_DAYS"],
            public_url=public_url,
            viber_token=viber_token,
            viber_api_url=viber_api_url.rstrip("/"),
            viber_name=viber_name,
            viber_uri=viber_uri,
            viber_announcements=announcements,
            example_events=examples,
            telegram_rate=pace["PUTOKAZ_TELEGRAM_RATE"],
            viber_rate=pace["PUTOKAZ_VIBER_RATE"],
            state_cache=int(state_cache),
        )

    def load_secret_key(self) -> bytes:
        """The key for pseudonyms: the setting, else one generated once into the data dir (mode 0600)."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / KEY_FILE
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            message = (f"PUTOKAZ_SECRET_KEY is not set: generated one into {path}. Keep that file: without it "
                       "stored pseudonyms can no longer be matched to returning users.")
            logging.getLogger(__name__).warning(message)
        key = path.read_text().strip()
        if len(key) < 32:
            raise ConfigError(f"{path} must hold a key of at least 32 characters, got {len(key)}")
        return key.encode()


def _read_file(path: Path, *, explicit: bool) -> dict[str, str]:
    if not path.exists():
        if explicit:
            raise ConfigError(f'PUTOKAZ_CONFIG must name a TOML file, got "{path}" which does not exist')
        return {}
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    values = {}
    for key, value in data.items():
        name = key.upper() if key.upper().startswith("PUTOKAZ_") else "PUTOKAZ_" + key.upper()
        if isinstance(value, (dict, list)):
            raise ConfigError(f"{path}: {key} must be a single value, got {type(value).__name__}")
        values[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return values


def _flag(name: str, value: str | None) -> bool:
    written = (value or "").strip().lower()
    if written not in TRUE + FALSE:
        raise ConfigError(f'{name} must be true or false, got "{value}"')
    return written in TRUE


def _rate(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.1 <= number <= 1000:
        raise ConfigError(f'{name} must be messages a second from 0.1 to 1000, got "{value}"')
    return number


def _positive(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= 10_000:
        raise ConfigError(f'{name} must be a number greater than 0, got "{value}"')
    return number


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f'PUTOKAZ_PORT must be a number from 1 to 65535, got "{value}"')
    return int(value)


def _check_url(name: str, value: str, *, schemes: tuple[str, ...]) -> None:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise ConfigError(f'{name} must be an {" or ".join(schemes)} URL, got "{value}"')


def _mask(secret: str) -> str:
    return secret[:4] + "…" if len(secret) > 8 else "…"


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(parts.password, "***")
    return url
