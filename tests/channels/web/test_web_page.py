"""GET / and GET /static/{name}: the page, its two files, their headers; nothing else is served."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.channels.web.adapter import CONTENT_SECURITY_POLICY, COOKIE

STATIC = Path(__file__).resolve().parents[3] / "bot" / "channels" / "web" / "static"
SECURITY = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def test_the_page(client):
    response = await client.get("/")

    body = await response.text()
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert {name: response.headers.get(name) for name in SECURITY} == SECURITY
    assert CONTENT_SECURITY_POLICY == SECURITY["Content-Security-Policy"]
    assert "<title>Putokaz</title>" in body
    assert re.search(r'src="/static/chat\.js\?v=[0-9a-f]{16}"', body), body
    assert re.search(r'href="/static/chat\.css\?v=[0-9a-f]{16}"', body), body
    assert COOKIE in response.cookies


@pytest.mark.parametrize(("name", "content_type"), [
    ("chat.js", "text/javascript; charset=utf-8"),
    ("chat.css", "text/css; charset=utf-8"),
])
async def test_static_files(client, name, content_type):
    response = await client.get(f"/static/{name}?v=anything")

    assert response.status == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert await response.read() == (STATIC / name).read_bytes()


async def test_an_unchanged_static_file_is_not_sent_again(client):
    first = await client.get("/static/chat.js")
    again = await client.get("/static/chat.js", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status == 304
    assert await again.read() == b""


async def test_the_page_names_the_static_files_by_their_etag(client):
    page = await (await client.get("/")).text()
    etag = (await client.get("/static/chat.js")).headers["ETag"]

    assert f"/static/chat.js?v={etag.strip(chr(34))}" in page


@pytest.mark.parametrize("path", [
    "/static/index.html",
    "/static/nope.js",
    "/static/adapter.py",
    "/static/..%2Fadapter.py",
    "/static/CHAT.JS",
    "/static/",
])
async def test_anything_else_under_static_is_404(client, path):
    response = await client.get(path)

    assert response.status == 404


def test_the_page_loads_nothing_from_elsewhere_and_stays_small():
    files = {name: (STATIC / name).read_text(encoding="utf-8") for name in ("index.html", "chat.js", "chat.css")}

    # No CDN, no web fonts: a slow connection fetches three small files and nothing more.
    assert [name for name, text in files.items() if re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text)] == []
    assert [name for name, text in files.items() if "@import" in text or "@font-face" in text] == []
    assert sum(len(text.encode("utf-8")) for text in files.values()) < 16 * 1024
