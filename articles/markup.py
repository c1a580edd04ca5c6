"""Key-fact markup: find the {{answer|alternative ~wrong::hint}} facts in an article's Markdown."""

from __future__ import annotations

import itertools
import re
import string
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

BLANK = "\ue000"  # stands for the fact's answer inside Fact.sentence


def gettext_noop(message: str) -> str:
    """Marks a message for `makemessages`; this module stays free of Django, and the admin
    translates the messages where it shows them (Article.clean)."""
    return message


UNCLOSED = gettext_noop('unclosed "{{" (add "}}" before the end of the paragraph)')
EMPTY_ANSWER = gettext_noop(
    'empty answer (write the answer right after "{{", before any "|", "~" or "::")'
)
EMPTY_ALTERNATIVE = gettext_noop('empty alternative after "|" (write one, or remove the "|")')
EMPTY_WRONG_OPTION = gettext_noop('empty wrong option after "~" (write one, or remove the "~")')
NESTED = gettext_noop(
    'nested "{{" inside a key fact (close the first fact with "}}", or write "\\{{")'
)
# "{}" stands for the option: MarkupIssue.detail.
WRONG_IS_ACCEPTED = gettext_noop('wrong option "{}" is also an accepted answer (remove it or change it)')


@dataclass(frozen=True)
class MarkupIssue:
    line: int  # 1-based
    column: int  # 1-based, in characters
    message: str  # one of this module's messages, as written
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
        super().__init__("\n".join(str(issue) for issue in self.issues))


@dataclass(frozen=True)
class FactBody:
    """What the text between "{{" and "}}" says."""

    answer: str
    alternatives: tuple[str, ...] = ()
    wrong_options: tuple[str, ...] = ()
    hint: str = ""


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


@dataclass(frozen=True)
class Span:
    """A piece of the source a renderer must replace before Markdown sees it."""

    start: int
    end: int
    kind: str  # "fact", "code", "math", "display_math", or "markdown" (rewritten source)
    text: str  # code or LaTeX without its delimiters, replacement Markdown, or the fact's source
    fact: Fact | None = None


@dataclass(frozen=True)
class Analysis:
    facts: tuple[Fact, ...]
    spans: tuple[Span, ...]  # in source order, never overlapping
    issues: tuple[MarkupIssue, ...]


def scan(source: str) -> list[Fact]:
    """The key facts of a Markdown source, in order; raises MarkupError listing every issue."""
    analysis = analyse(source)
    if analysis.issues:
        raise MarkupError(analysis.issues)
    return list(analysis.facts)


def parse_fact_body(body: str, line: int = 1, column: int = 1) -> FactBody:
    """Parse the text between "{{" and "}}"; line and column are those of the "{{"."""
    parsed, problems = _parse_body(body)
    if problems:
        raise MarkupError(
            MarkupIssue(*_position_in_body(body, line, column, offset), *message)
            for offset, *message in problems
        )
    return parsed


def split_inline(text: str) -> list[tuple[str, str, str]]:
    """Cut text into ("text" | "code" | "math" | "display_math", content, source) parts."""
    tokens, _ = _inline_tokens(text, document=False)
    parts, position = [], 0
    for token in tokens:
        if token.kind in ("code", "math", "display_math"):
            if token.start > position:
                parts.append(("text", text[position : token.start], text[position : token.start]))
            parts.append((token.kind, token.value, text[token.start : token.end]))
            position = token.end
    if position < len(text):
        parts.append(("text", text[position:], text[position:]))
    return parts


