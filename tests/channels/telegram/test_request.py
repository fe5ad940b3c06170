"""AiohttpRequest: PTB's Bot calls over a shared aiohttp session, errors mapped as PTB maps them."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import Bot
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.channels.telegram.request import AiohttpRequest
from tests.channels.telegram.support import TOKEN, WEBHOOK_URL
from tests.fakes.telegram_api import BOT_USER


@pytest.fixture
async def bot(fake_api, session):
    async with Bot(TOKEN, base_url=fake_api.base_url, request=AiohttpRequest(session),
                   get_updates_request=AiohttpRequest(session)) as telegram_bot:
        yield telegram_bot


async def test_form_parameters_reach_the_api_json_encoded(bot, fake_api):
    message = await bot.send_message(chat_id=42, text="123 <b>hi</b>", parse_mode="HTML")
    assert message.chat.id == 42
    [call] = await fake_api.wait_for("sendMessage")
    assert call.params == {"chat_id": 42, "text": "123 <b>hi</b>", "parse_mode": "HTML"}


async def test_files_are_sent_as_multipart(bot, fake_api):
    assert await bot.set_webhook(url=WEBHOOK_URL, certificate=b"-----BEGIN CERTIFICATE-----\n")
    [call] = await fake_api.wait_for("setWebhook")
    assert call.params["url"] == WEBHOOK_URL
    assert call.params["certificate"] == b"-----BEGIN CERTIFICATE-----\n"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own, in RetryAfter
async def test_429_becomes_retry_after(bot, fake_api):
    fake_api.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(chat_id=42, text="x")
    assert error.value.retry_after == 3


@pytest.mark.parametrize(("status", "description", "expected"), [
    (403, "Forbidden: bot was blocked by the user", Forbidden),
    (400, "Bad Request: chat not found", BadRequest),
])
async def test_error_statuses_become_ptb_errors(bot, fake_api, status, description, expected):
    fake_api.fail_next("sendMessage", status=status, description=description)
    # PTB drops Telegram's "Bad Request: " prefix and capitalizes the rest.
    with pytest.raises(expected, match="(?i)" + description.removeprefix("Bad Request: ")):
        await bot.send_message(chat_id=42, text="x")


async def test_refused_connection_is_a_network_error(session):
    probe = TestServer(web.Application(), host="127.0.0.1")
    await probe.start_server()
    url = str(probe.make_url("/bot1:x/getMe"))
    await probe.close()  # nothing listens on that port any more
    with pytest.raises(NetworkError, match="aiohttp.ClientConnectorError"):
        await AiohttpRequest(session).post(url)


async def test_network_errors_do_not_quote_the_token(session):
    with pytest.raises(NetworkError) as error:
        await AiohttpRequest(session).post("http:///bot123:SECRET-token/getMe")  # aiohttp quotes this URL
    assert "SECRET-token" not in str(error.value)
    assert error.value.__cause__ is None  # a logged traceback would show the original message


async def test_slow_answer_is_timed_out(session):
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot1:x/getMe", slow)
    async with TestServer(app, host="127.0.0.1") as server:
        with pytest.raises(TimedOut):
            await AiohttpRequest(session, read_timeout=0.05).post(str(server.make_url("/bot1:x/getMe")))


async def test_a_borrowed_session_is_left_open_and_an_own_one_closed(session, fake_api):
    borrowed = AiohttpRequest(session)
    await borrowed.initialize()
    await borrowed.shutdown()
    assert not session.closed

    own = AiohttpRequest()
    await own.initialize()
    assert await own.post(f"{fake_api.base_url}1:x/getMe") == {**BOT_USER}
    await own.shutdown()
    with pytest.raises(NetworkError, match="session is closed"):
        await own.post(f"{fake_api.base_url}1:x/getMe")


async def test_unknown_method_is_404_as_on_telegram(bot):
    with pytest.raises(EndPointNotFound, match="noSuchMethod"):
        await bot.do_api_request("noSuchMethod")
