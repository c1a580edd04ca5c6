"""The facts of one block of text (paragraph, list item, heading, table cell), as Markdown's
inline pass sees it once code spans and math are decided."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import util

from articles.markup.bodies import FactBody, parse_body
from articles.markup.errors import (
    MAX_FACTS,
    MAX_ISSUES,
    NESTED,
    TOO_MANY_FACTS,
    UNCLOSED,
    MarkupIssue,
    Positions,
)
from articles.markup.inline import Token
from articles.markup.marks import CLOSE, OPEN, number, unmark
from articles.markup.sentences import block_sentences


@dataclass(frozen=True)
class Fact:
    answer: str
    alternatives: tuple[str, ...]
    wrong_options: tuple[str, ...]
    hint: str
    line: int
    column: int
    start: int
    end: int
    sentence: str
    # The sentence before, when this one opens with a word pointing back at it ("它", "这"):
    # shown above the question so that "它" means something. Empty when it holds the answer.
    context: str = ""
    anchor: str = ""


@dataclass
class FactRecord:
    """A fact as its block found it; `opening` and `closing` number its "{{" and "}}" marks."""

    opening: int
    closing: int
    body: FactBody
    start: int  # source offsets
    end: int
    sentence: str
    context: str
    in_cell: bool


# Placeholders Markdown put in the text for what it has decided (code, math).
_PLACEHOLDER = re.compile(f"{util.STX}[^{util.ETX}]*{util.ETX}")


def analyse_block(
    data: str, in_cell: bool, source_of, offsets: list[int], positions: Positions, budget: int
) -> tuple[str, list[FactRecord], list[MarkupIssue]]:
    """The facts of a block's text (at most `budget`) and the problems in it, and the text
    with every "{{" that opens no fact turned back into braces. `source_of` turns a placeholder back into the
    source it stands for; `offsets` are the marks' source offsets."""
    parts, decided, length, position = [], [], 0, 0
    if util.STX in data:
        for match in _PLACEHOLDER.finditer(data):
            parts.append(data[position : match.start()])
            length += match.start() - position
            shown = unmark(source_of(match.group()))
            decided.append(Token(length, length + len(shown), "decided"))
            parts.append(shown)
            length += len(shown)
            position = match.end()
    marked = "".join([*parts, data[position:]]) if parts else data
    text = unmark(marked)
    opens = [(m.start(), number(m.group())) for m in OPEN.finditer(marked)]
    closes = [m.start() for m in CLOSE.finditer(marked)]

    records, issues, facts, bodies = [], [], [], {}
    opening_at = dict(opens)
    next_close, fact_end = 0, -1
    for at, mark in opens:
        if at < fact_end:  # inside the fact before: its body reports it as nested
            continue
        if len(facts) == budget:
            issues.append(positions.issue(offsets[mark], TOO_MANY_FACTS, str(MAX_FACTS)))
            break
        while next_close < len(closes) and closes[next_close] < at:
            next_close += 1
        if next_close == len(closes):
            if len(issues) < MAX_ISSUES:
                issues.append(positions.issue(offsets[mark], UNCLOSED))
            continue
        close_at = closes[next_close]
        close_mark = number(marked[close_at : close_at + 2])
        next_close, fact_end = next_close + 1, close_at + 2
        token = Token(at, close_at + 2, "fact")
        facts.append(token)
        body, problems = parse_body(text[at + 2 : close_at])
        for offset, message, *detail in problems[: max(0, MAX_ISSUES - len(issues))]:
            inner = at + 2 + offset
            if message == NESTED and inner in opening_at:
                issues.append(positions.issue(offsets[opening_at[inner]], message, *detail))
            elif offset < 0:
                issues.append(positions.issue(offsets[mark], message, *detail))
            else:
                where = _locate(text, at, offsets[mark], inner, positions)
                issues.append(MarkupIssue(*where, message, *detail))
        if body is not None:
            bodies[at] = body
            records.append(
                FactRecord(mark, close_mark, body, offsets[mark], offsets[close_mark] + 2, "", "", in_cell)
            )

    if len(records) < len(opens):
        data = _only_facts_marked(data, {record.opening for record in records})
    shown = _outside_facts(decided, facts) if records else []
    sentences, contexts = block_sentences(text, shown, bodies, in_cell) if records else ({}, {})
    by_start = {offsets[record.opening]: record for record in records}
    for token in facts:
        if token.start in bodies:
            record = by_start[offsets[opening_at[token.start]]]
            record.sentence = sentences[token.start]
            record.context = contexts.get(token.start, "")
    return data, records, issues


def _only_facts_marked(data: str, facts: set[int]) -> str:
    if not facts:
        return OPEN.sub("{{", data)
    return OPEN.sub(lambda m: m.group() if number(m.group()) in facts else "{{", data)


def _outside_facts(decided: list[Token], facts: list[Token]) -> list[Token]:
    """The facts, and the decided pieces that are not inside one, in order."""
    merged, index = [], 0
    for token in decided:
        while index < len(facts) and facts[index].end <= token.start:
            merged.append(facts[index])
            index += 1
        if index == len(facts) or token.start < facts[index].start:
            merged.append(token)
    return merged + facts[index:]


def _locate(text: str, open_at: int, open_offset: int, at: int, positions: Positions) -> tuple[int, int]:
    """Line and column in the source of text[at], inside the fact whose "{{" is text[open_at]
    at open_offset. A block's later lines are their source lines less the block markers in
    front ("> ", indentation), so a column there is counted from the line's end."""
    line, column = positions.line_and_column(open_offset)
    newlines = text.count("\n", open_at, at)
    if not newlines:
        return line, column + at - open_at
    line_end = text.find("\n", at)
    after = (len(text) if line_end == -1 else line_end) - at
    return line + newlines, max(1, positions.line_length(line + newlines) - after + 1)
