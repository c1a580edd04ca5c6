"""Code spans, math and escapes: where each starts and ends, found in linear time.

One definition serves the Markdown patterns that render a note (`extension.py`), the table
rows that must not be split inside them, and the answers and options shown on their own
(`split_inline`), so that what counts as code or math is written once.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from dataclasses import dataclass

_BACKTICKS = re.compile(r"`+")
_DOLLAR = re.compile(r"\$")
_SPECIAL = re.compile(r"[\\`$]")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    kind: str  # "escape", "code", "ticks", "math" or "display_math" (and "fact" elsewhere)
    value: str = ""  # escape: the character meant; code and math: the content


class InlineText:
    """One text, with the searches that may run to its end (a closing backtick run, "$",
    "\\)") answered from indexes built once, so that text made of thousands of openers is
    still read in linear time."""

    def __init__(self, text: str):
        self.text = text
        self._runs: dict[int, list[int]] | None = None  # run length -> run starts
        self._dollar_closers: list[int] | None = None
        self._last: dict[str, int] = {}

    def code_at(self, position: int) -> tuple[int, str] | None:
        """(end, content) of the code span opened by the backtick run at position: closed by
        the next run exactly as long."""
        if self._runs is None:
            self._runs = {}
            for run in _BACKTICKS.finditer(self.text):
                self._runs.setdefault(len(run.group()), []).append(run.start())
        length = len(_BACKTICKS.match(self.text, position).group())
        same_length = self._runs.get(length, [])
        index = bisect_left(same_length, position + length)
        if index == len(same_length):
            return None
        closing = same_length[index]
        return closing + length, self.text[position + length : closing]

    def math_at(self, position: int) -> tuple[int, str, str] | None:
        """(end, "math" | "display_math", LaTeX) of math opened at position: $$...$$, \\[...\\],
        \\(...\\), or $...$ where "$" is followed by a non-space."""
        text = self.text
        for opening, closing, kind in (
            ("$$", "$$", "display_math"),
            ("\\[", "\\]", "display_math"),
            ("\\(", "\\)", "math"),
        ):
            if text.startswith(opening, position):
                close = self._find(closing, position + 2)
                if close == -1 or not text[position + 2 : close].strip():
                    return None
                return close + 2, kind, text[position + 2 : close]
        if not text.startswith("$", position) or text[position + 1 : position + 2].strip() == "":
            return None
        close = self._dollar_close(position + 1)
        if close is None:
            return None
        return close + 1, "math", text[position + 1 : close]

    def _find(self, needle: str, position: int) -> int:
        """text.find(needle, position), never searching twice for a needle that is gone."""
        if needle not in self._last:
            self._last[needle] = self.text.rfind(needle)
        return -1 if position > self._last[needle] else self.text.find(needle, position)

    def _dollar_close(self, position: int) -> int | None:
        """The first "$" from position that closes math: not escaped, after a non-space,
        before no digit ("$5 and $6" is prose)."""
        if self._dollar_closers is None:
            text = self.text
            self._dollar_closers = [
                at
                for at in (m.start() for m in _DOLLAR.finditer(text))
                if at > 0
                and not text[at - 1].isspace()
                and not text[at + 1 : at + 2].isdigit()
                and _backslashes_before(text, at) % 2 == 0
            ]
        index = bisect_left(self._dollar_closers, position)
        return self._dollar_closers[index] if index < len(self._dollar_closers) else None


def _backslashes_before(text: str, position: int) -> int:
    count = 0
    while position > count and text[position - count - 1] == "\\":
        count += 1
    return count


def escape_at(text: str, position: int) -> Token:
    """The backslash at position and what it escapes: punctuation is meant literally."""
    end = min(position + 2, len(text))
    escaped = text[position + 1 : end]
    meant = escaped if escaped and escaped in string.punctuation else text[position:end]
    return Token(position, end, "escape", meant)


def tokens(text: str) -> list[Token]:
    """Escapes, code spans and math of a text, left to right (the first opener wins)."""
    inline, found, position = InlineText(text), [], 0
    while match := _SPECIAL.search(text, position):
        position, char, token = match.start(), match.group(), None
        if char == "\\":
            math = inline.math_at(position)
            token = Token(position, math[0], math[1], math[2]) if math else escape_at(text, position)
        elif char == "`":
            code = inline.code_at(position)
            run = _BACKTICKS.match(text, position).end()
            token = Token(position, code[0], "code", code[1]) if code else Token(position, run, "ticks")
        else:
            math = inline.math_at(position)
            if math is None:  # a lone "$$" is two literal dollars, not one opening "$"
                position += 2 if text.startswith("$$", position) else 1
                continue
            token = Token(position, math[0], math[1], math[2])
        found.append(token)
        position = token.end
    return found


def split_inline(text: str) -> list[tuple[str, str, str]]:
    """Cut text into ("text" | "code" | "math" | "display_math", content, source) parts."""
    if not _SPECIAL.search(text):
        return [("text", text, text)] if text else []
    parts, position = [], 0
    for token in tokens(text):
        if token.kind in ("code", "math", "display_math"):
            if token.start > position:
                parts.append(("text", text[position : token.start], text[position : token.start]))
            parts.append((token.kind, token.value, text[token.start : token.end]))
            position = token.end
    if position < len(text):
        parts.append(("text", text[position:], text[position:]))
    return parts


def masked(text: str, found: list[Token]) -> str:
    """text with every token blotted out, so that separators inside them are not seen."""
    parts, position = [], 0
    for token in found:
        parts.append(text[position : token.start])
        parts.append("\0" * (token.end - token.start))
        position = token.end
    parts.append(text[position:])
    return "".join(parts)
