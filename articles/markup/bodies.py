"""What the text between "{{" and "}}" says: answer, alternatives, wrong options, hint."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from articles.markup.errors import (
    EMPTY_ALTERNATIVE,
    EMPTY_ANSWER,
    EMPTY_WRONG_OPTION,
    NESTED,
    WRONG_IS_ACCEPTED,
    MarkupError,
    MarkupIssue,
    position_in_body,
)
from articles.markup.inline import Token, masked, tokens

_CLOZE_PREFIX = re.compile(r"\s*c\d+::")
_LINE_BREAK_SPACE = re.compile(r"\s*\n\s*")
_SPECIAL = re.compile(r"[\\`$|~:{]")
_SPACES = re.compile(r"\s*")


@dataclass(frozen=True)
class FactBody:
    """What the text between "{{" and "}}" says."""

    answer: str
    alternatives: tuple[str, ...] = ()
    wrong_options: tuple[str, ...] = ()
    hint: str = ""


def parse_fact_body(body: str, line: int = 1, column: int = 1) -> FactBody:
    """Parse the text between "{{" and "}}"; line and column are those of the "{{"."""
    parsed, problems = parse_body(body)
    if problems:
        raise MarkupError(
            MarkupIssue(*position_in_body(body, line, column, offset), *message)
            for offset, *message in problems
        )
    return parsed


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_body(body: str) -> tuple[FactBody | None, list[tuple]]:
    """The parts of a fact body, or None with the problems (offset in body, message[, detail]);
    offset -2 means the opening "{{". Code and math in the body hide separators."""
    if not _SPECIAL.search(body):  # the usual fact: just an answer
        answer = _LINE_BREAK_SPACE.sub(" ", body).strip()
        return (FactBody(answer), []) if answer else (None, [(-2, EMPTY_ANSWER)])
    found = tokens(body)
    blotted = masked(body, found)
    problems = [(m.start(), NESTED) for m in re.finditer(r"\{\{", blotted)]
    cloze = _CLOZE_PREFIX.match(body)  # Anki's "c1::" says nothing here
    begin = cloze.end() if cloze else 0
    hint_at = blotted.find("::", begin)
    end = len(body) if hint_at == -1 else hint_at
    hint = "" if hint_at == -1 else _piece(body, found, hint_at + 2, len(body))

    def split(start: int, stop: int, separator: str) -> list[tuple[int, int, int]]:
        """(start, stop, separator offset) of each piece; the first has separator offset -2."""
        cuts = [m.start() for m in re.finditer(re.escape(separator), blotted[start:stop])]
        starts, stops = [start] + [start + c + 1 for c in cuts], [start + c for c in cuts] + [stop]
        return list(zip(starts, stops, [-2] + [start + c for c in cuts], strict=True))

    answers_and_wrongs = split(begin, end, "~")
    answers = split(answers_and_wrongs[0][0], answers_and_wrongs[0][1], "|")
    texts = {}
    for piece_start, piece_stop, separator in answers + answers_and_wrongs[1:]:
        texts[piece_start] = _piece(body, found, piece_start, piece_stop)
        if not texts[piece_start]:
            is_answer = separator == -2
            message = (
                EMPTY_ANSWER
                if is_answer
                else (EMPTY_ALTERNATIVE if body[separator] == "|" else EMPTY_WRONG_OPTION)
            )
            problems.append((-2 if is_answer else separator, message))
    accepted = {normalised(texts[start]) for start, _, _ in answers}
    for start, _, _ in answers_and_wrongs[1:]:
        if texts[start] and normalised(texts[start]) in accepted:
            first_visible = _SPACES.match(body, start).end()
            problems.append((first_visible, WRONG_IS_ACCEPTED, texts[start]))
    if problems:
        return None, sorted(problems)
    return FactBody(
        answer=texts[answers[0][0]],
        alternatives=tuple(texts[start] for start, _, _ in answers[1:]),
        wrong_options=tuple(texts[start] for start, _, _ in answers_and_wrongs[1:]),
        hint=hint,
    ), []


def _piece(body: str, found: list[Token], start: int, stop: int) -> str:
    """body[start:stop] with escapes resolved (not in code or math), line breaks as spaces,
    trimmed."""
    parts, position = [], start
    for index in range(bisect_left(found, start, key=lambda token: token.start), len(found)):
        token = found[index]
        if token.start >= stop:
            break
        if token.kind == "escape":
            parts.append(body[position : token.start])
            parts.append(token.value)
            position = token.end
    parts.append(body[position:stop])
    return _LINE_BREAK_SPACE.sub(" ", "".join(parts)).strip()
