"""The other peer: a bare aiogram 3 echo bot with its aiohttp webhook handler (platform-facts C), in background mode.

    python bench/peers/aiogram_echo.py <api base url> <port> <webhook url> <secret>
"""

from __future__ import annotations

import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web


def main() -> None:
    api, port, webhook_url, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    # The fake Bot API's base is ".../bot"; aiogram builds "{base}{token}/{method}" from it.
    server = TelegramAPIServer(base=api + "{token}/{method}", file=api + "{token}/{path}")
    bot = Bot(token="123456:PEER-token", session=AiohttpSession(api=server))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    async def on_startup(bot: Bot) -> None:
        await bot.set_webhook(webhook_url, secret_token=secret, allowed_updates=["message"])

    dispatcher.startup.register(on_startup)
    app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret,
                         handle_in_background=True).register(app, path="/telegram/webhook")
    setup_application(app, dispatcher, bot=bot)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
