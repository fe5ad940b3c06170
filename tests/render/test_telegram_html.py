"""to_telegram_html(): the engine's Markdown as the HTML subset Telegram's parse mode accepts."""

from __future__ import annotations

import pytest
from render_checks import TELEGRAM_TAGS, tag_problems, tags

from bot.render import to_telegram_html


@pytest.mark.parametrize(("markdown", "expected"), [
    # escaping
    pytest.param('<b>&"', "&lt;b&gt;&amp;&quot;", id="html in text is escaped"),
    pytest.param("a &amp; b &lt;i&gt;", "a &amp; b &lt;i&gt;", id="entities are decoded, then escaped once"),
    pytest.param('**<script>alert("x")</script>**', "<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</b>",
                 id="html inside bold"),
    pytest.param("<b>bold</b>\n\n<div>\n\nx\n\n</div>", "&lt;b&gt;bold&lt;/b&gt;\n\n&lt;div&gt;\n\nx\n\n&lt;/div&gt;",
                 id="html blocks are text"),
    pytest.param("`a<b>&`", "<code>a&lt;b&gt;&amp;</code>", id="code span"),
    pytest.param("```\nx < y\n\ny & z\n```", "<pre>x &lt; y\n\ny &amp; z</pre>", id="fenced code"),
    # inline markup
    pytest.param("**Deadline:** 3 days", "<b>Deadline:</b> 3 days", id="bold"),
    pytest.param("*Sources:* AIDA", "<i>Sources:</i> AIDA", id="italic"),
    pytest.param("***both***", "<i><b>both</b></i>", id="bold italic"),
    pytest.param("a  \nb\\\nc", "a\nb\nc", id="hard breaks"),
    pytest.param("one\ntwo", "one two", id="soft break is a space"),
    pytest.param("![Map of Šid](https://example.org/map.png)", "Map of Šid", id="image is its alt text"),
    # links
    pytest.param("[APC](https://apc-cza.org)", '<a href="https://apc-cza.org">APC</a>', id="https link"),
    pytest.param("[site](http://example.org)", '<a href="http://example.org">site</a>', id="http link"),
    pytest.param("[192](tel:192)", "192", id="tel link: the number, which Telegram's clients make tappable"),
    pytest.param("[bot](tg://resolve?domain=putokaz_bot)", '<a href="tg://resolve?domain=putokaz_bot">bot</a>',
                 id="tg link"),
    pytest.param("[x](https://a.org/?q=1&r=2)", '<a href="https://a.org/?q=1&amp;r=2">x</a>', id="href is escaped"),
    pytest.param('[x](https://a.org/"onclick=")', '<a href="https://a.org/%22onclick=%22">x</a>',
                 id="quote cannot leave the href"),
    pytest.param("[**APC**](https://apc-cza.org)", '<a href="https://apc-cza.org"><b>APC</b></a>', id="bold label"),
    pytest.param("<https://apc-cza.org>", '<a href="https://apc-cza.org">https://apc-cza.org</a>', id="autolink"),
    pytest.param("[click](javascript:alert(1))", "click", id="javascript link is text"),
    pytest.param("[click](JavaScript:alert(1))", "click", id="javascript in capitals is text"),
    pytest.param("[click](&#106;avascript:alert(1))", "click", id="javascript behind an entity is text"),
    pytest.param("[click](data:text/html;base64,PHNjcmlwdD4=)", "click", id="data link is text"),
    pytest.param("[click](vbscript:msgbox)", "click", id="vbscript link is text"),
    pytest.param("[page](/legal/asylum)", "page", id="relative link is text"),
    pytest.param("<info@apc-cza.org>", "info@apc-cza.org", id="e-mail autolink is text"),
    pytest.param("https://apc-cza.org", "https://apc-cza.org", id="bare url stays text"),
    # blocks
    pytest.param("# How to ask\n\nText", "<b>How to ask</b>\n\nText", id="heading"),
    pytest.param("Title\n===\nText", "<b>Title</b>\n\nText", id="setext heading"),
    pytest.param("## Step **one**", "<b>Step one</b>", id="bold inside a heading is not nested"),
    pytest.param("First.\n\nSecond.", "First.\n\nSecond.", id="paragraphs"),
    pytest.param("- one\n- two", "• one\n• two", id="bullet list"),
    pytest.param("* one\n+ two", "• one\n\n• two", id="two bullet lists"),
    pytest.param("1. one\n2. two", "1. one\n2. two", id="ordered list"),
    pytest.param("3. three\n4. four", "3. three\n4. four", id="ordered list keeps its start"),
    pytest.param("1) one\n1) two", "1. one\n2. two", id="ordered list counts itself"),
    pytest.param("- one\n  - nested\n    - deeper\n- two", "• one\n  • nested\n    • deeper\n• two",
                 id="nested lists indent two spaces a level"),
    pytest.param("1. **Ask.** Now.\n   - by mouth\n\n   Then wait.\n2. Go",
                 "1. <b>Ask.</b> Now.\n  • by mouth\n  Then wait.\n2. Go", id="loose item with a nested list and a paragraph"),
    pytest.param("**Serbia**\n- Police: **192**\n- Women: **0800 222 003**",
                 "<b>Serbia</b>\n\n• Police: <b>192</b>\n• Women: <b>0800 222 003</b>", id="emergency screen"),
    pytest.param("> quoted\n>\n> more", "<blockquote>quoted\nmore</blockquote>", id="quote stays one block"),
    pytest.param("> a\n> > b", "<blockquote>a\nb</blockquote>", id="quote in a quote is flattened"),
    pytest.param("a\n\n---\n\nb", "a\n\n———\n\nb", id="rule"),
    pytest.param("", "", id="empty"),
])
def test_markdown_to_telegram_html(markdown, expected):
    assert to_telegram_html(markdown) == expected


EVERYTHING = """# Title **bold**

Text with *em*, **strong**, `code`, [a link](https://x.org/?a=1&b=2), [bad](javascript:x), ![img](y.png),
<b>raw</b> & "quotes".

1. **One**  
   continued
   - nested *em* [tel](tel:+38111)
2. Two

> quote **b** [tg](tg://resolve?domain=x)
> > deeper

```
code <block>
```
"""


def test_only_telegram_tags_and_attributes_are_emitted():
    html = to_telegram_html(EVERYTHING)
    emitted = tags(html)
    assert {name for name, _ in emitted} <= TELEGRAM_TAGS
    assert [attrs for _, attrs in emitted if attrs] == [
        [("href", "https://x.org/?a=1&b=2")], [("href", "tg://resolve?domain=x")]]


def test_no_tag_spans_a_paragraph_boundary():
    html = to_telegram_html(EVERYTHING.replace("```\ncode <block>\n```", ""))
    assert [tag_problems(paragraph) for paragraph in html.split("\n\n")] == [[]] * 4


def test_rendering_is_cached():
    before = to_telegram_html.cache_info().hits
    text = "cached **once** " + str(id(before))
    assert to_telegram_html(text) is to_telegram_html(text)
    assert to_telegram_html.cache_info().hits == before + 1
