"""Rendering is linear in the note: 200 KB of any hostile text renders (as saving does) in
under a second of CPU time, and a note past the limits is refused or shown plainly, never slow.

A second is the budget on this project's machine at its usual speed, where the slowest hostile
shape took 0.53 s. The shared VM sometimes runs two or three times slower for an hour; then the
budget is four times an ordinary note of the same size (prose, code, formulas and links) timed in
the same run: what linear means, on whatever machine the tests meet.
"""

import contextlib
import gc
import random
import time

import pytest

from articles.markup import MarkupError, scan
from articles.markup.blocks import MAX_BLOCKS, MAX_DEPTH, MAX_REREAD
from articles.markup.errors import MAX_FACTS, TOO_MANY_FACTS
from articles.rendering import render_article

SIZE = 200_000


def repeated(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def shuffled(alphabet: str, seed: int = 16) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(SIZE))


def nested_list(depth: int, indent: str = "  ") -> str:
    lines, level = [], 0
    while sum(map(len, lines)) < SIZE:
        lines.append(f"{indent * (level % depth)}- a\n")
        level += 1
    return "".join(lines)[:SIZE]


def table(row: str, header: str = "|a|b|\n|-|-|\n") -> str:
    return header + repeated(row)[: SIZE - len(header)]


def one_fact(body_unit: str) -> str:
    return "{{a" + repeated(body_unit)[: SIZE - 5] + "}}"


HOSTILE = {
    "opening brackets": repeated("["),
    "closing brackets": repeated("]"),
    "links without addresses": repeated("[]("),
    "links": repeated("[a](b) "),
    "random brackets": shuffled("[]()!"),
    "opening braces": repeated("{"),
    "closing braces": repeated("}"),
    "facts": repeated("{{a}} "),
    "random braces": shuffled("{}|~:"),
    "backticks": repeated("`"),
    "code spans": repeated("`a` "),
    "dollars": repeated("$"),
    "formulas": repeated("$a$ "),
    "pipes": repeated("|"),
    "chinese": repeated("中文是在年的，。"),
    "emphasis": repeated("*a* "),
    "escapes": repeated("\\("),
    "quotes": repeated("> "),
    "unclosed constructs": repeated("{{a `b $c [d](e \\(f ```g\n"),
    "mixture": shuffled("[]{}`$|中文 \n()!*_\\<>~:#->"),
    "mixture without spaces": shuffled("[]{}`$|中*_<\\(!"),
    "code fences": repeated("```\na\n```\n"),
    "empty code fences": repeated("```\n```\n"),
    "table with a fact in each row": table("|{{a}}|b|\n"),
    "table rows": table("a|b\n"),
    "table cells with code and math": table("`a`|$b$\n"),
    "table wider than its rows": "|a" * 2000 + "\n" + "|-" * 2000 + "\n" + repeated("x\n")[: SIZE - 8002],
    "nested lists": nested_list(4),
    "deeply nested lists": nested_list(400, "    "),
    "lists in one line": repeated("1. "),
    "quotes and lists in one line": repeated("> - "),
    "list items": repeated("- a\n"),
    "numbered items": repeated("1. a\n"),
    "loose list items": repeated("- a\n\n"),
    "paragraphs": repeated("a\n\n"),
    "headings": repeated("# a\n"),
    "empty headings": repeated("#\n"),
    "underlined headings": repeated("a\n-\n"),
    "rules": repeated("---\n"),
    "spaced rules": repeated("* * *\n"),
    "reference definitions": repeated("[a]: b\n"),
    "tags": repeated("<a href='x'>"),
    "one line": "a" * SIZE,
    "chinese without spaces": "中" * SIZE,
    "wrong options": one_fact("~b"),
    "alternatives": one_fact("|b"),
    "wrong options that are the answer": one_fact("~a"),
    "empty wrong options": one_fact("~"),
    "wrong options in code": one_fact("~`b`"),
}


ORDINARY_PARAGRAPH = (
    "注意力机制由 Vaswani 等人在 2017 年提出，复杂度是 $O(n^2)$，代码里常写 `softmax(q @ k.T)`，"
    "详见[论文](https://arxiv.org)。\n\n"
)
ORDINARY_SHARE = 4


