"""The Viber channel: its REST bot API over aiohttp both ways, no SDK (platform-facts B)."""
