"""The key-fact markup: forms, escapes, where facts cannot be, errors, and sentences."""

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.markup import (
    BLANK,
    FactBody,
    MarkupError,
    MarkupIssue,
    parse_fact_body,
    scan,
    split_inline,
)


def only_fact(source):
    facts = scan(source)
    assert len(facts) == 1, facts
    return facts[0]


def answers(source):
    return [fact.answer for fact in scan(source)]


def issues(source):
    with pytest.raises(MarkupError) as caught:
        scan(source)
    return [(issue.line, issue.column, issue.text) for issue in caught.value.issues]


# --- the forms of DESIGN.md's table ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answer", "alternatives", "wrong_options", "hint"),
    [
        ("{{Google}}", "Google", (), (), ""),
        ("{{AdamW|Adam-W|Adam W}}", "AdamW", ("Adam-W", "Adam W"), (), ""),
        ("{{2020 ~2017 ~2018}}", "2020", (), ("2017", "2018"), ""),
        ("{{patch::图像块}}", "patch", (), (), "图像块"),
        ("{{c1::GELU::激活函数}}", "GELU", (), (), "激活函数"),
        ("{{c2::GELU}}", "GELU", (), (), ""),
        ("{{c12::GELU|gelu ~ReLU}}", "GELU", ("gelu",), ("ReLU",), ""),
        ("{{AdamW|Adam-W ~Adam ~SGD::优化器}}", "AdamW", ("Adam-W",), ("Adam", "SGD"), "优化器"),
    ],
)
def test_each_form_parses_into_its_parts(source, answer, alternatives, wrong_options, hint):
    fact = only_fact(source)
    assert (fact.answer, fact.alternatives, fact.wrong_options, fact.hint) == (
        answer,
        alternatives,
        wrong_options,
        hint,
    )


def test_a_backslash_before_the_braces_makes_them_literal():
    assert scan(r"\{{not a fact}}") == []
    assert answers(r"\{{not a fact}} but {{this}} is") == ["this"]


def test_an_escaped_backslash_does_not_escape_the_braces():
    assert answers(r"\\{{fact}}") == ["fact"]


def test_pieces_are_trimmed():
    fact = only_fact("{{  Google  |  Alphabet  ~  Meta  ~ 微软 ::  公司  }}")
    assert fact.answer == "Google"
    assert fact.alternatives == ("Alphabet",)
    assert fact.wrong_options == ("Meta", "微软")
    assert fact.hint == "公司"


def test_an_empty_hint_is_no_hint():
    assert only_fact("{{Google::  }}").hint == ""


def test_the_hint_keeps_later_separators():
    assert only_fact("{{a::b|c ~d::e}}").hint == "b|c ~d::e"


def test_a_fact_may_continue_on_the_next_line_of_its_paragraph():
    fact = only_fact("模型叫 {{Vision\nTransformer}}。")
    assert fact.answer == "Vision Transformer"


@pytest.mark.parametrize(
    ("source", "answer"),
    [
        (r"{{a\|b}}", "a|b"),
        (r"{{a\~b}}", "a~b"),
        (r"{{a\:\:b}}", "a::b"),
        (r"{{a\::b}}", "a::b"),
        (r"{{set()\}}}", "set()}"),
        (r"{{C:\\}}", "C:\\"),
        (r"{{\{\{x\}\}}}", "{{x}}"),
        (r"{{\*args}}", "*args"),
        (r"{{a\b}}", r"a\b"),  # not punctuation: the backslash stays
    ],
)
def test_escapes_inside_a_fact_are_literal(source, answer):
    assert only_fact(source).answer == answer


@pytest.mark.parametrize(
    ("source", "answer", "alternatives", "wrong_options"),
    [
        ("{{`a|b`}}", "`a|b`", (), ()),
        ("{{`x::y` ~`z~w`}}", "`x::y`", (), ("`z~w`",)),
        ("{{`}}`}}", "`}}`", (), ()),
        ("{{$|x|$|$\\lvert x\\rvert$}}", "$|x|$", ("$\\lvert x\\rvert$",), ()),
        ("{{$e^{x^{2}}$}}", "$e^{x^{2}}$", (), ()),
    ],
)
def test_code_and_math_in_a_fact_keep_their_delimiters_and_hide_separators(
    source, answer, alternatives, wrong_options
):
    fact = only_fact(source)
    assert (fact.answer, fact.alternatives, fact.wrong_options) == (
        answer,
        alternatives,
        wrong_options,
    )


