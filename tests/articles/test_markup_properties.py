"""Properties of the markup parser and the renderer over any text, 2,000 examples each.

For any text: scan() returns facts or raises MarkupError whose every issue has a line and a
column inside the text, never anything else; render_article() never emits a script, an event
handler attribute or a javascript: address, however the text spells them (entities included).
"""

import re
import time
from html.parser import HTMLParser

import pytest
from django.db import connection
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.markup import MarkupError, scan
from articles.rendering import render_article

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="pure functions, the same whatever the database: checked once, in the SQLite pass",
)

# What the markup and Markdown react to, plus Chinese and plain ASCII.
MARKUP = "{}|~:\\`$()[]!<>&#;*_-=+\"'/.\n \t\r"
CHINESE = "中文是在年的，。"
ASCII = "aAjvscriptonerl019x"
# Pieces random characters rarely spell: whole facts, code and math fences, links, and the ways
# HTML lets an attacker spell "javascript:" or an event handler.
PIECES = [
    "{{", "}}", "\\{{", "c1::", "::", "{{a}}", "{{答案|alt ~错::提示}}", "{{c1::GELU::激活}}",
    "{{`x<y`}}", "{{$x$}}", "{{<b>x</b>}}", "{{&#106;avascript:x}}", "```", "~~~", "$$",
    "\\(", "\\)", "\\[", "\\]", "\n\n", "    ", "> ", "- ", "1. ", "# ", "|---|", "[x](",
    "![x](", "](", ")", "[x](javascript:alert(1))", "[x](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))", "<javascript:alert(1)>", "\n\n[r]: javascript:alert(1)\n", "[r]",
    "<http://", "http://", "javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;avascript:",
    "&#x6A;avascript:", "&#0000106;", "&#58;", "&colon;", "&Tab;", "&#x09;", "<script>",
    "</script>", "<svg/onload=", " onerror=", "onclick=", "<img src=x onerror=alert(1)>",
    "(javascript:alert(1))", '"><script>', "<a href=", "data:text/html,", "vbscript:",
    "\x00", "\x02", "\x03",
]  # fmt: skip
# Each piece is drawn as one private-use character and spelled out afterwards: Hypothesis draws
# plain text far faster than lists of strings, and 2,000 examples then take a second or two.
TOKENS = {chr(0xE100 + number): piece for number, piece in enumerate(PIECES)}
SPELL_OUT = str.maketrans(TOKENS)
any_text = st.text(alphabet=MARKUP + CHINESE + ASCII + "".join(TOKENS), max_size=24).map(
    lambda text: text.translate(SPELL_OUT)
)

LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the parser counts lines (Markdown's line breaks)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "cite"}
# How a browser reads a URL (WHATWG URL standard): leading and trailing controls and spaces go,
# and so do tabs and line breaks anywhere; "java\tscript:" is javascript:, "java script:" is not.
URL_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
URL_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")


@settings(max_examples=2000, deadline=None)
@given(any_text)
@example("{{")
@example("第一行\n\n{{答案")
@example("a\r\nb\r{{c")
def test_scan_returns_facts_or_raises_markup_error_with_a_line_and_column(source):
    started = time.process_time()
    try:
        scan(source)
    except MarkupError as error:
        lines = LINE_BREAK.split(source)
        assert error.issues, "a MarkupError without issues"
        for issue in error.issues:
            assert 1 <= issue.line <= len(lines), (issue, len(lines))
            assert 1 <= issue.column <= len(lines[issue.line - 1]) + 1, (issue, lines[issue.line - 1])
            assert issue.message.strip()
    assert time.process_time() - started < TIME_BOUND


# Each input is read in a small fraction of this (CPU time, so a busy machine does not count;
# a first call may load a lexer or a converter).
TIME_BOUND = 1.0


class _Tags(HTMLParser):
    """Start tags with their attributes as a browser reads them (entities decoded)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def executable_parts(html):
    found = []
    if "<script" in html.lower():
        found.append("<script")
    for tag, attributes in _Tags(html).tags:
        if tag in {"script", "iframe", "object", "embed", "frame", "base", "form"}:
            found.append(f"<{tag}>")
        for name, value in attributes:
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}=...>")
            scheme = URL_TABS_AND_NEWLINES.sub("", URL_EDGES.sub("", value or "")).lower()
            if name.lower() in URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_the_safety_check_below_sees_what_a_browser_would_run():
    # The checker itself must catch every spelling, or the property proves nothing.
    for html in [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=x></SCRIPT>",
        '<img src="x" onerror="alert(1)">',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="&#x6A;ava&#x09;script&colon;alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="\x01 java\nscript:alert(1)">x</a>',
    ]:
        assert executable_parts(html), html
    for html in [
        '<a href="https://example.org/javascript:">javascript:</a>',
        '<a href="java    script:alert(1)">x</a>',  # a relative address, "java%20%20..."
    ]:
        assert not executable_parts(html), html


@settings(max_examples=2000, deadline=None)
@given(any_text)
@example('[x](javascript:alert(1)) [y](&#106;avascript:alert(1)) <img src=x onerror="alert(1)">')
@example("{{<script>alert(1)</script>}} `<script>` $<script>$")
@example("[{{a}}](javascript:alert(1))")
def test_rendering_never_emits_a_script_an_event_handler_or_a_javascript_address(source):
    started = time.process_time()
    try:
        rendered = render_article(source)
    except MarkupError:
        return  # refused, with issues (the property above); nothing rendered
    finally:
        assert time.process_time() - started < TIME_BOUND
    assert not executable_parts(rendered.html), rendered.html