def analyse(source: str) -> Analysis:
    """Everything a renderer needs: the facts, the spans to replace, and every issue."""
    segments, spans = _BlockReader(source).read()
    positions = _Positions(source)
    facts, issues = [], []
    for segment in segments:
        tokens, unclosed = _inline_tokens(segment.text)
        for offset in unclosed:
            issues.append(positions.issue(segment.offsets[offset], UNCLOSED))
        bodies: dict[int, FactBody] = {}
        for token in tokens:
            start, end = segment.offsets[token.start], segment.offsets[token.end - 1] + 1
            if token.kind == "fact":
                body, problems = _parse_body(segment.text[token.start + 2 : token.end - 2])
                body_start = token.start + 2
                for offset, *message in problems:
                    issues.append(positions.issue(segment.offsets[body_start + offset], *message))
                if body is not None:
                    bodies[token.start] = body
            elif token.kind in ("code", "math", "display_math"):
                spans.append(Span(start, end, token.kind, token.value))
            elif token.kind == "ticks" or (token.kind == "escape" and token.value == "$"):
                # Markdown must see these as we did: a lone backtick stays literal, \$ is a dollar.
                spans.append(Span(start, end, "markdown", token.value))
        sentences, contexts = _sentences(segment, tokens, bodies)
        for token in tokens:
            if token.start not in bodies:
                continue
            body = bodies[token.start]
            start, end = segment.offsets[token.start], segment.offsets[token.end - 1] + 1
            line, column = positions.line_and_column(start)
            fact = Fact(
                answer=body.answer,
                alternatives=body.alternatives,
                wrong_options=body.wrong_options,
                hint=body.hint,
                line=line,
                column=column,
                start=start,
                end=end,
                sentence=sentences[token.start],
                context=_context_without(body, contexts.get(token.start, "")),
            )
            facts.append(fact)
            spans.append(Span(start, end, "fact", source[start:end], fact))
    spans.sort(key=lambda span: (span.start, span.end))
    return Analysis(tuple(facts), tuple(spans), tuple(issues))


# --- positions -------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what Markdown treats as line breaks, and no more


class _Positions:
    def __init__(self, source: str):
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]

    def line_and_column(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def issue(self, offset: int, message: str, detail: str = "") -> MarkupIssue:
        return MarkupIssue(*self.line_and_column(offset), message, detail)


def _position_in_body(body: str, line: int, column: int, offset: int) -> tuple[int, int]:
    """Line and column of body[offset] when the body follows a "{{" at (line, column)."""
    if offset < 0:  # the "{{" itself
        return line, column
    before = body[:offset]
    newline = before.rfind("\n")
    if newline == -1:
        return line, column + 2 + offset
    return line + before.count("\n"), offset - newline


# --- blocks ----------------------------------------------------------------------------------

_QUOTE_MARKER = re.compile(r" {0,3}> ?")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_FENCE_LANGUAGE = re.compile(r"\s*\{?\s*\.?([\w#+-][\w#+.-]*)")
_HEADING = re.compile(r"(#{1,6})[ \t]*")  # Python-Markdown needs no space after the hashes
_CLOSING_HASHES = re.compile(r"(?:[ \t]+#+|^#+)?[ \t]*$")
_THEMATIC_BREAK = re.compile(r"([-*_])(?: *\1){2,} *")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+) *")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d+\.) +")
_TABLE_DELIMITER = re.compile(r"[|: ]*-[-|: ]*")
_REFERENCE = re.compile(r"\[[^\[\]]*\]: *\S+ *(?:([\"'])(.*)\1 *|\((.*)\) *)?")


@dataclass(frozen=True)
class _Segment:
    """A run of text where inline markup (facts, code, math) may span lines: one paragraph,
    list item paragraph, heading or table row, with its container markers removed."""

    kind: str  # "text" or "row"
    text: str
    offsets: tuple[int, ...]  # source offset of each character of text, then of its end
    header: str = ""  # a table row's: its table's header row


@dataclass
class _SegmentBuilder:
    kind: str
    depth: int  # blockquote depth
    pieces: list[tuple[int, str]] = field(default_factory=list)

    def build(self) -> _Segment:
        offsets = []
        for offset, text in self.pieces:
            offsets.extend(range(offset, offset + len(text) + 1))  # +1: the joining line break
        return _Segment(self.kind, "\n".join(text for _, text in self.pieces), tuple(offsets))


@dataclass
class _Fence:
    marker: str  # the opening run of backticks or tildes
    indent: int
    depth: int  # blockquote depth
    canonical: bool  # rewritten so that Python-Markdown's fenced_code sees exactly this block
    in_list: bool


