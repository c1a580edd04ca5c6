"""Rendering: facts as marks with anchors, code, tables, headings, math, and sanitising."""

import time
import uuid
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from latex2mathml.converter import convert as latex_to_mathml

from articles.markup import BLANK, MarkupError, scan
from articles.rendering import (
    MISPLACED_FACT,
    KeyFactExtension,
    render_answer,
    render_article,
    render_sentence,
    sanitise,
)

VOID_TAGS = {"br", "hr", "img", "input", "mspace", "mprescripts", "none"}


class Outline(HTMLParser):
    """Every start tag with its attributes, and for each fact mark the ids enclosing it."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.open_ids, self.enclosing = [], [], {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "mark" and attributes.get("id", "").startswith("fact-"):
            self.enclosing[attributes["id"]] = [i for i in self.open_ids if i]
        if tag not in VOID_TAGS:
            self.open_ids.append(attributes.get("id"))

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.open_ids:
            self.open_ids.pop()


def assert_safe(html):
    outline = Outline(html)
    assert "<script" not in html.lower()
    for tag, attributes in outline.tags:
        assert tag not in {"script", "style", "iframe", "object", "embed", "svg", "form"}, tag
        for name, value in attributes.items():
            assert not name.lower().startswith("on"), (tag, name)
            assert name.lower() != "style", (tag, name)
            squeezed = "".join((value or "").split()).lower()
            assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), (tag, value)


def assert_every_fact_marked_once(source, rendered):
    facts = scan(source)
    assert rendered.html.count('<mark class="fact"') == len(facts)
    enclosing = Outline(rendered.html).enclosing
    for number, fact in enumerate(rendered.facts, start=1):
        assert rendered.html.count(f'id="fact-{number}"') == 1
        assert enclosing[f"fact-{number}"][-1] == fact.anchor, (number, fact)
    assert [f.answer for f in rendered.facts] == [f.answer for f in facts]


# --- facts -----------------------------------------------------------------------------------


def test_a_fact_renders_as_a_numbered_mark_without_braces_or_extras():
    html = render_article("{{AdamW|Adam-W ~Adam ~SGD::优化器}} 是默认的。{{Google}}").html
    assert '<mark class="fact" id="fact-1">AdamW</mark>' in html
    assert '<mark class="fact" id="fact-2">Google</mark>' in html
    for hidden in ("{{", "}}", "Adam-W", "SGD", "优化器", "::", "~"):
        assert hidden not in html


def test_code_and_math_answers_render_inside_the_mark():
    html = render_article("关键字 {{`yield`}} 与 {{$x^2$}}").html
    assert '<mark class="fact" id="fact-1"><code>yield</code></mark>' in html
    assert '<mark class="fact" id="fact-2"><math display="inline">' in html


def test_rendered_facts_are_the_scanned_facts_with_anchors():
    source = "第一段。\n\n第二段 {{x}}。"
    rendered = render_article(source)
    assert [f.anchor for f in rendered.facts] == ["p-2"]
    assert rendered.facts[0].sentence == scan(source)[0].sentence


def test_anchors_point_at_the_block_holding_each_fact():
    source = "\n".join(
        [
            "# 标题 {{h}}",
            "",
            "第一段。",
            "",
            "第二段 {{p}}。",
            "",
            "- 项 {{l1}}",
            "- 项二",
            "",
            "> 引用 {{q}}",
            "",
            "| 列 |",
            "|----|",
            "| {{t}} |",
        ]
    )
    rendered = render_article(source)
    assert [f.anchor for f in rendered.facts] == ["标题-h", "p-2", "p-3", "p-5", "p-7"]
    assert_every_fact_marked_once(source, rendered)


TRICKY_SOURCES = [
    "ViT是{{Google}}在{{2020}}年提出的",
    "**{{a}}** *{{b}}* [{{c}}](http://x.org) _{{d}}_",
    "# {{h}}\n\n- {{l}}\n  continued {{m}}\n\n> {{q}}\n> > {{qq}}",
    "| {{a}} | `b|c` | {{d|e}} |\n|---|---|---|\n| $|x|$ | {{f ~g}} | h |",
    "```\n{{no}}\n```\n{{yes}}",
    "  ```\n  {{no}}\n  ```\n{{yes}}",
    "- item {{a}}\n  ```\n  {{no}}\n  ```\n- {{yes}}",
    "para {{a}}\n```\n{{no}}\n```\npara {{b}}",
    "    {{no}}\n\n{{yes}}",
    "{{a}}\n\n    {{no}}\n\n{{b}}",
    "1. {{a}}\n2. {{b}}\n\n    {{c}}\n\n        {{no}}",
    "$$\n{{no}}\n$$ {{yes}}",
    "`` ` {{no}} `` {{yes}} ` stray `",
    "<b>{{a}}</b> <div>\n{{b}}\n</div>",
    "[x]: http://e.com\n\n{{a}} [x]",
    "Title {{a}}\n===\n\nSub {{b}}\n---",
    "> ```\n> {{no}}\n> ```\n\n{{yes}}",
    "\\{{no}} {{yes}} \\$ $x$",
    "<http://example.com/{{no}}> {{yes}}",
    "中文\t{{tab}}\r\n\r\n{{crlf}}\r{{cr}}",
    "   - {{a}}\n      - {{b}}",
    "{{a}}\n\n```\nunclosed {{no}}",
    "### {{a}} ###\n#{{b}}",
    "> a {{x\n> y}} b",
    "text\u3000\n\u3000{{a}}",
    "{{`}}`}} and {{$\\}$}}",
]


@pytest.mark.parametrize("source", TRICKY_SOURCES)
def test_every_scanned_fact_is_marked_exactly_once_and_anchored(source):
    rendered = render_article(source)
    assert_every_fact_marked_once(source, rendered)
    assert ">no</mark>" not in rendered.html


def test_a_fact_where_html_cannot_show_it_is_an_error():
    with pytest.raises(MarkupError) as caught:
        render_article("图：\n\n![{{ViT}}](vit.png)")
    assert [(i.line, i.column, i.message) for i in caught.value.issues] == [(3, 3, MISPLACED_FACT)]


def test_markup_errors_come_out_of_render_article():
    with pytest.raises(MarkupError):
        render_article("ViT是{{Google")


# --- Markdown --------------------------------------------------------------------------------


def test_code_is_highlighted_and_facts_in_it_stay_literal():
    html = render_article("```python\ndef f():\n    return {{x}}\n```\n\n~~~\n{{y}}\n~~~").html
    assert '<div class="codehilite">' in html
    assert '<span class="k">def</span>' in html
    assert "mark" not in html
    assert "{{" in html and "{{y}}" in html


def test_inline_code_stays_literal():
    html = render_article("写 `{{x}}` 与 `a<b`").html
    assert "<code>{{x}}</code>" in html and "<code>a&lt;b</code>" in html


def test_tables_render_with_align_attributes_not_styles():
    html = render_article("| 模型 | 年份 |\n|:---|---:|\n| {{ViT}} | 2020 |").html
    assert "<table>" in html and '<td align="left">' in html
    assert "style=" not in html


def test_headings_get_ids_that_keep_chinese_and_avoid_paragraph_ids():
    html = render_article("## 优化器 AdamW\n\n# p-1\n\n正文").html
    assert '<h2 id="优化器-adamw">' in html
    assert '<h1 id="p-1-h">' in html
    assert '<p id="p-1">正文</p>' in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("$x^2$", '<math display="inline">'),
        ("\\(x^2\\)", '<math display="inline">'),
        ("$$x^2$$", '<math display="block">'),
        ("$$\nx^2\n$$", '<math display="block">'),
        ("\\[x^2\\]", '<math display="block">'),
    ],
)
def test_math_renders_as_mathml(source, expected):
    html = render_article(f"公式 {source} 如上").html
    assert expected in html and "<msup>" in html
    assert "$" not in html


def test_bad_latex_shows_its_source_instead_of_failing():
    html = render_article("坏公式 $x^$ 与 $<b>^$").html
    assert '<code class="math-error">$x^$</code>' in html
    assert "&lt;b&gt;" in html


def test_closing_braces_in_math_are_math():
    html = render_article("$$\\frac{a}{b}}}$$ 之后 {{c}}").html
    assert html.count("<mark") == 1 and "<math" in html


def test_escapes_outside_facts_show_the_literal_characters():
    html = render_article("\\{{not a fact}} 花了 \\$5 和 \\$6").html
    assert "{{not a fact}}" in html and "$5" in html and "\\" not in html
    assert "<mark" not in html and "<math" not in html


def test_raw_html_is_shown_not_obeyed():
    html = render_article("<b>粗</b>\n\n<div>块</div>").html
    assert "&lt;b&gt;粗&lt;/b&gt;" in html and "&lt;div&gt;块&lt;/div&gt;" in html


def test_the_extension_works_in_any_markdown_instance():
    html = markdown.markdown("a {{b}} $c$", extensions=[KeyFactExtension()])
    assert '<mark class="fact" id="fact-1">b</mark>' in html and "<math" in html


# --- sanitising ------------------------------------------------------------------------------

NASTY_SOURCES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '[x][r]\n\n[r]: javascript:alert(1) "t"',
    '<http://x.org/" onmouseover="alert(1)>',
    "{{<script>alert(1)</script>}}",
    '{{x" onclick="alert(1)}}',
    "$<script>alert(1)</script>$",
    "$\\href{javascript:alert(1)}{x}$",
    "$\\style{color:red}{x}$",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


@pytest.mark.parametrize("source", NASTY_SOURCES)
def test_nothing_executable_comes_out(source):
    assert_safe(render_article(source).html)


def test_sanitise_keeps_mathml_and_text_markup():
    mathml = latex_to_mathml(r"\frac{a}{\sqrt{b}} + \hat{y}", display="block")
    html = sanitise(f'<p id="p-1">见 <mark class="fact" id="fact-1">x</mark>{mathml}</p>')
    assert '<p id="p-1">' in html and '<mark class="fact" id="fact-1">' in html
    for tag in ('<math display="block">', "<mfrac>", "<msqrt>", '<mover accent="true">'):
        assert tag in html


def test_sanitise_keeps_safe_links_and_removes_the_rest():
    html = sanitise(
        '<a href="https://a.org">1</a><a href="/rel">2</a><a href="mailto:x@y.z">3</a>'
        '<a href="javascript:alert(1)">4</a><p onclick="x()">5</p><script>alert(1)</script>'
    )
    for kept in ('href="https://a.org"', 'href="/rel"', 'href="mailto:x@y.z"'):
        assert kept in html
    assert "javascript" not in html and "onclick" not in html and "alert" not in html


# --- sentences and answers -------------------------------------------------------------------


def test_render_sentence_puts_the_blank_html_in_the_rendered_sentence():
    fact = scan("用 `yield` 和 $x^2$ 时，{{生成器}} 会暂停。")[0]
    html = render_sentence(fact.sentence, '<input name="answer">')
    assert html.startswith("用 <code>yield</code> 和 <math")
    assert '时，<input name="answer"> 会暂停。' in html
    assert "<p" not in html and BLANK not in html


def test_render_sentence_never_reads_a_sentence_as_a_block():
    assert "<h1" not in render_sentence(f"# 不是标题 {BLANK}", "___")
    assert "<ol" not in render_sentence(f"2020. 年 {BLANK}", "___")
    assert "<blockquote" not in render_sentence(f"> 不是引用 {BLANK}", "___")


def test_render_sentence_keeps_a_blank_out_of_attributes():
    html = render_sentence(f"![{BLANK}](a.png) 图", "<b>x</b>")
    assert 'alt="…"' in html
    assert_safe(html)


def test_render_sentence_sanitises_the_sentence_but_not_the_blank():
    html = render_sentence(f"<script>alert(1)</script> {BLANK}", '<span class="blank">__</span>')
    assert "&lt;script&gt;" in html and '<span class="blank">__</span>' in html


def test_a_sentence_is_rendered_once_for_its_question_and_its_feedback(monkeypatch):
    converted, convert = [], markdown.Markdown.convert

    def counted(md, text):
        converted.append(text)
        return convert(md, text)

    monkeypatch.setattr(markdown.Markdown, "convert", counted)
    sentence = f"只在此处出现的句子 {uuid.uuid4().hex}：`yield` 与 {BLANK} 和 $x^2$。"
    stem = render_sentence(sentence, '<span class="blank">＿＿＿＿</span>')
    feedback = render_sentence(sentence, '<mark class="fact">生成器</mark>')
    assert len(converted) == 1
    assert '与 <span class="blank">＿＿＿＿</span> 和 <math' in stem
    assert feedback == stem.replace('<span class="blank">＿＿＿＿</span>', '<mark class="fact">生成器</mark>')


@pytest.mark.parametrize(
    ("answer", "html"),
    [
        ("Google", "Google"),
        ("`yield`", "<code>yield</code>"),
        ("a < b & c", "a &lt; b &amp; c"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("`a|b` 和 `c`", "<code>a|b</code> 和 <code>c</code>"),
    ],
)
def test_render_answer(answer, html):
    assert render_answer(answer) == html


def test_render_answer_renders_formulas_inline():
    assert render_answer("$$x^2$$").startswith('<math display="inline"><mrow><msup>')


# --- speed and properties --------------------------------------------------------------------


def best_time(source, runs=5):
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()  # CPU time: other processes on the machine do not count
        render_article(source)
        best = min(best, time.process_time() - started)
    return best


def test_rendering_is_fast():
    note = "\n\n".join(
        f"第{i}段：ViT 把图像切成 {{{{patch|patches ~pixel::图像块}}}}，再用 `nn.Linear` 投影，"
        f"得到 token 序列，送入 Transformer 编码器。"
        for i in range(10)
    )
    assert len(note) > 600
    assert best_time(note) < 0.03
    long_note = "\n\n".join(
        f"第{i}段：模型{{{{答案{i}|alt ~wrong{i}}}}}在训练中使用 `code{i}`。" for i in range(100)
    )
    assert best_time(long_note) < 0.1


# fmt: off
RENDER_PIECES = [
    "{{", "}}", "|", "~", "::", "`", "```", "~~~", "$", "$$", "\\", "\\(", "\\)", "\\[", "\\]",
    "\n", "\n\n", "    ", "\t", "> ", "- ", "1. ", "# ", "|---|", "[", "](", ")", "![", "<", ">",
    "a", "中", "\r", "\x02", ".", " ", "*", "_", "=", "<script>", "javascript:", " onerror=",
    "<http://", "<img src=x onerror=alert(1)>", "(javascript:alert(1))", "&",
]
# fmt: on
render_text = st.lists(st.sampled_from(RENDER_PIECES), max_size=30).map("".join) | st.text()


@settings(max_examples=300, deadline=None)
@given(render_text)
def test_rendering_any_text_is_safe_and_marks_every_fact(source):
    try:
        scan(source)
    except MarkupError:
        with pytest.raises(MarkupError):
            render_article(source)
        return
    try:
        rendered = render_article(source)
    except MarkupError as error:  # only a fact in a link address or an image
        assert {issue.message for issue in error.issues} == {MISPLACED_FACT}
        return
    assert_safe(rendered.html)
    assert_every_fact_marked_once(source, rendered)
