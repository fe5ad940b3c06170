"""YAML with lines: keys and items keep their file line, front matter counts in file lines."""

from __future__ import annotations

import pytest

from bot.content.yamlfile import (
    LineDict,
    LineList,
    YamlError,
    load_front_matter,
    load_yaml,
)

PLACES = """\
# a comment
- id: rs-sid
  names: {en: Šid, sr: Шид}
  tags:
    - one
    - two
- id: mk-skopje
"""


def test_keys_and_items_remember_their_lines():
    data, duplicates = load_yaml(PLACES)

    first = data[0]
    assert (type(data), data.lines, type(first), first.line, first.lines) == (
        LineList, [2, 7], LineDict, 2, {"id": 2, "names": 3, "tags": 4})
    assert (first["names"].lines, first["tags"].lines, duplicates) == ({"en": 3, "sr": 3}, [5, 6], [])


def test_scalars_keep_the_text_as_written():
    data, _ = load_yaml("number: 0123\nlist: [007, x]\n")

    assert (data["number"], data.raw["number"], data["list"].raw) == (83, "0123", ["007", "x"])


def test_dates_stay_text_so_a_bad_one_is_reported_not_raised():
    data, _ = load_yaml("good: 2026-11-25\nbad: 2026-13-01\n")

    assert data == {"good": "2026-11-25", "bad": "2026-13-01"}


def test_duplicate_keys_are_reported_with_both_lines():
    _, duplicates = load_yaml("a: 1\nb: 2\na: 3\n")

    assert duplicates == [(3, 'duplicate key "a" (first at line 1)')]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\nb: c: d\n", 2, "invalid YAML: mapping values are not allowed here"),
    ("a: [1, 2\nb: 3\n", 2, "invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence)"),
    ("a: 1\n---\nb: 2\n", 2, "invalid YAML: but found another document (expected a single document in the stream)"),
    ("a: 1\nb: \x07\n", 2, "invalid YAML: character 0x7 is not allowed"),
    ("? [a]\n: 1\n", 1, "invalid YAML: a key cannot be a list or a mapping (while reading a mapping)"),
])
def test_syntax_errors_carry_their_line(text, line, message):
    with pytest.raises(YamlError) as raised:
        load_yaml(text)

    assert (raised.value.line, raised.value.message) == (line, message)


def test_front_matter_lines_are_file_lines():
    page = load_front_matter("---\nid: x\ntitle: T\n---\nBody\n")

    assert (page.data.lines, page.body, page.end_line) == ({"id": 2, "title": 3}, "Body\n", 4)


def test_front_matter_syntax_error_has_the_file_line():
    with pytest.raises(YamlError) as raised:
        load_front_matter("---\nid: x\ntitle: a: b\n---\nBody\n")

    assert raised.value.line == 3


def test_front_matter_accepts_windows_line_ends_and_a_bom():
    page = load_front_matter("\ufeff---\r\nid: x\r\n---\r\nBody\r\n")

    assert (page.data, page.body) == ({"id": "x"}, "Body\n")