def _lines(source: str):
    start = 0
    for match in _LINE_BREAK.finditer(source):
        yield start, source[start : match.start()]
        start = match.end()
    yield start, source[start:]


def _quote_prefix(expanded: str, limit: int = 99) -> tuple[int, int]:
    """How many ">" markers open the line (at most limit), and the column after them."""
    depth = column = 0
    while depth < limit and (marker := _QUOTE_MARKER.match(expanded, column)):
        depth, column = depth + 1, marker.end()
    return depth, column


def _raw_index(raw: str, column: int) -> int:
    """Index in raw of the first character at or after a display column (tabs stop every 4)."""
    width = 0
    for index, char in enumerate(raw):
        if width >= column:
            return index
        width += 4 - width % 4 if char == "\t" else 1
    return len(raw)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


class _BlockReader:
    """Reads a document line by line the way Python-Markdown's block parser does, closely
    enough that both agree on where code is and where a paragraph ends."""

    def __init__(self, source: str):
        self.source = source
        self.lines = list(_lines(source))
        self.segments: list[_Segment] = []
        self.spans: list[Span] = []  # rewrites of fence lines
        self.current: _SegmentBuilder | None = None  # the paragraph being read
        self.fence: _Fence | None = None
        self.code_indent: int | None = None  # inside an indented code block
        self.list_indent: int | None = None  # indentation of the last list item, while in a list
        self.table_depth: int | None = None  # inside a table, at this quote depth
        self.table_header = ""  # the header row of that table
        self.skip_line = -1  # the delimiter row of a table

    def read(self) -> tuple[list[_Segment], list[Span]]:
        for index, (start, raw) in enumerate(self.lines):
            if index != self.skip_line:
                self._read_line(index, start, raw)
        self._close()
        if self.fence and self.fence.canonical:
            # Markdown's fenced_code needs a closing fence; an unclosed one runs to the end.
            end = len(self.source)
            self.spans.append(Span(end, end, "markdown", f"\n{self.fence.marker}\n"))
        return self.segments, self.spans

    def _close(self) -> None:
        if self.current is not None:
            self.segments.append(self.current.build())
            self.current = None

    def _single(self, kind: str, start: int, text: str, header: str = "") -> None:
        self._close()
        segment = _SegmentBuilder(kind, 0, [(start, text)]).build()
        self.segments.append(replace(segment, header=header) if header else segment)

    def _content(self, start: int, raw: str, column: int) -> tuple[int, str]:
        index = _raw_index(raw, column)
        return start + index, raw[index:]

    def _read_line(self, index: int, start: int, raw: str) -> None:
        """Place one line, trying the kinds of block in the order Markdown does."""
        expanded = raw.expandtabs(4)
        if self.fence and self._read_fence_line(start, raw, expanded):
            return
        depth, column = _quote_prefix(expanded)
        rest = expanded[column:]
        if not rest.strip(" "):
            self._close()
            self.table_depth = None
            return
        indent = _indent(rest)
        body = rest[indent:]
        content_start, content = self._content(start, raw, column + indent)

        if self.code_indent is not None:
            if indent >= self.code_indent:
                return
            self.code_indent = None
        if self.table_depth is not None and depth == self.table_depth:
            self._single("row", content_start, content, header=self.table_header)
            return
        self.table_depth = None
        code_indent = 4 if self.list_indent is None else self.list_indent + 8
        if self.current is None and indent >= code_indent:
            self.code_indent = code_indent
            return
        at_margin = indent <= 3
        fence = _FENCE.fullmatch(body)
        if fence and (at_margin or self.list_indent is not None):
            marker, info = fence.groups()
            if not (marker[0] == "`" and "`" in info):
                self._open_fence(start, raw, marker, info, indent, depth)
                return
        if at_margin and (heading := _HEADING.match(body)):
            heading_start, text = self._content(start, raw, column + indent + heading.end())
            self._single("text", heading_start, text[: _CLOSING_HASHES.search(text).start()])
            self.list_indent = None
            return
        if at_margin and self.current is not None and _SETEXT_UNDERLINE.fullmatch(body):
            self._close()
            return
        if at_margin and (_THEMATIC_BREAK.fullmatch(body) or _REFERENCE.fullmatch(body)):
            # Markdown drops reference definitions: nothing in them is shown.
            self._close()
            return
        item = _LIST_ITEM.match(body)
        if item and (at_margin or self.list_indent is not None):
            self._close()
            self.list_indent = indent
            self.current = _SegmentBuilder("text", depth)
            self.current.pieces.append(self._content(start, raw, column + indent + item.end()))
            return
        if self.current is None and "|" in body and self._delimiter_row_follows(index, depth):
            self.table_depth, self.skip_line, self.table_header = depth, index + 1, content
            self._single("row", content_start, content)
            return
        if body.startswith("|"):
            self._single("row", content_start, content)
            return
        if self.current is not None and depth <= self.current.depth:
            self.current.pieces.append((content_start, content))  # continuation, maybe lazy
            return
        self._close()
        if at_margin:
            self.list_indent = None  # Python-Markdown continues a list only with 4 spaces
        self.current = _SegmentBuilder("text", depth, [(content_start, content)])

    def _delimiter_row_follows(self, index: int, depth: int) -> bool:
        if index + 1 >= len(self.lines):
            return False
        expanded = self.lines[index + 1][1].expandtabs(4)
        next_depth, column = _quote_prefix(expanded)
        row = expanded[column:].strip()
        return next_depth == depth and "|" in row and bool(_TABLE_DELIMITER.fullmatch(row))

    def _open_fence(self, start: int, raw: str, marker: str, info: str, indent: int, depth: int) -> None:
        self._close()
        canonical = depth == 0 and indent <= 3
        self.fence = _Fence(marker, indent, depth, canonical, in_list=indent > 3)
        if indent <= 3:
            self.list_indent = None
        if canonical:
            language = _FENCE_LANGUAGE.match(info)
            opening = marker + (language.group(1) if language else "")
            # A blank line first, so the code block never lands inside a paragraph.
            self.spans.append(Span(start, start + len(raw), "markdown", f"\n{opening}"))

    def _read_fence_line(self, start: int, raw: str, expanded: str) -> bool:
        """Read a line inside a fenced code block; False when the block ended before it."""
        fence = self.fence
        depth, column = _quote_prefix(expanded, fence.depth)
        rest = expanded[column:]
        indent = _indent(rest)
        blank = not rest.strip(" ")
        if not blank and (depth < fence.depth or (fence.in_list and indent < fence.indent)):
            self.fence = None  # its container ended, and the block with it
            return False
        run = rest[indent:].rstrip(" ")
        closes = set(run) == {fence.marker[0]} and len(run) >= len(fence.marker)
        if closes and indent <= fence.indent + 3:
            if fence.canonical:
                self.spans.append(Span(start, start + len(raw), "markdown", f"{fence.marker}\n"))
            self.fence = None
        elif fence.canonical and fence.indent and indent:
            # Code lines lose the opening fence's indentation, as in CommonMark.
            self.spans.append(Span(start, start + _raw_index(raw, min(indent, fence.indent)), "markdown", ""))
        return True


