"""Fixtures every suite shares: settings on a temporary data dir, the fixture content pack, a built engine."""

from __future__ import annotations

import datetime as dt
import shutil
import zoneinfo
from pathlib import Path

import pytest

from bot.config import PACKAGE_ROOT, Settings

TESTS = Path(__file__).resolve().parent
FIXTURE_CONTENT = TESTS / "data" / "content"
SECRET = "test-secret-key-0123456789abcdef0123456789"


@pytest.fixture
def make_settings(tmp_path):
    """Settings as an operator would give them, with a private data dir and the fixture content."""

    def make(**overrides: str) -> Settings:
        environ = {
            "PUTOKAZ_DATA_DIR": str(tmp_path / "var"),
            "PUTOKAZ_CONTENT_DIR": str(FIXTURE_CONTENT),
            "PUTOKAZ_SECRET_KEY": SECRET,
            "PUTOKAZ_PORT": "8080",
            "PUTOKAZ_CONTENT_WATCH": "0",  # tests reload explicitly; tests/test_reload.py covers watching
        }
        environ.update(overrides)
        return Settings.from_env({k: v for k, v in environ.items() if v is not None},
                                 config_file=tmp_path / "absent.toml")

    return make


@pytest.fixture
async def services(make_settings):
    """The real engine over real SQLite, fixture content and the project's catalogs."""
    from bot.app import build

    built = await build(make_settings())
    yield built
    await built.close()


@pytest.fixture
def real_content_dir() -> Path:
    return PACKAGE_ROOT / "content"


def write_events(content: Path, now: dt.datetime) -> None:
    """Events of Serbia relative to `now`, so they stay upcoming whenever the tests run."""
    local = zoneinfo.ZoneInfo("Europe/Belgrade")

    def at(days: float, hour: int = 16) -> str:
        day = (now.astimezone(local) + dt.timedelta(days=days)).date()
        return f"{day.isoformat()} {hour:02d}:00"

    soon = (now.astimezone(local) + dt.timedelta(hours=6)).strftime("%Y-%m-%d %H:00")
    later = (now.astimezone(local) + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:00")
    events = [
        f"""- id: lang-cafe-sid
  places: [rs-sid]
  category: language-class
  title: {{en: "Serbian language café", ar: "مقهى اللغة الصربية"}}
  description: {{en: "Practise Serbian over tea. Free.", ar: "تدرّب على الصربية مع الشاي. مجانًا."}}
  starts: "{at(3)}"
  ends: "{at(3, 18)}"
  venue: "Test Hall"
  address: "Test Street 2, Šid"
  lat: 45.1290
  lon: 19.2270
  organiser: "Test Network Šid"
  capacity: {{en: "20 places"}}
  source: "test fixture"
  last_verified: 2026-11-01
""",
        f"""- id: soon-sid
  places: [rs-sid]
  category: community
  title: {{en: "Community tea this evening"}}
  description: {{en: "Tea and games."}}
  starts: "{soon}"
  ends: "{later}"
  venue: "Test Hall"
  organiser: "Test Network Šid"
  source: "test fixture"
  last_verified: 2026-11-01
""",
        f"""- id: example-sid
  example: true
  places: [rs-sid]
  category: training
  title: {{en: "Example training"}}
  description: {{en: "Only an example."}}
  starts: "{at(4)}"
  ends: "{at(4, 18)}"
  venue: "Nowhere"
  organiser: "Nobody"
  source: "test fixture"
  last_verified: 2026-11-01
""",
    ]
    for number in range(6):
        events.append(f"""- id: legal-info-{number}
  places: [rs-beograd]
  category: legal-info
  title: {{en: "Legal information session {number}"}}
  description: {{en: "Your rights in the asylum procedure, with interpreters."}}
  starts: "{at(5 + number, 11)}"
  ends: "{at(5 + number, 13)}"
  venue: "Test Centre Belgrade"
  organiser: "Test Lawyers"
  registration: "https://example.org/register"
  source: "test fixture"
  last_verified: 2026-11-01
""")
    folder = content / "events"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rs.yaml").write_text("\n".join(events), encoding="utf-8")


@pytest.fixture
def event_content(tmp_path) -> Path:
    """The fixture content with upcoming events of Serbia (and one example) written for today."""
    content = tmp_path / "content-with-events"
    shutil.copytree(FIXTURE_CONTENT, content)
    write_events(content, dt.datetime.now(dt.timezone.utc))
    return content