def test_a_fact_reports_where_it_is_in_the_source():
    source = "第一行\n\n中文ViT是{{Google}}提出的"
    fact = only_fact(source)
    assert (fact.line, fact.column) == (3, 7)
    assert source[fact.start : fact.end] == "{{Google}}"
    assert fact.anchor == ""


def test_windows_line_breaks_count_as_one():
    fact = only_fact("a\r\nb\r\n\r\nc {{d}}")
    assert (fact.line, fact.column) == (4, 3)


# --- where a fact is and is not recognised ---------------------------------------------------


def test_chinese_needs_no_spaces_around_facts():
    facts = scan("ViT是{{Google}}在{{2020}}年提出的")
    assert [(f.answer, f.column) for f in facts] == [("Google", 5), ("2020", 16)]


@pytest.mark.parametrize(
    "source",
    [
        "`a == {{x}}`",
        "``a ` {{x}}``",
        "```\na == {{x}}\n```",
        "~~~python\na == {{x}}\n~~~",
        "   ```\n{{x}}\n   ```",
        "```\n{{x}}\n`````",  # a longer closing fence closes
        "````\n```\n{{x}}\n````",  # a shorter fence inside does not
        "~~~\n```\n{{x}}\n~~~",
        "```\n{{x}}",  # an unclosed fence runs to the end
        "para\n\n    a == {{x}}",
        "    {{x}}",
        "> ```\n> {{x}}\n> ```",
        "$a + {{x}}$",
        "$$\n\\frac{{{x}}}{2}\n$$",
        "\\(a + {{x}}\\)",
        "\\[a + {{x}}\\]",
        "[link](http://example.com/{{x}})",
        "<http://example.com/{{x}}>",
        "[ref]: http://example.com/{{x}}",
    ],
)
def test_no_fact_inside_code_math_or_addresses(source):
    assert scan(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("`code` then {{x}}", ["x"]),
        ("``a`b`` then {{x}}", ["x"]),
        ("unmatched ` then {{x}}", ["x"]),
        ("```\ncode\n```\n{{x}}", ["x"]),
        ("    code\n\n{{x}}", ["x"]),
        ("para\n    {{x}}", ["x"]),  # an indented line continuing a paragraph is not code
        ("- item\n\n    {{x}}", ["x"]),  # nor one continuing a list item
        ("$x}}$ then {{y}}", ["y"]),  # "}}" in math closes nothing
        ("$$a}}{{b$$ and {{c}}", ["c"]),
        ("costs $5 and {{x}} $6", ["x"]),  # "$5 ... $6" is prose, not math
        ("$ x$ {{x}}", ["x"]),  # "$" followed by a space opens nothing
        ("\\$x {{y}} \\$", ["y"]),  # escaped dollars are dollars
        ("[{{Attention}}](https://arxiv.org/abs/1706.03762)", ["Attention"]),
        ("**{{ViT}}** 与 *{{CNN}}* 和 _{{RNN}}_", ["ViT", "CNN", "RNN"]),
    ],
)
def test_facts_around_code_and_math_are_found(source, expected):
    assert answers(source) == expected


def test_facts_in_lists_headings_tables_and_quotes():
    source = "\n".join(
        [
            "# 标题 {{h}}",
            "",
            "- 列表 {{l1}}",
            "* 星号 {{l2}}",
            "1. 编号 {{l3}}",
            "",
            "> 引用 {{q}}",
            "",
            "| 模型 | 年份 |",
            "|------|------|",
            "| {{ViT}} | {{2020}} |",
        ]
    )
    assert answers(source) == ["h", "l1", "l2", "l3", "q", "ViT", "2020"]


# --- errors ----------------------------------------------------------------------------------


def test_an_unclosed_fact_names_its_line_and_column():
    assert issues("第一行\n\nViT是{{Google在2020年提出的。") == [
        (3, 5, 'unclosed "{{" (add "}}" before the end of the paragraph)')
    ]


def test_a_fact_never_spans_a_paragraph_break():
    assert [i[:2] for i in issues("a {{b\n\nc}} d")] == [(1, 3)]


@pytest.mark.parametrize("source", ["a {{b\n# c}}", "a {{b\n- c}}", "a {{b\n> c}}", "a {{b\n```\nc}}\n```"])
def test_a_fact_never_spans_into_a_new_block(source):
    assert [i[:2] for i in issues(source)] == [(1, 3)]


