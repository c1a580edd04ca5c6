"""The facts of one block of text (paragraph, list item, heading, table cell), as Markdown's
inline pass sees it once code spans and math are decided."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import util

from articles.markup.bodies import FactBody, parse_body
from articles.markup.errors import NESTED, UNCLOSED, MarkupIssue, Positions
from articles.markup.inline import Token
from articles.markup.marks import MARK, is_open, number, unmark
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


# Placeholders Markdown put in the text for what it has decided (code, math), and marks.
_PIECE = re.compile(f"{util.STX}[^{util.ETX}]*{util.ETX}|{MARK.pattern}")


def analyse_block(
    data: str, in_cell: bool, source_of, offsets: list[int], positions: Positions
) -> tuple[list[FactRecord], list[MarkupIssue]]:
    """The facts of a block's text and the problems in it. `source_of` turns a placeholder
    back into the source it stands for; `offsets` are the marks' source offsets."""
    parts, decided, marks, length, position = [], [], [], 0, 0
    for match in _PIECE.finditer(data):
        parts.append(data[position : match.start()])
        length += match.start() - position
        piece = match.group()
        if piece[0] == util.STX:
            shown = unmark(source_of(piece))
            decided.append(Token(length, length + len(shown), "decided"))
        else:
            shown = "{{" if is_open(piece) else "}}"
            marks.append((length, number(piece), is_open(piece)))
        parts.append(shown)
        length += len(shown)
        position = match.end()
    parts.append(data[position:])
    text = "".join(parts)

    records, issues, facts, bodies = [], [], [], {}
    opening_at = {at: mark for at, mark, opening in marks if opening}
    next_close, following = [0] * len(marks), len(marks)  # index of the first "}}" after each
    for index in range(len(marks) - 1, -1, -1):
        next_close[index] = following
        if not marks[index][2]:
            following = index
    index = 0
    while index < len(marks):
        at, mark, opening = marks[index]
        following = next_close[index]
        if not opening:
            index += 1
            continue
        if following == len(marks):
            issues.append(positions.issue(offsets[mark], UNCLOSED))
            index += 1
            continue
        close_at, close_mark, _ = marks[following]
        token = Token(at, close_at + 2, "fact")
        facts.append(token)
        body, problems = parse_body(text[at + 2 : close_at])
        for offset, message, *detail in problems:
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
        index = following + 1

    shown = _outside_facts(decided, facts) if records else []
    sentences, contexts = block_sentences(text, shown, bodies, in_cell) if records else ({}, {})
    by_start = {offsets[record.opening]: record for record in records}
    for token in facts:
        if token.start in bodies:
            record = by_start[offsets[opening_at[token.start]]]
            record.sentence = sentences[token.start]
            record.context = contexts.get(token.start, "")
    return records, issues


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
