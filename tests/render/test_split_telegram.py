"""split_telegram(): messages of at most `limit` visible characters, cut where a reader would, tags balanced."""

from __future__ import annotations

import pytest
from render_checks import tag_problems, visible

from bot.render import split_telegram, to_telegram_html

LINK = '<a href="https://x.org/?a=1&amp;b=2">'


@pytest.mark.parametrize(("html", "limit", "expected"), [
    pytest.param("<b>short</b> &amp; sweet", 4096, ["<b>short</b> &amp; sweet"], id="fits: returned unchanged"),
    pytest.param("a&amp;b", 3, ["a&amp;b"], id="an entity counts one"),
    pytest.param("<b>ab</b>c", 3, ["<b>ab</b>c"], id="tags count nothing"),
    pytest.param("aa\n\nbb\ncc dd", 9, ["aa", "bb\ncc dd"], id="paragraph before line"),
    pytest.param("one two\nthree four", 14, ["one two", "three four"], id="line before sentence"),
    pytest.param("One two. Three four five.", 20, ["One two.", "Three four five."], id="sentence before word"),
    pytest.param("هل تريد؟ اتصل الآن رجاء", 20, ["هل تريد؟", "اتصل الآن رجاء"], id="arabic question mark"),
    pytest.param("alpha beta gamma delta", 12, ["alpha beta", "gamma delta"], id="word before hard cut"),
    pytest.param("abcdefghij", 4, ["abcd", "efgh", "ij"], id="hard cut"),
    pytest.param("ab\u0301cd", 2, ["a", "b\u0301", "cd"], id="hard cut keeps an accent with its letter"),
    pytest.param("x y\u00a0z", 4, ["x", "y\u00a0z"], id="no cut at a non-breaking space"),
    pytest.param("&lt;&lt;&lt; &amp;&amp;", 3, ["&lt;&lt;&lt;", "&amp;&amp;"], id="entities are never cut"),
    pytest.param("<b>alpha beta</b> gamma", 10, ["<b>alpha beta</b>", "gamma"], id="tag closed before the cut"),
    pytest.param("<b>alpha beta gamma</b>", 11, ["<b>alpha beta</b>", "<b>gamma</b>"], id="bold across the cut"),
    pytest.param("<b><i>one two</i> three</b>", 7, ["<b><i>one two</i></b>", "<b>three</b>"],
                 id="nested tags across the cut"),
    pytest.param(f"{LINK}alpha beta</a>", 6, [f"{LINK}alpha</a>", f"{LINK}beta</a>"],
                 id="link reopened with its href"),
    pytest.param("<pre>aaaa\nbbbb</pre>", 5, ["<pre>aaaa</pre>", "<pre>bbbb</pre>"], id="code block across the cut"),
    pytest.param("one\n\n\n\n   \n\ntwo", 4, ["one", "two"], id="whitespace at the cut is dropped"),
    pytest.param("<b> </b>\n\n", 4096, [], id="nothing visible: no message"),
    pytest.param("", 4096, [], id="empty"),
])
def test_split(html, limit, expected):
    assert split_telegram(html, limit=limit) == expected


@pytest.mark.parametrize("limit", [pytest.param(0, id="zero"), pytest.param(-5, id="negative")])
def test_limit_must_be_positive(limit):
    with pytest.raises(ValueError, match=f"split_telegram limit must be a positive number of characters, got {limit}"):
        split_telegram("text", limit=limit)


def article() -> str:
    """About 9000 characters of Markdown in short paragraphs, with bold, links and escapable text."""
    paragraphs = []
    for number in range(1, 91):
        paragraphs.append(f"**Step {number}.** Go to the office & ask for <the form>; call **+381 11 2457-376** "
                          f"or see [the guide](https://apc-cza.org/{number}?a=1&b=2). Keep copies.")
    return "\n\n".join(paragraphs)


def test_long_article_is_cut_between_paragraphs():
    html = to_telegram_html(article())
    chunks = split_telegram(html)
    assert len(visible(html)) > 9000
    assert len(chunks) == 3
    assert [len(visible(chunk)) <= 4096 for chunk in chunks] == [True] * 3
    assert [tag_problems(chunk) for chunk in chunks] == [[]] * 3
    assert "\n\n".join(visible(chunk) for chunk in chunks) == visible(html)
    assert [chunk.startswith("<b>Step ") and chunk.endswith("Keep copies.") for chunk in chunks] == [True] * 3


def test_one_huge_bold_paragraph_is_cut_at_sentences_and_stays_balanced():
    sentence = "Bring your registration card, your passport & two photos to the office."
    html = "Before you go: <b>" + " ".join([sentence] * 150) + "</b> Good luck."
    chunks = split_telegram(html, limit=4096)
    assert len(visible(html)) > 10000
    assert len(chunks) == 3
    assert [len(visible(chunk)) <= 4096 for chunk in chunks] == [True] * 3
    assert [tag_problems(chunk) for chunk in chunks] == [[]] * 3
    assert [(chunk[:8], chunk[-11:]) for chunk in chunks] == [
        ("Before y", "office.</b>"), ("<b>Bring", "office.</b>"), ("<b>Bring", " Good luck.")]
    assert " ".join(visible(chunk) for chunk in chunks) == visible(html)


def test_a_paragraph_without_spaces_is_cut_hard_and_kept_whole():
    html = "<i>" + "x" * 10000 + "</i>"
    chunks = split_telegram(html)
    assert [len(visible(chunk)) for chunk in chunks] == [4096, 4096, 1808]
    assert [tag_problems(chunk) for chunk in chunks] == [[]] * 3
    assert "".join(visible(chunk) for chunk in chunks) == visible(html)


def test_caller_cannot_spoil_the_cache():
    html = "alpha beta gamma"
    split_telegram(html, limit=10).append("spoiled")
    assert split_telegram(html, limit=10) == ["alpha beta", "gamma"]
