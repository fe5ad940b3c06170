"""Keyed pseudonyms: the only form in which a person's channel id may reach storage."""

from __future__ import annotations

import hmac


class Pseudonyms:
    def __init__(self, secret_key: bytes) -> None:
        if len(secret_key) < 16:
            raise ValueError("the secret key must be at least 16 bytes")
        self._key = secret_key

    def __call__(self, channel: str, sender: str) -> str:
        # HMAC-SHA256 keeps pseudonyms stable across restarts yet unlinkable to ids without the key;
        # 128 bits of the digest are plenty against collisions among any number of users we will see.
        message = f"{channel}\x00{sender}".encode()
        return hmac.digest(self._key, message, "sha256").hex()[:32]  # the one-shot C HMAC: same value
