"""The web chat: a small page anyone can open without Telegram, and the JSON API the engine answers through."""
