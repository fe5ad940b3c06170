"""Chat addresses sealed at rest: what a reply needs to reach a person, unreadable without PUTOKAZ_SECRET_KEY.

AES-256-GCM (the cryptography package) with a key derived from the secret key by HKDF-SHA256 for this one purpose,
so the pseudonym key and the sealing key never coincide. Each value gets a fresh 96-bit nonce; the purpose is bound
as associated data, so a sealed coordinator address cannot be passed off as a refugee's.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE = 12
VERSION = "v1"


class SealError(ValueError):
    """A sealed value that this key cannot open: another key, or tampered with."""


class Sealer:
    def __init__(self, secret_key: bytes) -> None:
        if len(secret_key) < 16:
            raise ValueError("the secret key must be at least 16 bytes")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"putokaz", info=b"sealed chat addresses").derive(
            secret_key)
        self._aead = AESGCM(key)

    def seal(self, plain: str, purpose: str) -> str:
        nonce = os.urandom(NONCE)
        sealed = self._aead.encrypt(nonce, plain.encode(), purpose.encode())
        return f"{VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str, purpose: str) -> str:
        version, _, body = sealed.partition(":")
        if version != VERSION:
            raise SealError(f"unknown sealing version {version!r}")
        try:
            raw = base64.urlsafe_b64decode(body.encode())
            return self._aead.decrypt(raw[:NONCE], raw[NONCE:], purpose.encode()).decode()
        except (InvalidTag, ValueError) as error:
            raise SealError("the value cannot be opened with this key for this purpose") from error
