"""The peer a team would pick first: a bare python-telegram-bot 22 echo bot, webhook mode, its default transport
(httpx) and its default webhook server (tornado), answering updates side by side as platform-facts D measured it.

    python bench/peers/ptb_echo.py <api base url> <port> <webhook url> <secret>
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text or "?")


def main() -> None:
    api, port, webhook_url, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    application = (Application.builder().token("123456:PEER-token").base_url(api).concurrent_updates(256).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_webhook(listen="127.0.0.1", port=port, url_path="telegram/webhook", webhook_url=webhook_url,
                            secret_token=secret, allowed_updates=["message"])


if __name__ == "__main__":
    main()
