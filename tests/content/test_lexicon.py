"""Editors' word lists: protection alerts in any language and script, synonyms for search, and their checks."""

from __future__ import annotations

import pytest

from bot.content.check import check
from bot.content.lexicon import Alert, AlertMatcher, _folded, _join_stars


def matcher(*entries: tuple[str, str, str]) -> AlertMatcher:
    return AlertMatcher(Alert(category, language, _join_stars(tuple(_folded(term))))
                        for category, language, term in entries)


ALERTS = matcher(("violence", "en", "beats me"), ("self-harm", "en", "suicid*"), ("self-harm", "sr", "ubiti se"),
                 ("violence", "ar", "يضربني"), ("self-harm", "ar", "انتحار"), ("child", "en", "child is missing"))


@pytest.mark.parametrize(("text", "expected"), [
    ("My husband BEATS me every night", "violence"),
    ("I keep thinking about suicide", "self-harm"),
    ("suicidal thoughts", "self-harm"),  # the star: every word it begins
    ("hoću da se ubiti se", "self-harm"),
    ("Хоћу да убити се", "self-harm"),  # a Latin-script term matches Cyrillic text
    ("زوجي يضربني", "violence"),
    ("زوجي يَضْرِبُنِي", "violence"),  # with harakat
    ("أفكر في الانتحار", "self-harm"),  # the Arabic article does not hide the word
    ("my child is missing since yesterday", "child"),
    ("school for my child", None),
    ("he beats the record", None),  # a phrase must appear whole
    ("", None),
])
def test_alerts(text, expected):
    assert ALERTS.match(text) == expected


@pytest.mark.parametrize(("edits", "expected"), [
    ({"alerts.yaml": '- category: panic\n  language: en\n  terms: ["help"]\n'},
     'content/alerts.yaml:1: unknown alert category "panic"'),
    ({"alerts.yaml": '- category: violence\n  language: en\n  terms: ["me"]\n'},
     'content/alerts.yaml:3: alert term "me" is too short to tell danger from everyday words'),
    ({"alerts.yaml": '- category: violence\n  language: en\n  terms: ["*"]\n'},
     'content/alerts.yaml:3: alert term "*" has no words to match'),
    ({"alerts.yaml": '- category: violence\n  language: english\n  terms: ["beats me"]\n'},
     'content/alerts.yaml:2: "english" is not a language code'),
    ({"synonyms.yaml": "- language: en\n  words: [work]\n"},
     "content/synonyms.yaml:2: a synonym group needs at least two words"),
    ({"synonyms.yaml": "- language: en\n  word: [work, job]\n"}, 'content/synonyms.yaml:2: unknown field "word"'),
])
def test_word_lists_are_checked(broken, today, edits, expected):
    problems = [str(p) for p in check(broken(edits), today=today)]
    assert any(expected in p for p in problems), problems


def test_synonyms_from_content_reach_search(broken, today):
    from bot.content.loader import load_content

    root = broken({"synonyms.yaml": "- language: en\n  words: [papers, paperwork, bureaucracy]\n"})
    pack, _ = load_content(root, today=today)
    assert [hit.id for hit in pack.search("bureaucracy", ["en"], "mk", "mk-skopje")] == ["documents"]