# --- inline ----------------------------------------------------------------------------------

_SPECIAL = re.compile(r"[\\`${\]<]")
_SPECIAL_IN_FACT = re.compile(r"[\\`$}]")
_SPECIAL_IN_MATH = re.compile(r"[\\$]")
_BACKTICKS = re.compile(r"`+")
_ESCAPE_OR_PARENTHESIS = re.compile(r"\\.|[()]", re.DOTALL)
# Python-Markdown's autolink and automail patterns: their text is an address, not prose.
_AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>|<[^<> !]+@[^@<> ]+>")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    kind: str  # "escape", "code", "ticks", "math", "display_math", "fact" or "zone"
    value: str = ""  # escape and ticks: the Markdown meant; code and math: the content


def _inline_tokens(text: str, document: bool = True) -> tuple[list[_Token], list[int]]:
    """Escapes, code spans, math, and (in a document) facts and link addresses, left to right;
    also where each unclosed "{{" is."""
    return _InlineScanner(text, document).tokens()


class _InlineScanner:
    """Reads one segment of text left to right. The searches that may run to the end of the
    text (for a fact's "}}", a closing "$", a link's ")") remember what they found, so that
    text made of thousands of openers is still read in linear time."""

    def __init__(self, text: str, document: bool):
        self.text = text
        self.document = document  # facts and link addresses are only looked for in a document
        # Where a search reaching a special character ends up; where a needle last occurs.
        self.fact_close_from: dict[int, int | None] = {}
        self.dollar_close_from: dict[int, int | None] = {}
        self.last_found: dict[str | re.Pattern, int] = {}
        self.backtick_runs: dict[int, list[int]] | None = None  # run length -> run starts
        self.closing_parenthesis: dict[int, int] | None = None

    def tokens(self) -> tuple[list[_Token], list[int]]:
        text, tokens, unclosed = self.text, [], []
        position = 0
        while match := _SPECIAL.search(text, position):
            position = match.start()
            char, token = text[position], None
            if char == "\\":
                token = self.math_at(position) or self.escape_at(position)
            elif char == "`":
                token = self.code_at(position)
            elif char == "$":
                token = self.math_at(position)
                if token is None:  # a lone "$$" is two literal dollars, not one opening "$"
                    position += 2 if text.startswith("$$", position) else 1
                    continue
            elif self.document and text.startswith("{{", position):
                close = self.fact_close(position + 2)
                if close is None:
                    unclosed.append(position)
                    position += 2
                    continue
                token = _Token(position, close + 2, "fact")
            elif self.document and char == "]":
                token = self.link_address_at(position)
            elif self.document and char == "<" and (link := _AUTOLINK.match(text, position)):
                token = _Token(position, link.end(), "zone")
            if token is None:
                position += 1
            else:
                tokens.append(token)
                position = token.end
        return tokens, unclosed

    def escape_at(self, position: int) -> _Token:
        end = min(position + 2, len(self.text))
        escaped = self.text[position + 1 : end]
        meant = escaped if escaped and escaped in string.punctuation else self.text[position:end]
        return _Token(position, end, "escape", meant)

    def code_at(self, position: int) -> _Token:
        """A code span opened by the backtick run at position, closed by a run as long."""
        if self.backtick_runs is None:
            self.backtick_runs = {}
            for run in _BACKTICKS.finditer(self.text):
                self.backtick_runs.setdefault(len(run.group()), []).append(run.start())
        length = len(_BACKTICKS.match(self.text, position).group())
        same_length = self.backtick_runs.get(length, [])
        index = bisect_left(same_length, position + length)
        if index == len(same_length):
            return _Token(position, position + length, "ticks", "\\`" * length)
        closing = same_length[index]
        return _Token(position, closing + length, "code", self.text[position + length : closing])

    def math_at(self, position: int) -> _Token | None:
        text = self.text
        for opening, closing, kind in (
            ("$$", "$$", "display_math"),
            ("\\[", "\\]", "display_math"),
            ("\\(", "\\)", "math"),
        ):
            if text.startswith(opening, position):
                close = self.find(closing, position + 2)
                if close == -1 or not text[position + 2 : close].strip():
                    return None
                return _Token(position, close + 2, kind, text[position + 2 : close])
        if not text.startswith("$", position) or text[position + 1 : position + 2].strip() == "":
            return None  # "$" must be followed by a non-space to open
        close = self.dollar_close(position + 1)
        if close is None:
            return None
        return _Token(position, close + 1, "math", text[position + 1 : close])

    def find(self, needle: str, position: int) -> int:
        """text.find(needle, position), without searching again and again for a needle that
        is not there any more."""
        if needle not in self.last_found:
            self.last_found[needle] = self.text.rfind(needle)
        return -1 if position > self.last_found[needle] else self.text.find(needle, position)

    def next_special(self, pattern: re.Pattern, position: int) -> int | None:
        """Where pattern next matches from position, likewise."""
        if pattern not in self.last_found:
            self.last_found[pattern] = max((m.start() for m in pattern.finditer(self.text)), default=-1)
        if position > self.last_found[pattern]:
            return None
        return pattern.search(self.text, position).start()

    def dollar_close(self, position: int) -> int | None:
        """The first "$" from position that closes math: after a non-space, before no digit
        ("$5 and $6" is prose)."""
        text, visited, found = self.text, [], None
        while (at := self.next_special(_SPECIAL_IN_MATH, position)) is not None:
            if at in self.dollar_close_from:
                found = self.dollar_close_from[at]
                break
            visited.append(at)
            if text[at] == "\\":
                position = at + 2
            elif not text[at - 1].isspace() and not text[at + 1 : at + 2].isdigit():
                found = at
                break
            else:
                position = at + 1
        self.dollar_close_from.update(dict.fromkeys(visited, found))
        return found

    def fact_close(self, position: int) -> int | None:
        """Where the "}}" closing a fact body that starts at position is; code and math in the
        body are skipped, so a "}}" in them closes nothing."""
        text, visited, found = self.text, [], None
        while (at := self.next_special(_SPECIAL_IN_FACT, position)) is not None:
            if at in self.fact_close_from:
                found = self.fact_close_from[at]
                break
            visited.append(at)
            char = text[at]
            if text.startswith("}}", at):
                found = at
                break
            if char == "}":
                position = at + 1
                continue
            if char == "\\":
                token = self.math_at(at) or self.escape_at(at)
            elif char == "`":
                token = self.code_at(at)
            else:
                token = self.math_at(at)
            lone_dollars = 2 if text.startswith("$$", at) else 1  # when "$" opens no math
            position = at + lone_dollars if token is None else token.end
        self.fact_close_from.update(dict.fromkeys(visited, found))
        return found

    def link_address_at(self, position: int) -> _Token | None:
        """The "(...)" after a link's "]": an address and title, where no fact can be shown."""
        if not self.text.startswith("](", position):
            return None
        if self.closing_parenthesis is None:
            self.closing_parenthesis, opened = {}, []
            for match in _ESCAPE_OR_PARENTHESIS.finditer(self.text):
                if match.group() == "(":
                    opened.append(match.start())
                elif match.group() == ")" and opened:
                    self.closing_parenthesis[opened.pop()] = match.start()
        close = self.closing_parenthesis.get(position + 1)
        return None if close is None else _Token(position + 1, close + 1, "zone")


