"""The checker, case by case: one small break in the clean pack -> the `path:line: message` it must report."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.check import check, exit_code, format_problems
from bot.content.loader import load_content
from bot.content.problems import Problem

EN_ASYLUM = "articles/en/legal/asylum-steps-rs.md"
AR_ASYLUM = "articles/ar/legal/asylum-steps-rs.md"
SR_ASYLUM = "articles/sr_Latn/legal/asylum-steps-rs.md"
PAGE = """---
id: {id}
title: A page
section: {section}
sources: ["test fixture"]
last_reviewed: 2026-11-01
---
Text.
"""
TRANSLATION = """---
title: صفحة
translation: machine
source_hash: 0123456789ab
---
نص.
"""

CASES = [
    # (name, edits, expected substring of one problem, its severity)
    ("yaml syntax error in a list file", {"places.yaml": ("  lat: 45.1283", "  lat: 45.1283: north")},
     "content/places.yaml:10: invalid YAML: mapping values are not allowed here", "error"),
    ("yaml syntax error in front matter, counted in file lines",
     {"articles/en/legal/rights-rs.md": ("section: legal", "section: legal: x")},
     "content/articles/en/legal/rights-rs.md:4: invalid YAML: mapping values are not allowed here", "error"),
    ("page without front matter", {"articles/en/legal/documents.md": ("---\nid: documents", "id: documents")},
     'content/articles/en/legal/documents.md:1: a page must start with a "---" line', "error"),
    ("front matter never closed", {"articles/en/about/about.md": "---\nid: about\ntitle: About\n"},
     'content/articles/en/about/about.md:1: the front matter has no closing "---" line', "error"),
    ("duplicate yaml key", {"places.yaml": ("  lon: 19.2264\n", "  lon: 19.2264\n  lat: 45.0\n")},
     'content/places.yaml:12: duplicate key "lat" (first at line 10)', "error"),
    ("duplicate article id, naming the other file",
     {"articles/en/about/asylum-steps-rs.md": PAGE.format(id="asylum-steps-rs", section="about")},
     'content/articles/en/legal/asylum-steps-rs.md:2: duplicate article id "asylum-steps-rs" '
     "(first at content/articles/en/about/asylum-steps-rs.md:2)", "error"),
    ("id is not the file name", {"articles/en/legal/documents.md": ("id: documents", "id: document")},
     'content/articles/en/legal/documents.md:2: id "document" does not match the file name "documents.md"', "error"),
    ("unknown place, with did-you-mean", {"articles/en/legal/camp-sid.md": ("[rs-sid]", "[rs-sidd]")},
     'content/articles/en/legal/camp-sid.md:5: unknown place "rs-sidd" (did you mean rs-sid?)', "error"),
    ("unknown country in a page", {EN_ASYLUM: ("countries: [rs]", "countries: [rs, xk]")},
     f'content/{EN_ASYLUM}:5: unknown country "xk"', "error"),
    ("unknown related id", {EN_ASYLUM: ("[rights-rs]", "[rights-rss]")},
     f'content/{EN_ASYLUM}:7: unknown related article "rights-rss" (did you mean rights-rs?)', "error"),
    ("translation without English", {"articles/ar/legal/ghost.md": TRANSLATION},
     "content/articles/ar/legal/ghost.md:1: translation without an English original "
     "(expected content/articles/en/legal/ghost.md)", "error"),
    ("translation contradicts the English countries", {SR_ASYLUM: ("countries: [rs]", "countries: [mk]")},
     f"content/{SR_ASYLUM}:5: countries [mk] differ from the English original's [rs] (content/{EN_ASYLUM})",
     "error"),
    ("translation contradicts the English section", {SR_ASYLUM: ("section: legal", "section: about")},
     f'content/{SR_ASYLUM}:4: section "about" differs from the English original\'s "legal"', "error"),
    ("translation in another section folder", {
        "articles/ar/about/asylum-steps-rs.md": TRANSLATION, AR_ASYLUM: None},
     'content/articles/ar/about/asylum-steps-rs.md:1: in the folder "about", but the English original is in "legal"',
     "error"),
    ("future date", {"articles/en/legal/rights-rs.md": ("last_reviewed: 2026-11-01", "last_reviewed: 2027-01-01")},
     "content/articles/en/legal/rights-rs.md:10: last_reviewed 2027-01-01 is in the future (today is 2026-11-25)",
     "error"),
    ("impossible date", {"services/mk.yaml": ("2026-11-01", "2026-13-01")},
     'content/services/mk.yaml:8: field "last_verified" must be a date like 2026-11-25 (year-month-day), '
     'got "2026-13-01"', "error"),
    ("date not in ISO form", {"services/mk.yaml": ("2026-11-01", "25.11.2026")},
     'content/services/mk.yaml:8: field "last_verified" must be a date like 2026-11-25', "error"),
    ("old review date", {"articles/en/about/about.md": ("2026-11-01", "2026-01-01")},
     "content/articles/en/about/about.md:7: last_reviewed 2026-01-01 is 328 days old (more than 180)", "warning"),
    ("latitude out of range", {"places.yaml": ("lat: 45.1283", "lat: 145.2")},
     'content/places.yaml:10: field "lat" must be between -90 and 90, got 145.2', "error"),
    ("longitude out of range", {"places.yaml": ("lon: 19.2264", "lon: 190")},
     'content/places.yaml:11: field "lon" must be between -180 and 180, got 190', "error"),
    ("coordinate as text", {"places.yaml": ("lat: 45.1283", 'lat: "45.1283"')},
     'content/places.yaml:10: field "lat" must be a number, got "45.1283"', "error"),
    ("service far from its place", {"services/rs.yaml": ("lat: 44.81", "lat: 45.81")},
     'content/services/rs.yaml:18: the service is 110 km from its place "rs-beograd": check lat and lon', "warning"),
    ("lat without lon", {"services/rs.yaml": ("  lon: 20.46\n", "")},
     'content/services/rs.yaml:18: fields "lat" and "lon" go together: "lon" is missing', "error"),
    ("duplicate place id", {"places.yaml": ("- id: mk-skopje", "- id: rs-sid")},
     'content/places.yaml:13: duplicate place id "rs-sid" (first at content/places.yaml:7)', "error"),
    ("bad id pattern", {"places.yaml": ("- id: rs-sid", "- id: RS_Sid")},
     'content/places.yaml:7: field "id" must be 1 to 40 characters a-z, 0-9 or "-", got "RS_Sid"', "error"),
    ("place in an unknown country", {"places.yaml": ("  country: mk", "  country: mkd")},
     'content/places.yaml:14: unknown country "mkd" (did you mean mk?)', "error"),
    ("unknown category", {"services/rs.yaml": ("categories: [legal-aid]\n  description: {en: \"A test service that",
                                               "categories: [legal-aide]\n  description: {en: \"A test service that")},
     'content/services/rs.yaml:4: unknown category "legal-aide" (did you mean legal-aid?)', "error"),
    ("unknown status", {"services/mk.yaml": ("status: confirmed", "status: confrimed")},
     'content/services/mk.yaml:6: unknown status "confrimed" (did you mean confirmed?)', "error"),
    ("unknown place in a service", {"services/mk.yaml": ("place: mk-skopje", "place: mk-skopie")},
     'content/services/mk.yaml:2: unknown place "mk-skopie" (did you mean mk-skopje?)', "error"),
    ("service listed in another country's file", {"services/mk.yaml": ("place: mk-skopje", "place: rs-sid")},
     'content/services/mk.yaml:2: place "rs-sid" is in rs, but this file lists the services of mk', "error"),
    ("services file of an unknown country", {"services/xx.yaml": "[]\n"},
     'content/services/xx.yaml: services file for an unknown country "xx"', "error"),
    ("missing required field, at the line of the entry",
     {"services/rs.yaml": ('  status: unconfirmed\n  source: "test fixture"\n', "  status: unconfirmed\n")},
     'content/services/rs.yaml:1: missing required field "source"', "error"),
    ("missing required field of a page",
     {"articles/en/legal/rights-rs.md": ("title: Your rights while you wait in Serbia\n", "")},
     'content/articles/en/legal/rights-rs.md:1: missing required field "title"', "error"),
    ("helpline without names",
     {"countries.yaml": ('      names: {en: "Test line for women", ar: "خط تجريبي للنساء"}\n', "")},
     'content/countries.yaml:8: missing required field "names"', "error"),
    ("names without English", {"places.yaml": ("{en: Skopje}", "{mk: Скопје}")},
     'content/places.yaml:15: field "names" has no English text (add en: "...")', "error"),
    ("unknown hotline kind", {"countries.yaml": ("kind: police", "kind: polise")},
     'content/countries.yaml:5: unknown kind "polise" (did you mean police?)', "error"),
    ("number that is not text",
     {"countries.yaml": ('kind: police\n      number: "100"', 'kind: police\n      number: 100')},
     'content/countries.yaml:6: field "number" must be text, got 100 (write it in quotes: "100")', "error"),
    ("unknown time zone", {"countries.yaml": ("Europe/Belgrade", "Europe/Belgrad")},
     'content/countries.yaml:3: unknown time zone "Europe/Belgrad" (did you mean Europe/Belgrade?)', "error"),
    ("missing countries file", {"countries.yaml": None},
     "content/countries.yaml: missing file: the list of countries", "error"),
    ("list file that is a mapping", {"places.yaml": "id: rs-sid\n"},
     'content/places.yaml:1: the file must be a list of places (- ...), got a mapping', "error"),
    ("unknown field, with did-you-mean", {"services/rs.yaml": ("  address:", "  adress:")},
     'content/services/rs.yaml:14: unknown field "adress" (did you mean address?)', "error"),
    ("order that is not a number", {"articles/en/legal/rights-rs.md": ("order: 20", "order: twenty")},
     'content/articles/en/legal/rights-rs.md:7: field "order" must be a whole number, got "twenty"', "error"),
    ("language folder that is not a locale code",
     {"articles/english/legal/documents.md": PAGE.format(id="documents", section="legal")},
     'content/articles/english: "english" is not a language code like "ar" or "sr_Latn"', "error"),
    ("unknown section folder", {"articles/en/legl/x.md": PAGE.format(id="x", section="legal")},
     'content/articles/en/legl: unknown section "legl" (did you mean legal?)', "error"),
    ("unknown section field", {"articles/en/about/about.md": ("section: about", "section: abuot")},
     'content/articles/en/about/about.md:4: unknown section "abuot" (did you mean about?)', "error"),
    ("empty body", {"articles/en/legal/documents.md": ("Keep a photo of every paper you are given, in a safe place.\n",
                                                      "\n")},
     "content/articles/en/legal/documents.md:10: empty body", "error"),
    ("English page marked as a translation",
     {"articles/en/about/about.md": ("section: about", "section: about\ntranslation: human")},
     'content/articles/en/about/about.md:5: field "translation" belongs in translations: English is the source',
     "error"),
    ("source_hash that YAML reads as a number", {AR_ASYLUM: ("source_hash: 236e5af4045d", "source_hash: 012345670123")},
     f'content/{AR_ASYLUM}:6: field "source_hash" must be text, got 012345670123 (write it in quotes: "012345670123")',
     "error"),
    ("source_hash that is not a hash", {AR_ASYLUM: ("source_hash: 236e5af4045d", "source_hash: abc")},
     f'content/{AR_ASYLUM}:6: field "source_hash" must be 12 hex digits', "error"),
    ("stale translation", {EN_ASYLUM: ("Keep the certificate", "Keep the registration certificate")},
     f'content/{AR_ASYLUM}:6: source_hash "236e5af4045d" is not the English original\'s', "warning"),
    ("opening hours in prose", {"services/rs.yaml": ('"mon-fri 09:00-15:00"', '"Working days 09:00-15:00"')},
     'content/services/rs.yaml:16: opening hours "Working days 09:00-15:00" must be written like', "error"),
    ("opening hours with a misspelt day", {"services/rs.yaml": ('"sat 10:00-13:00"', '"sta 10:00-13:00"')},
     'content/services/rs.yaml:16: unknown day "sta" (did you mean sat?)', "error"),
    ("event with an unknown category", {"events/rs.yaml": ("category: language-class", "category: lesson")},
     'content/events/rs.yaml:3: unknown event category "lesson"', "error"),
    ("event ending before it starts", {"events/rs.yaml": ('ends: "2026-12-05 12:00"', 'ends: "2026-12-05 09:00"')},
     'content/events/rs.yaml:7: ends 2026-12-05 09:00 is not after starts 2026-12-05 10:00', "error"),
    ("event time that is not a time", {"events/rs.yaml": ('starts: "2026-12-05 10:00"', 'starts: "5 Dec, 10am"')},
     'content/events/rs.yaml:6: field "starts" must be a local date and time like "2026-12-05 10:00"', "error"),
    ("event on a day that does not exist", {"events/rs.yaml": ('starts: "2026-12-05 10:00"', 'starts: "2026-02-30 10:00"')},
     'content/events/rs.yaml:6: field "starts": "2026-02-30 10:00" is not a real date and time', "error"),
    ("event at a place of another country", {"events/rs.yaml": ("places: [rs-sid]", "places: [rs-sid, mk-skopje]")},
     'content/events/rs.yaml:2: place "mk-skopje" is in mk, but this file lists the events of rs', "error"),
    ("event registration that is not a link", {"events/rs.yaml": ('"https://example.org/register"', '"call us"')},
     'content/events/rs.yaml:13: field "registration" must be a link starting with https:// or http://', "error"),
    ("event outside its country", {"events/rs.yaml": ("lat: 45.1283", "lat: 41.99")},
     "content/events/rs.yaml:10:", "error"),
    ("event that has ended", {"events/rs.yaml": ('"2026-12-05 10:00"\n  ends: "2026-12-05 12:00"',
                                                 '"2026-11-05 10:00"\n  ends: "2026-11-05 12:00"')},
     "content/events/rs.yaml:7: the event ended on 2026-11-05: it is no longer shown; delete it", "warning"),
    ("event that is an example must say true or false", {"events/rs.yaml": ("- id: serbian-class-sid",
                                                                            "- id: serbian-class-sid\n  example: yes please")},
     'content/events/rs.yaml:2: field "example" must be true or false, got "yes please"', "error"),
    ("events file of an unknown country", {"events/xk.yaml": "[]\n"},
     'content/events/xk.yaml: events file for an unknown country "xk"', "error"),
    ("relative link in a page", {EN_ASYLUM: ("1. Tell the police", "1. See [your rights](rights-rs.md). Tell the police")},
     f'content/{EN_ASYLUM}:13: link "rights-rs.md" cannot be opened from a chat', "error"),
    ("web link without a host", {EN_ASYLUM: ("2. Keep the certificate", "2. See [UNHCR](https://unhcr). Keep the certificate")},
     f'content/{EN_ASYLUM}:14: link "https://unhcr" has no web address after https://', "error"),
    ("tel link with words", {EN_ASYLUM: ("2. Keep the certificate", "2. [Call](tel:ASTRA). Keep the certificate")},
     f'content/{EN_ASYLUM}:14: link "tel:ASTRA": a tel: link is a number', "error"),
    ("a number changed in a translation",
     {EN_ASYLUM: ("want asylum.", "want asylum. Call 0800 222 003 within 72 hours."),
      AR_ASYLUM: ("تريد اللجوء.", "تريد اللجوء. اتصل بالرقم 0800 222 003 خلال 27 ساعة.")},
     f"content/{AR_ASYLUM}:7: numbers differ from the English original (missing 72; not in the English: 27)",
     "warning"),
    ("a phone number dropped from a translation",
     {EN_ASYLUM: ("want asylum.", "want asylum. Call 0800 222 003.")},
     f"content/{AR_ASYLUM}:7: numbers differ from the English original (missing 3, 222, 800)", "warning"),
    ("machine translation, counted per language", {AR_ASYLUM: ("translation: human", "translation: machine")},
     "content/articles/ar: ar: 1 machine translation awaiting review", "warning"),
    ("machine translations, plural", {
        AR_ASYLUM: ("translation: human", "translation: machine"),
        "articles/ar/legal/rights-rs.md": TRANSLATION},
     "content/articles/ar: ar: 2 machine translations awaiting review", "warning"),
]


@pytest.mark.parametrize(("edits", "expected", "severity"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_reports_the_problem_at_its_line(broken, today, edits, expected, severity):
    problems = check(broken(edits), today=today)

    found = [p for p in problems if expected in str(p)]
    assert found, "\n".join(str(p) for p in problems)
    assert [p.severity for p in found] == [severity]


def test_clean_pack_has_no_problems(clean, today):
    assert check(clean, today=today) == []


def test_the_leads_fixture_pack_has_no_errors(today):
    # tests/data/content feeds the engine tests; the loader must accept it.
    problems = check(Path(__file__).resolve().parent.parent / "data" / "content", today=today)

    assert [str(p) for p in problems if p.severity == "error"] == []


def test_an_entry_with_errors_is_left_out_of_the_pack(broken, today):
    root = broken({"places.yaml": ("lat: 45.1283", "lat: 145.2")})

    pack, _ = load_content(root, today=today)

    assert ([p.id for p in pack.places()], pack.services("rs-sid")) == (["rs-beograd", "mk-skopje"], ())


def test_unknown_related_id_is_dropped_from_the_article(broken, today):
    root = broken({EN_ASYLUM: ("[rights-rs]", "[rights-rs, rights-rss]")})

    pack, _ = load_content(root, today=today)

    assert pack.article("asylum-steps-rs", ["ar"]).related == ("rights-rs",)


@pytest.mark.parametrize("edits", [{"places.yaml": "id: rs-sid\n"}, {"countries.yaml": None}],
                         ids=["unreadable places", "missing countries"])
def test_a_file_that_cannot_be_read_is_one_problem_not_many(broken, today, edits):
    # Everything that refers to its entries cannot be checked; it must not be called unknown.
    problems = check(broken(edits), today=today)

    assert len(problems) == 1, "\n".join(str(p) for p in problems)


def test_missing_content_folder(tmp_path, today):
    problems = check(tmp_path / "content", today=today)

    assert [str(p) for p in problems] == ["content: the content folder does not exist"]


def test_problem_reads_path_line_message():
    problem = Problem("content/articles/ar/legal/asylum-steps-rs.md", 7,
                      'unknown place "rs-sidd" (did you mean rs-sid?)')

    assert str(problem) == ('content/articles/ar/legal/asylum-steps-rs.md:7: '
                            'unknown place "rs-sidd" (did you mean rs-sid?)')


def test_format_and_exit_code():
    error = Problem("content/places.yaml", 3, 'field "lat" must be a number, got "x"')
    warning = Problem("content/articles/ar", 0, "ar: 2 machine translations awaiting review", "warning")

    assert format_problems([error, warning]) == (
        'content/places.yaml:3: error: field "lat" must be a number, got "x"\n'
        "content/articles/ar: warning: ar: 2 machine translations awaiting review")
    assert (exit_code([error, warning]), exit_code([warning]), exit_code([])) == (1, 0, 0)


def test_problems_are_sorted_by_file_and_line(broken, today):
    root = broken({"places.yaml": ("lat: 45.1283", "lat: 145.2"),
                   "countries.yaml": ("Europe/Belgrade", "Europe/Belgrad")})

    problems = check(root, today=today)

    assert [p.location for p in problems] == ["content/countries.yaml:3", "content/places.yaml:10"]
