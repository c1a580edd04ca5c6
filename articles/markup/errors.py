"""Markup errors: what is wrong, and where in the source (line and column, from 1)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a message for `makemessages`; this package stays free of Django, and the admin
    translates the messages where it shows them (Article.clean)."""
    return message


UNCLOSED = gettext_noop('unclosed "{{" (add "}}" before the end of the paragraph)')
EMPTY_ANSWER = gettext_noop('empty answer (write the answer right after "{{", before any "|", "~" or "::")')
EMPTY_ALTERNATIVE = gettext_noop('empty alternative after "|" (write one, or remove the "|")')
EMPTY_WRONG_OPTION = gettext_noop('empty wrong option after "~" (write one, or remove the "~")')
NESTED = gettext_noop('nested "{{" inside a key fact (close the first fact with "}}", or write "\\{{")')
# "{}" stands for the option: MarkupIssue.detail.
WRONG_IS_ACCEPTED = gettext_noop('wrong option "{}" is also an accepted answer (remove it or change it)')
# "{}" stands for MAX_FACTS.
TOO_MANY_FACTS = gettext_noop("more than {} key facts in one note (split it into several notes)")
MISPLACED_FACT = gettext_noop("a key fact cannot be shown here (it is inside a link address or an image)")


# A note with more problems than this is reported by its first ones: nobody reads on.
MAX_ISSUES = 200
# Far more than any note holds (the demo library's largest has 10); each fact costs a sentence
# and a question, so a note of thousands is refused rather than rendered for seconds.
MAX_FACTS = 1000


@dataclass(frozen=True)
class MarkupIssue:
    line: int  # 1-based
    column: int  # 1-based, in characters
    message: str  # one of this package's messages, as written
    detail: str = ""  # what fills the message's "{}", if it has one

    @property
    def text(self) -> str:
        return self.message.format(self.detail) if self.detail else self.message

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.text}"


class MarkupError(ValueError):
    """The markup has problems; ``issues`` lists every one of them, in source order."""

    def __init__(self, issues):
        self.issues = tuple(sorted(issues, key=lambda issue: (issue.line, issue.column)))
        super().__init__()

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what Markdown treats as line breaks, and no more


class Positions:
    """Line and column of offsets in a source, counted the way an editor shows them."""

    def __init__(self, source: str):
        self.source = source
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]

    def line_and_column(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def line_length(self, line: int) -> int:
        """Characters of a line (1-based), without its line break."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.source)
        return len(_LINE_BREAK.sub("", self.source[start:end]))

    def issue(self, offset: int, message: str, detail: str = "") -> MarkupIssue:
        return MarkupIssue(*self.line_and_column(offset), message, detail)


def position_in_body(body: str, line: int, column: int, offset: int) -> tuple[int, int]:
    """Line and column of body[offset] when the body follows a "{{" at (line, column)."""
    if offset < 0:  # the "{{" itself
        return line, column
    before = body[:offset]
    newline = before.rfind("\n")
    if newline == -1:
        return line, column + 2 + offset
    return line + before.count("\n"), offset - newline