def _masked(text: str, tokens: list[_Token]) -> str:
    """text with every token blotted out, so that separators inside them are not seen."""
    parts, position = [], 0
    for token in tokens:
        parts.append(text[position : token.start])
        parts.append("\0" * (token.end - token.start))
        position = token.end
    parts.append(text[position:])
    return "".join(parts)


# --- fact bodies -----------------------------------------------------------------------------

_CLOZE_PREFIX = re.compile(r"\s*c\d+::")
_LINE_BREAK_SPACE = re.compile(r"\s*\n\s*")


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _parse_body(body: str) -> tuple[FactBody | None, list[tuple]]:
    """The parts of a fact body, or None with the problems (offset in body, message[, detail]);
    offset -2 means the opening "{{"."""
    tokens, _ = _inline_tokens(body, document=False)
    masked = _masked(body, tokens)
    problems = [(m.start(), NESTED) for m in re.finditer(r"\{\{", masked)]
    cloze = _CLOZE_PREFIX.match(body)  # Anki's "c1::" says nothing here
    begin = cloze.end() if cloze else 0
    hint_at = masked.find("::", begin)
    end = len(body) if hint_at == -1 else hint_at
    hint = "" if hint_at == -1 else _piece(body, tokens, hint_at + 2, len(body))

    def split(start: int, stop: int, separator: str) -> list[tuple[int, int, int]]:
        """(start, stop, separator offset) of each piece; the first has separator offset -2."""
        cuts = [m.start() for m in re.finditer(re.escape(separator), masked[start:stop])]
        starts, stops = [start] + [start + c + 1 for c in cuts], [start + c for c in cuts] + [stop]
        return list(zip(starts, stops, [-2] + [start + c for c in cuts], strict=True))

    answers_and_wrongs = split(begin, end, "~")
    answers = split(answers_and_wrongs[0][0], answers_and_wrongs[0][1], "|")
    texts = {}
    for piece_start, piece_stop, separator in answers + answers_and_wrongs[1:]:
        texts[piece_start] = _piece(body, tokens, piece_start, piece_stop)
        if not texts[piece_start]:
            is_answer = separator == -2
            message = (
                EMPTY_ANSWER
                if is_answer
                else (EMPTY_ALTERNATIVE if body[separator] == "|" else EMPTY_WRONG_OPTION)
            )
            problems.append((-2 if is_answer else separator, message))
    accepted = {_normalised(texts[start]) for start, _, _ in answers}
    for start, _, _ in answers_and_wrongs[1:]:
        if texts[start] and _normalised(texts[start]) in accepted:
            first_visible = start + len(body[start:]) - len(body[start:].lstrip())
            problems.append((first_visible, WRONG_IS_ACCEPTED, texts[start]))
    if problems:
        return None, sorted(problems)
    return FactBody(
        answer=texts[answers[0][0]],
        alternatives=tuple(texts[start] for start, _, _ in answers[1:]),
        wrong_options=tuple(texts[start] for start, _, _ in answers_and_wrongs[1:]),
        hint=hint,
    ), []


