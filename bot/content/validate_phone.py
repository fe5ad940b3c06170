"""Whether a phone number in a content file can be dialled in its country, by libphonenumber's metadata."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo

# What editors write between digits ("+381 11 2457-376", "+381 (0)64 828 3171"); schema.DIALLABLE allows the same.
_SEPARATORS = re.compile(r"[ ()/-]")
# Emergency numbers and helplines: 112, 192, 1987, 15 315, 116 000.
SHORT_CODE = re.compile(r"[0-9]{3,6}")


def is_valid_phone(number: str, country: str, *, hotline: bool) -> bool:
    """True when `number` is a full number of `country` ("rs"), or a short code that may be dialled there.

    A short code of 3 to 6 digits passes when libphonenumber knows it as a short number of the country.
    A hotline (countries.yaml) passes on its digits alone: libphonenumber's short-number metadata is
    incomplete here (it lacks North Macedonia's 15 315 SOS line and 196 road help, both in
    content-facts §2.8), and every hotline carries its own source line that a person checks.
    A country libphonenumber has no metadata for cannot be checked, so its numbers pass.
    """
    region = country.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return True
    digits = _SEPARATORS.sub("", number.strip())
    short = SHORT_CODE.fullmatch(digits) is not None
    if short and hotline:
        return True
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    if short:
        return shortnumberinfo.is_valid_short_number_for_region(parsed, region)
    return phonenumbers.is_valid_number_for_region(parsed, region)
