"""to_web_html(): a safe HTML fragment for the web chat."""

from __future__ import annotations

import pytest
from render_checks import tag_problems, tags

from bot.render import to_web_html

A = 'target="_blank" rel="noopener noreferrer"'


@pytest.mark.parametrize(("markdown", "expected"), [
    pytest.param('<b>&"', "<p>&lt;b&gt;&amp;&quot;</p>", id="html is escaped"),
    pytest.param('<img src=x onerror="alert(1)">', "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>",
                 id="inline html is escaped"),
    pytest.param("<script>\nalert(1)\n</script>", "<p>&lt;script&gt;\nalert(1)\n&lt;/script&gt;</p>",
                 id="html block is escaped"),
    pytest.param("**a** *b* `c<`", "<p><strong>a</strong> <em>b</em> <code>c&lt;</code></p>", id="inline markup"),
    pytest.param("a  \nb", "<p>a<br>\nb</p>", id="hard break"),
    pytest.param("[APC](https://apc-cza.org/?a=1&b=2)",
                 f'<p><a href="https://apc-cza.org/?a=1&amp;b=2" {A}>APC</a></p>', id="https link"),
    pytest.param("[call](tel:192)", '<p><a href="tel:192">call</a></p>', id="tel link: the dialler, no new tab"),
    pytest.param("[click](javascript:alert(1))", "<p>click</p>", id="javascript link is text"),
    pytest.param("[click](data:text/html,x)", "<p>click</p>", id="data link is text"),
    pytest.param("[bot](tg://resolve?domain=x)", "<p>bot</p>", id="tg link is text on the web"),
    pytest.param("# Title **b**", "<p><strong>Title b</strong></p>", id="heading"),
    pytest.param("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>", id="tight bullet list"),
    pytest.param("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>", id="ordered list"),
    pytest.param("3. three", '<ol start="3">\n<li>three</li>\n</ol>', id="ordered list with a start"),
    pytest.param("- a\n\n- b", "<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ul>", id="loose list"),
    pytest.param("First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>", id="paragraphs"),
    pytest.param("![a <b>](x.png)", "<p>a &lt;b&gt;</p>", id="image is its escaped alt text"),
])
def test_markdown_to_web_html(markdown, expected):
    assert to_web_html(markdown) == expected


def test_only_safe_tags_and_attributes():
    html = to_web_html("# T\n\n**a** *b* `c` [d](https://x.org) [e](javascript:x) ![f](javascript:y)  \n"
                       "<i onclick=x>g</i>\n\n1. h\n\n   > i\n\n```\nj\n```\n\n---")
    assert tag_problems(html) == []
    allowed = {"p", "strong", "em", "ul", "ol", "li", "a", "br", "code", "pre", "blockquote", "hr"}
    assert {name for name, _ in tags(html)} <= allowed
    assert [attrs for _, attrs in tags(html) if attrs] == [
        [("href", "https://x.org"), ("target", "_blank"), ("rel", "noopener noreferrer")]]