def _piece(body: str, tokens: list[_Token], start: int, stop: int) -> str:
    """body[start:stop] with escapes resolved (not in code or math), line breaks as spaces,
    trimmed."""
    parts, position = [], start
    for token in tokens:
        if token.kind == "escape" and start <= token.start < stop:
            parts.append(body[position : token.start])
            parts.append(token.value)
            position = token.end
    parts.append(body[position:stop])
    return _LINE_BREAK_SPACE.sub(" ", "".join(parts)).strip()


# --- sentences -------------------------------------------------------------------------------

# Chinese full stops end a sentence anywhere; ASCII ones only before a space or the end.
_SENTENCE_END = re.compile(r"[。！？][”’」』）)]*|[.!?][\"'”’)）]*(?=\s|$)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}$])")


def _answer_as_markdown(answer: str) -> str:
    """The answer as Markdown that shows it as written: code and math stay, the rest escaped."""
    return "".join(
        _MARKDOWN_SPECIAL.sub(r"\\\1", source) if kind == "text" else source
        for kind, _, source in split_inline(answer)
    )


def _sentences(
    segment: _Segment, tokens: list[_Token], bodies: dict[int, FactBody]
) -> tuple[dict, dict]:
    """The sentence of each parsed fact in a segment, and the context of those that point back
    (see Fact.context), each keyed by where the fact starts."""
    text, masked = segment.text, _masked(segment.text, tokens)
    if segment.kind == "row":  # a table row: a sentence never leaves its cell
        cuts = [i for i, char in enumerate(masked) if char == "|"]
        regions = list(zip([0] + [cut + 1 for cut in cuts], cuts + [len(text)], strict=True))
    else:
        regions = [(0, len(text))]
    sentences = []  # (start, end) of each sentence, in order
    for region_start, region_end in regions:
        start = region_start
        for match in _SENTENCE_END.finditer(masked, region_start, region_end):
            sentences.append((start, match.end()))
            start = match.end()
        sentences.append((start, region_end))
    result = _blanked_sentences(text, tokens, bodies, sentences)
    contexts = {}
    if segment.kind == "text":
        for (before_start, before_end), (start, end) in itertools.pairwise(sentences):
            if leans_on_previous(text[start:end]):
                context = _cell_text(_answer_pieces(text, tokens, bodies, before_start, before_end), -1)
                for token_start in result:
                    if start <= token_start < end:
                        contexts[token_start] = context
    if segment.kind == "row":
        # A fact alone in its cell would be asked with nothing around it: ask it with its row,
        # each cell under its column's name ("层：BN；维度：＿").
        cells = [_answer_pieces(text, tokens, bodies, start, end) for start, end in regions]
        labels = _header_cells(segment.header)
        if len(labels) != len(cells):
            labels = [""] * len(cells)
        for token_start, sentence in result.items():
            if not _WORD.search(sentence.replace(BLANK, "")):
                shown = [_cell_text(pieces, token_start) for pieces in cells]
                result[token_start] = "；".join(
                    f"{label}：{cell}" if label else cell
                    for label, cell in zip(labels, shown, strict=True)
                    if cell
                )
    return result, contexts


