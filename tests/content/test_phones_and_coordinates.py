"""Phone numbers must be diallable in their country, and coordinates must lie in it."""

from __future__ import annotations

import pytest

from bot.content.check import check
from bot.content.validate_phone import is_valid_phone

ZETA_PHONE = '["+381 11 555-0100"]'

# (name, edits to the clean pack, the problem it must report)
BROKEN = [
    ("service phone that is no number", {"services/rs.yaml": (ZETA_PHONE, '["+381 00 000-000"]')},
     'content/services/rs.yaml:15: phone "+381 00 000-000" is not a valid number in RS'),
    ("second service phone, at its own item line",
     {"services/rs.yaml": (ZETA_PHONE, '\n    - "+381 11 555-0100"\n    - "0999 999 999"')},
     'content/services/rs.yaml:17: phone "0999 999 999" is not a valid number in RS'),
    ("service phone of another country", {"services/rs.yaml": (ZETA_PHONE, '["+389 2 2465 316"]')},
     'content/services/rs.yaml:15: phone "+389 2 2465 316" is not a valid number in RS'),
    ("service short code the country does not have", {"services/rs.yaml": (ZETA_PHONE, '["15 315"]')},
     'content/services/rs.yaml:15: phone "15 315" is not a valid number in RS'),
    ("hotline that is no number", {"countries.yaml": ('"0800 000 001"', '"0999 999 999"')},
     'content/countries.yaml:9: phone "0999 999 999" is not a valid number in RS'),
    ("hotline too short for a short code",
     {"countries.yaml": ('police\n      number: "100"', 'police\n      number: "12"')},
     'content/countries.yaml:6: phone "12" is not a valid number in RS'),
    ("place in another country", {"places.yaml": ("lat: 41.9961\n  lon: 21.4317", "lat: 48.1\n  lon: 19.2")},
     "content/places.yaml:16: coordinates 48.1, 19.2 are outside North Macedonia"),
    ("place with lat and lon swapped",
     {"places.yaml": ("lat: 45.1283\n  lon: 19.2264", "lat: 19.2264\n  lon: 45.1283")},
     "content/places.yaml:10: coordinates 19.2264, 45.1283 are outside Serbia"),
    ("service in another country than its file",
     {"services/rs.yaml": ("lat: 44.81\n  lon: 20.46", "lat: 41.99\n  lon: 21.43")},
     "content/services/rs.yaml:18: coordinates 41.99, 21.43 are outside Serbia"),
]


@pytest.mark.parametrize(("edits", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_reports_a_wrong_number_or_place_at_its_line(broken, today, edits, expected):
    problems = check(broken(edits), today=today)

    found = [p for p in problems if str(p) == expected]
    assert found, "\n".join(str(p) for p in problems)
    assert [p.severity for p in found] == ["error"]


# Written as the real pack writes them (content/services/*.yaml, content/countries.yaml).
ACCEPTED = [
    ("Belgrade number with a dash", {"services/rs.yaml": (ZETA_PHONE, '["+381 11 2457-376", "+381 63 704-7080"]')}),
    ("trunk zero in brackets", {"services/rs.yaml": (ZETA_PHONE, '["+381 (0)64 828 3171"]')}),
    ("national freephone hotline", {"countries.yaml": ('"0800 000 001"', '"0800 222 003"')}),
    ("police short code", {"countries.yaml": ('police\n      number: "100"', 'police\n      number: "192"')}),
    ("116 helpline", {"countries.yaml": ('"0800 000 001"', '"116 111"')}),
    ("Macedonian mobile in national form",
     {"services/mk.yaml": ("  status: confirmed", '  phones: ["070 390 632"]\n  status: confirmed')}),
    ("Macedonian hotline libphonenumber does not know",
     {"countries.yaml": ('emergency\n      number: "100"', 'emergency\n      number: "15 315"')}),
    ("place near the country's edge",
     {"places.yaml": ("lat: 41.9961\n  lon: 21.4317", "lat: 41.1392\n  lon: 22.5025")}),
]


@pytest.mark.parametrize("edits", [case[1] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED])
def test_accepts_numbers_and_places_as_the_real_pack_writes_them(broken, today, edits):
    assert [str(p) for p in check(broken(edits), today=today)] == []


@pytest.mark.parametrize(("number", "country", "hotline"), [
    ("+381 11 2457-376", "rs", False),
    ("0800 222 003", "rs", True),
    ("070 390 632", "mk", False),
    ("+359 2 980 2453", "bg", False),
    ("02 981 3318", "bg", False),
    ("192", "rs", True),
    ("116 111", "bg", True),
    ("116 000", "rs", False),  # a service may give a short code libphonenumber knows
    ("1987", "rs", True),
    ("15 315", "mk", True),
    ("196", "mk", True),
])
def test_valid_numbers(number, country, hotline):
    assert is_valid_phone(number, country, hotline=hotline)


@pytest.mark.parametrize(("number", "country", "hotline"), [
    ("+381 00 000-000", "rs", False),
    ("+359 2 980 2453", "rs", False),  # a Bulgarian number listed for Serbia
    ("+389 70 390 632", "rs", False),  # a Macedonian number listed for Serbia
    ("15 315", "mk", False),  # only hotlines, each with its source, may be short codes libphonenumber lacks
    ("12", "rs", True),
    ("1234567890123456", "bg", True),
    ("call 192", "rs", False),
])
def test_invalid_numbers(number, country, hotline):
    assert not is_valid_phone(number, country, hotline=hotline)
