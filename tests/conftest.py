"""Fixtures every suite shares: settings on a temporary data dir, the fixture content pack, a built engine."""

from __future__ import annotations

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