# A sentence leans on the one before when it opens with a word pointing back (它, 其, This …),
# when its first clause does (每个类别内部的这个比值，…), or when it holds a phrase that always
# points back (该方法, 上述, 前者). A pronoun later in a sentence usually points inside it.
_POINTS_BACK = re.compile(r"\s*(?:它|他们|她们|这|该|此|其|两者|二者|前者|后者|(?:It|This|These|They)\b)")
_POINTS_BACK_IN_FIRST_CLAUSE = re.compile(r"[^，,；;：:。]*?(?:它|这|两者|二者|此时)")
_POINTS_BACK_ANYWHERE = re.compile(r"(?<![应活])该(?=[\u4e00-\u9fff])|上述|前述|前者|后者")


def leans_on_previous(sentence: str) -> bool:
    """Whether a sentence needs the one before it to be understood."""
    return bool(
        _POINTS_BACK.match(sentence)
        or _POINTS_BACK_IN_FIRST_CLAUSE.match(sentence)
        or _POINTS_BACK_ANYWHERE.search(sentence)
    )


def _context_without(body: FactBody, context: str) -> str:
    """The context, unless it would give away the answer or an alternative."""
    shown = _normalised(context)
    return "" if any(_normalised(text) in shown for text in (body.answer, *body.alternatives)) else context