@pytest.mark.parametrize(
    ("source", "column"),
    [("{{}}", 1), ("{{ |x}}", 1), ("{{::hint}}", 1), ("{{c1::}}", 1), ("文字{{ ~x}}", 3)],
)
def test_an_empty_answer_is_an_error_at_the_braces(source, column):
    [(line, found_column, message)] = issues(source)
    assert (line, found_column) == (1, column)
    assert message.startswith("empty answer")


def test_empty_alternatives_and_wrong_options_are_errors_at_their_separator():
    assert [i[:2] for i in issues("{{a|}}")] == [(1, 4)]
    assert [i[:2] for i in issues("{{a ~}}")] == [(1, 5)]
    assert [i[:2] for i in issues("中文{{a|b| ~c~ }}")] == [(1, 8), (1, 12)]
    assert "alternative" in issues("{{a|}}")[0][2]
    assert "wrong option" in issues("{{a ~}}")[0][2]


def test_a_nested_fact_is_an_error_at_the_inner_braces():
    assert issues("{{a {{b}} c}}") == [
        (1, 5, 'nested "{{" inside a key fact (close the first fact with "}}", or write "\\{{")')
    ]


def test_a_wrong_option_equal_to_an_accepted_answer_is_an_error_at_the_option():
    assert issues("{{AdamW|Adam W ~ adam  w ~SGD}}") == [
        (1, 18, 'wrong option "adam  w" is also an accepted answer (remove it or change it)')
    ]
    assert [i[:2] for i in issues("{{GELU ~gelu}}")] == [(1, 9)]


def test_every_error_is_reported_in_source_order_with_columns_in_characters():
    source = "模型{{ViT|}}很好。\n\n第二段{{CNN ~CNN}}和{{\n\n> 引用{{}}"
    assert [i[:2] for i in issues(source)] == [(1, 8), (3, 11), (3, 17), (5, 5)]


def test_markup_error_lists_every_issue():
    with pytest.raises(MarkupError) as caught:
        scan("{{a|}}\n\n{{b")
    assert str(caught.value).splitlines() == [
        'line 1, column 4: empty alternative after "|" (write one, or remove the "|")',
        'line 3, column 1: unclosed "{{" (add "}}" before the end of the paragraph)',
    ]
    assert isinstance(caught.value, ValueError)


def test_an_issue_reads_as_line_column_message():
    assert str(MarkupIssue(2, 7, "oops")) == "line 2, column 7: oops"


def test_parse_fact_body_gives_the_parts_or_raises_with_positions():
    assert parse_fact_body(" AdamW|Adam-W ~Adam::优化器 ") == FactBody(
        "AdamW", ("Adam-W",), ("Adam",), "优化器"
    )
    with pytest.raises(MarkupError) as caught:
        parse_fact_body("a|\n ~", line=4, column=10)
    assert [(i.line, i.column) for i in caught.value.issues] == [(4, 13), (5, 2)]


# --- sentences -------------------------------------------------------------------------------


def sentences(source):
    return [fact.sentence for fact in scan(source)]


def test_a_chinese_sentence_blanks_its_fact_and_shows_the_others_as_answers():
    source = "ViT很有名。ViT是{{Google}}在{{2020}}年提出的！后来有了 Swin。"
    assert sentences(source) == [f"ViT是{BLANK}在2020年提出的！", f"ViT是Google在{BLANK}年提出的！"]


def test_an_english_sentence_ends_at_a_full_stop_before_a_space():
    source = "Version 3.11 is fast. It came from {{Python}} core devs at v3.11 release! Next?"
    assert sentences(source) == [f"It came from {BLANK} core devs at v3.11 release!"]


def test_code_and_math_stay_in_the_sentence_and_never_end_it():
    source = "用 `a. b` 和 $x. y$ 时，{{`yield`}} 返回 {{`None`}}。"
    assert sentences(source) == [
        f"用 `a. b` 和 $x. y$ 时，{BLANK} 返回 `None`。",
        f"用 `a. b` 和 $x. y$ 时，`yield` 返回 {BLANK}。",
    ]


def test_other_answers_enter_the_sentence_as_markdown_showing_them_literally():
    assert sentences("{{__init__}} 和 {{x}}")[1] == f"\\_\\_init\\_\\_ 和 {BLANK}"


def test_a_sentence_joins_the_lines_of_its_paragraph_and_drops_block_markers():
    assert sentences("> 第一行\n> 第二行 {{x}}\n> 第三行") == [f"第一行 第二行 {BLANK} 第三行"]
    assert sentences("## 标题里的 {{x}} ##") == [f"标题里的 {BLANK}"]
    assert sentences("- 列表里的 {{x}}\n- 下一项") == [f"列表里的 {BLANK}"]
    assert sentences("3. 编号里的 {{x}}") == [f"编号里的 {BLANK}"]