@pytest.fixture(scope="module")
def budget() -> float:
    ordinary = best_time(repeated(ORDINARY_PARAGRAPH), bound=0)
    return max(1.0, ORDINARY_SHARE * ordinary)


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_200_kb_of_hostile_text_renders_in_under_a_second(source, budget):
    assert best_time(source, budget) < budget


def best_time(source: str, bound: float = 1.0, runs: int = 3) -> float:
    """CPU time of a full render (other processes do not count), the best of up to `runs`: a
    shared machine's caches make a single run vary by a fifth. Each run starts without the
    garbage of the one before."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        with contextlib.suppress(MarkupError):  # refused with its issues: as fast
            render_article(source)
        best = min(best, time.process_time() - started)
        if best < bound:
            break
    return best


def test_a_note_with_too_many_facts_is_refused_at_the_first_one_too_many():
    source = "\n\n".join(f"第{i}个 {{{{a{i}}}}}" for i in range(MAX_FACTS + 5))
    with pytest.raises(MarkupError) as caught:
        scan(source)
    [issue] = caught.value.issues
    assert issue.message == TOO_MANY_FACTS
    assert (issue.line, issue.column) == (2 * MAX_FACTS + 1, len(f"第{MAX_FACTS}个 ") + 1)
    assert str(MAX_FACTS) in issue.text


def test_a_note_at_the_limit_of_facts_is_read_whole():
    source = "\n\n".join(f"第{i}个 {{{{a{i}}}}}" for i in range(MAX_FACTS))
    assert [fact.answer for fact in scan(source)] == [f"a{i}" for i in range(MAX_FACTS)]


def test_past_the_limit_of_blocks_the_rest_is_one_paragraph_with_its_facts():
    source = "a\n\n" * (MAX_BLOCKS + 10) + "最后一段 {{答案}}"
    rendered = render_article(source)
    assert [fact.answer for fact in rendered.facts] == ["答案"]
    assert rendered.html.count("<p") == MAX_BLOCKS + 1


def test_past_the_limit_of_nesting_the_rest_is_one_paragraph():
    source = "".join(f"{'    ' * level}- 第{level}层\n" for level in range(MAX_DEPTH * 2)) + "\n{{答案}}"
    rendered = render_article(source)
    assert [fact.answer for fact in rendered.facts] == ["答案"]
    assert f"第{MAX_DEPTH * 2 - 1}层" in rendered.html


def test_past_the_limit_of_text_read_again_the_rest_of_the_run_is_one_paragraph():
    rendered = render_article("# 标题\n" * (MAX_REREAD // 1000) + "最后一行 {{答案}}")
    assert [fact.answer for fact in rendered.facts] == ["答案"]
    assert 1 < rendered.html.count("<h1") < MAX_REREAD // 1000
    assert "# 标题\n# 标题" in rendered.html


def test_table_rows_past_the_limit_of_blocks_are_shown_after_it():
    rows = "".join(f"|{row}|x|\n" for row in range(MAX_BLOCKS))
    html = render_article("|a|b|\n|-|-|\n" + rows).html
    assert html.count("<tr") == (MAX_BLOCKS - 1) // 2  # the table is a block, each row two more
    assert f"|{MAX_BLOCKS - 1}|x|" in html


def test_list_items_past_the_limit_of_blocks_are_shown_after_it():
    html = render_article("".join(f"- 第{item}项\n" for item in range(MAX_BLOCKS + 10))).html
    assert html.count("<li") == MAX_BLOCKS - 1  # the list is a block, each item one more
    assert f"- 第{MAX_BLOCKS + 9}项" in html


def test_past_the_limits_text_is_shown_as_written_not_dropped():
    html = render_article(repeated("`a` ")[:60_000] + "\n\n最后一段 {{答案}}").html
    assert "最后一段" in html and '<mark class="fact" id="fact-1">答案</mark>' in html
    assert "`a`" in html  # past the limit of inline elements: shown as written
