"""Personal data out of a question before it is stored: what stays is what editors need, "how do I renew [number]".

Replaced by placeholders, so the question stays readable:
- e-mail addresses -> [email]; @usernames -> [username]
- web addresses keep their site and path but lose the query string (tokens, ids) -> https://site/path?[query]
- IBANs -> [iban]
- numeric dates (a date of birth, an appointment) -> [date]
- phone numbers, as phonenumbers reads them for Serbia, North Macedonia, Bulgaria and internationally -> [phone]
- any other run of 6 or more digits, with or without separators (ID, case, passport, residence numbers) -> [number]
- names after an introduction, in every language the bot speaks ("my name is", "zovem se", "казвам се",
  "меня зовут", "اسمي", "اسم من", ...) -> [name]

Scrubbing errs on the side of removing: a lost case number is a smaller harm than a kept one.
"""

from __future__ import annotations

import re

import phonenumbers

REGIONS = ("RS", "MK", "BG")
MAX_LENGTH = 2000

# Any local part an address may have (RFC 5322 allows !#$%&'*+/=?^`{|}~), then a domain with a dot.
EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[\w-]+(?:\.[\w-]+)+")
USERNAME = re.compile(r"(?<![\w@])@\w{3,32}")
URL_QUERY = re.compile(r"((?:https?://|www\.)[^\s?#]+)[?#]\S*", re.IGNORECASE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", re.IGNORECASE)
DATE = re.compile(r"(?<![\d+./-])(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?:\d{4}|\d{2})"
                  r"|\d{4}[./-](?P<m2>\d{1,2})[./-](?P<d2>\d{1,2}))(?![\d/-]|\.\d)\.?")
# Digits with spaces, dots, dashes or slashes between them, 6 digits or more in all.
DIGITS = re.compile(r"(?<![\w])\+?\d(?:[\s./-]?\d){5,}(?!\w)")
# Introductions, then up to two words of the name. Latin-script phrases are matched without regard to case.
INTRODUCTIONS = [
    "my name is", "my name's", "i am called", "i'm called",  # en
    "zovem se", "moje ime je", "ime mi je", "зовем се", "моје име је", "име ми је",  # sr (both scripts)
    "се викам", "моето име е", "името ми е", "se vikam",  # mk
    "казвам се", "казвам се на", "aз се казвам", "аз се казвам", "kazvam se",  # bg
    "меня зовут", "моё имя", "мое имя", "menja zovut", "menya zovut",  # ru
    "мене звати", "моє ім'я", "моє ім’я", "mene zvaty",  # uk
    "اسمي", "إسمي", "انا اسمي", "أنا اسمي",  # ar
    "اسم من", "نام من", "اسمم", "اسمم هست", "esme man",  # fa
    "زما نوم", "نوم مې", "زما نوم دی",  # ps
    "میرا نام", "میرا نام ہے", "mera naam",  # ur
    "je m'appelle", "je m’appelle", "mon nom est", "mon nom c'est", "moi c'est",  # fr
    "me llamo", "mi nombre es", "soy",  # es
    "benim adım", "adım", "ismim", "benim ismim",  # tr
]
# Words that end a name: a copula or a connective after it ("اسم من علی است", "me llamo Ana y ...").
_NOT_NAME = {"is", "and", "i", "from", "y", "de", "et", "je", "i", "и", "је", "е", "из", "و", "است", "هست", "ہے", "ده",
             "دی", "da", "ve", "ben", "yaşındayım", "years", "god", "godina", "ans", "años", "лет", "سال", "وأنا", "وانا",
             "on", "at"}
_INTRO = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted((re.escape(p) for p in INTRODUCTIONS), key=len, reverse=True)) + r")"
    r"[\s:,-]+(?P<name>[^\s\d.,!?;:()\"]+(?:\s+[^\s\d.,!?;:()\"]+)?)",
    re.IGNORECASE)


def scrub(text: str) -> str:
    """The text with personal data replaced by placeholders; at most MAX_LENGTH characters are kept."""
    text = text[:MAX_LENGTH]
    text = EMAIL.sub("[email]", text)
    text = URL_QUERY.sub(r"\1?[query]", text)
    text = USERNAME.sub("[username]", text)
    text = IBAN.sub(lambda m: "[iban]" if any(c.isdigit() for c in m.group()[4:]) else m.group(), text)
    text = DATE.sub(_date, text)
    text = _phones(text)
    text = DIGITS.sub("[number]", text)
    return _INTRO.sub(_name, text)


def _date(match: re.Match[str]) -> str:
    """A real day and month is a date; "00-00-00" in a phone number is not."""
    day, month = int(match["d"] or match["d2"]), int(match["m"] or match["m2"])
    return "[date]" if 1 <= day <= 31 and 1 <= month <= 12 else match.group()


def _phones(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for region in (*REGIONS, None):
        try:
            # Valid numbers only are called [phone]; any other long run of digits becomes [number] below.
            matches = list(phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))
        except Exception:  # phonenumbers never should raise on text, but a question must never be lost to it
            continue
        spans.extend((m.start, m.end) for m in matches if sum(c.isdigit() for c in m.raw_string) >= 5)
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(text[last:start])
        out.append("[phone]")
        last = end
    out.append(text[last:])
    return "".join(out)


def _name(match: re.Match[str]) -> str:
    words = match["name"].split()
    kept = []
    for word in words:
        if word.casefold() in _NOT_NAME or word.startswith("["):
            break
        kept.append(word)
    if not kept:
        return match.group()
    start = match.start("name") - match.start()
    prefix = match.group()[:start]
    rest = " ".join(words[len(kept):])
    return prefix + "[name]" + (" " + rest if rest else "")