def test_a_line_starting_a_list_or_heading_ends_the_sentence():
    assert sentences("说明 {{x}}\n- 列表项") == [f"说明 {BLANK}"]
    assert sentences("说明\n# 标题 {{x}}") == [f"标题 {BLANK}"]


def test_in_a_table_the_sentence_is_the_cell():
    source = "| 模型 | 说明 |\n|---|---|\n| ViT | 由 {{Google}} 提出。2020 年 |"
    assert sentences(source) == [f"由 {BLANK} 提出。"]


# --- inline pieces ---------------------------------------------------------------------------


def test_split_inline_separates_code_and_math_from_text():
    assert split_inline("a `b` $c$ $$d$$ e") == [
        ("text", "a ", "a "),
        ("code", "b", "`b`"),
        ("text", " ", " "),
        ("math", "c", "$c$"),
        ("text", " ", " "),
        ("display_math", "d", "$$d$$"),
        ("text", " e", " e"),
    ]


# --- speed and properties --------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{" * 5000,
        "{{$a" * 3000 + "}}",
        "](" * 5000,
        "\\(" * 5000,
        "$a " * 3000,
        "` `` ``` " * 1000,
    ],
)
def test_text_full_of_openers_is_scanned_in_linear_time(source):
    started = time.process_time()
    with contextlib.suppress(MarkupError):
        scan(source)
    assert time.process_time() - started < 0.5


# fmt: off
MARKUP_PIECES = [
    "{{", "}}", "|", "~", "::", "`", "```", "~~~", "$", "$$", "\\", "\\(", "\\)", "\\[", "\\]",
    "\n", "\n\n", "    ", "\t", "> ", "- ", "1. ", "# ", "|---|", "[", "](", ")", "<", "a", "中",
    "c1::", "\r", ".", "。", " ",
]
# fmt: on
markup_text = st.lists(st.sampled_from(MARKUP_PIECES), max_size=30).map("".join) | st.text()


@settings(max_examples=300, deadline=None)
@given(markup_text)
def test_scan_returns_facts_or_raises_markup_error_with_positions(source):
    try:
        facts = scan(source)
    except MarkupError as error:
        assert error.issues
        assert all(issue.line >= 1 and issue.column >= 1 for issue in error.issues)
    else:
        for fact in facts:
            assert source[fact.start : fact.end].startswith("{{")
            assert source[fact.start : fact.end].endswith("}}")
            assert fact.answer and fact.sentence.count(BLANK) == 1


def test_a_fact_alone_in_its_cell_is_asked_with_its_row():
    source = "| 层 | 维度 | 年份 |\n|---|---|---|\n| BN | {{N, H, W}} | {{2015}} |"
    assert sentences(source) == [
        f"层：BN；维度：{BLANK}；年份：2015",
        f"层：BN；维度：N, H, W；年份：{BLANK}",
    ]


def test_a_row_without_a_matching_header_is_asked_without_labels():
    source = "| 层 | 维度 |\n|---|---|\n| BN | {{N, H, W}} | 多出的一格 |"
    assert sentences(source) == [f"BN；{BLANK}；多出的一格"]


def test_a_sentence_that_points_back_takes_the_one_before_as_context():
    source = "转置卷积把普通卷积转置过来用。它常被叫作{{反卷积}}，但不是逆运算。\n\nViT是{{Google}}提出的。"
    first, second = scan(source)
    assert first.context == "转置卷积把普通卷积转置过来用。"
    assert second.context == ""  # "ViT..." stands on its own


def test_the_context_shows_other_facts_as_answers_and_never_gives_this_one_away():
    source = (
        "Word2Vec 由{{Google}}提出。它的作者是{{Mikolov}}。\n\n"
        "ViT 也来自 Google。它出自{{谷歌|Google}}。"
    )
    google, mikolov, vit = scan(source)
    assert mikolov.context == "Word2Vec 由Google提出。"
    assert vit.context == ""  # the sentence before holds "Google", an accepted answer


def test_a_paragraphs_first_sentence_and_table_rows_have_no_context():
    source = "前文。\n\n它叫{{A1}}。\n\n| 列 | 值 |\n|---|---|\n| 它 | {{B2}} |"
    assert [fact.context for fact in scan(source)] == ["", ""]