_WORD = re.compile(r"\w")


def _header_cells(header: str) -> list[str]:
    """A header row's cells as shown, facts as their answers (a header may hold one too)."""
    if not header:
        return []
    tokens, _ = _inline_tokens(header)
    masked = _masked(header, tokens)
    cuts = [i for i, char in enumerate(masked) if char == "|"]
    regions = zip([0] + [cut + 1 for cut in cuts], cuts + [len(header)], strict=True)
    bodies = {}
    for token in tokens:
        if token.kind == "fact":
            body, _ = _parse_body(header[token.start + 2 : token.end - 2])
            if body is not None:
                bodies[token.start] = body
    return [_cell_text(_answer_pieces(header, tokens, bodies, start, end), -1) for start, end in regions]


def _answer_pieces(text: str, tokens: list[_Token], bodies: dict, start: int, end: int) -> list:
    """text[start:end] in pieces: text between facts, then (fact start, the fact as its answer)."""
    pieces, position = [], start
    for token in tokens:
        if token.kind != "fact" or not start <= token.start < end:
            continue
        pieces.append(_LINE_BREAK_SPACE.sub(" ", text[position : token.start]))
        body = bodies.get(token.start)
        shown = text[token.start : token.end] if body is None else body.answer
        pieces.append((token.start, _LINE_BREAK_SPACE.sub(" ", _answer_as_markdown(shown))))
        position = token.end
    pieces.append(_LINE_BREAK_SPACE.sub(" ", text[position:end]))
    return pieces


def _cell_text(pieces: list, blanked_fact: int) -> str:
    """The pieces joined, the fact starting at `blanked_fact` (if there) as the blank."""
    return "".join(
        piece if isinstance(piece, str) else BLANK if piece[0] == blanked_fact else piece[1]
        for piece in pieces
    ).strip()


def _blanked_sentences(text: str, tokens: list[_Token], bodies: dict, sentences: list) -> dict:
    """For each parsed fact, its sentence with the fact blanked and other facts as answers."""
    result = {}
    for start, end in sentences:
        pieces = _answer_pieces(text, tokens, bodies, start, end)
        for piece in pieces:
            if not isinstance(piece, str) and piece[0] in bodies:
                result[piece[0]] = _cell_text(pieces, piece[0])
    return result
