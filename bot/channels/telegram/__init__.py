"""The Telegram channel: python-telegram-bot over aiohttp, webhook or long polling."""
