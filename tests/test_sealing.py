"""Sealed chat addresses: readable with the key and purpose, unreadable and tamper-evident otherwise."""

from __future__ import annotations

import pytest

from bot.privacy.sealing import Sealer, SealError

KEY = b"k" * 48


def test_a_sealed_address_opens_with_the_same_key_and_purpose():
    sealer = Sealer(KEY)
    sealed = sealer.seal("telegram:5550123987", "refugee")
    assert "5550123987" not in sealed
    assert sealer.open(sealed, "refugee") == "telegram:5550123987"


def test_each_seal_is_different():
    sealer = Sealer(KEY)
    assert sealer.seal("telegram:1", "refugee") != sealer.seal("telegram:1", "refugee")


@pytest.mark.parametrize("attack", ["other key", "other purpose", "tampered", "garbage", "version"])
def test_anything_else_is_refused(attack):
    sealer = Sealer(KEY)
    sealed = sealer.seal("telegram:1", "refugee")
    with pytest.raises(SealError):
        if attack == "other key":
            Sealer(b"x" * 48).open(sealed, "refugee")
        elif attack == "other purpose":
            sealer.open(sealed, "coordinator")
        elif attack == "tampered":
            sealer.open(sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB"), "refugee")
        elif attack == "garbage":
            sealer.open("v1:!!!", "refugee")
        else:
            sealer.open("v0:" + sealed[3:], "refugee")
