"""The key-fact Markdown extension: Markdown's own parser decides what is code, math and a
fact, once; facts become <mark>s, math becomes MathML, raw HTML is shown, never obeyed.

How a fact keeps its place: every "{{" and "}}" is swapped for a numbered mark before Markdown
reads the note (marks.py), so wherever Markdown puts a fact, its number gives its exact line
and column. Code spans (190) and math (185) are decided first; then each block's text is read
for facts (facts.py), whose <mark>s are placed by an inline pattern below links (105), so a
fact in link text is shown and one in a link address is not a fact.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown import util
from markdown.extensions.tables import TableProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from articles.markup.answers import answer_html, escape, math_html
from articles.markup.errors import MAX_FACTS, MAX_ISSUES, MISPLACED_FACT, TOO_MANY_FACTS, Positions
from articles.markup.facts import FactRecord, analyse_block
from articles.markup.inline import InlineText, Token, masked, tokens
from articles.markup.linear import (
    LINK_PROCESSORS,
    FencedCode,
    LinearInlineProcessor,
    ShallowQuotes,
    linear_block_parser,
)
from articles.markup.marks import MARK, OPEN, has_marks, is_open, mark, mark_braces, number, unmark
from articles.markup.sentences import answer_pieces, joined, needs_its_row, row_sentence


class KeyFactExtension(markdown.Extension):
    """After a conversion: `records` and `shown` say which facts were found and where their
    <mark>s are, `issues` what is wrong, `anchors` the block ids showing each fact."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        self.reset()
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "$"]
        # Notes are text: HTML in them is shown, never obeyed.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_MarkBraces(md, self), "key_fact_marks", 35)
        md.preprocessors.register(_ListsInterruptParagraphs(md), "key_fact_lists", 24)
        md.preprocessors.register(ShallowQuotes(md), "key_fact_quotes", 23)
        if "fenced_code_block" in md.preprocessors:
            md.preprocessors.register(FencedCode(md, {}), "fenced_code_block", 25)
        if "table" in md.parser.blockprocessors:
            table = md.parser.blockprocessors["table"]
            md.parser.blockprocessors.register(_Table(md.parser, table.config, self), "table", 75)
        linear_block_parser(md.parser)
        md.inlinePatterns.register(_CodeSpan(r"\\[\\`]|`+", md), "backtick", 190)
        md.inlinePatterns.register(_Math(r"\\[\\$]|\\[(\[]|\$", md, self), "math", 185)
        for name, processor in LINK_PROCESSORS.items():
            if name in md.inlinePatterns:
                old = md.inlinePatterns[name]
                index = md.inlinePatterns.get_index_for_name(name)
                priority = md.inlinePatterns._priority[index].priority
                md.inlinePatterns.register(processor(old.pattern, md), name, priority)
        md.inlinePatterns.register(_FactPattern(OPEN.pattern, md, self), "key_facts", 105)
        md.treeprocessors.register(LinearInlineProcessor(md, "math", self._read_block), "inline", 20)
        md.treeprocessors.register(_UnmarkCodeBlocks(md), "key_fact_code_blocks", 31)
        md.treeprocessors.register(_CollectFacts(md, self), "key_facts", 15)
        # After toc (5), which gives the headings their ids.
        md.treeprocessors.register(_Anchors(md, self), "key_fact_anchors", 4)

    def reset(self) -> None:
        self.positions = Positions("")
        self.offsets: list[int] = []  # source offset of each mark
        self.records: dict[int, FactRecord] = {}  # by the number of the fact's "{{"
        self.shown: dict[etree.Element, int] = {}  # each fact's <mark> -> its "{{" number
        self.rows: dict[etree.Element, list[str]] = {}  # each table row -> its cells' text
        self.issues: list = []
        self.anchors: dict[int, list[str]] = {}  # "{{" number -> ids of blocks showing it
        self.order: list[FactRecord] = []  # the facts shown, in source order
        self.fact_count = 0  # facts read so far
        self.too_many_reported = False
        self.formulas = self.formula_characters = 0  # formulas converted so far, and their size

    def _read_block(self, data: str, ancestors: list[str]) -> str:
        inline = self.md.treeprocessors["inline"]
        data, records, issues = analyse_block(
            data,
            "td" in ancestors or "th" in ancestors,
            inline.source_of,
            self.offsets,
            self.positions,
            budget=max(0, MAX_FACTS - self.fact_count),
        )
        if self.too_many_reported:  # only the first fact too many is reported
            issues = [issue for issue in issues if issue.message != TOO_MANY_FACTS]
        self.too_many_reported |= any(issue.message == TOO_MANY_FACTS for issue in issues)
        self.fact_count += len(records)
        self.records.update((record.opening, record) for record in records)
        self.issues += issues[: max(0, MAX_ISSUES - len(self.issues))]
        return data


class _MarkBraces(Preprocessor):
    def __init__(self, md, extension: KeyFactExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        marked, self.extension.offsets = mark_braces(source)
        self.extension.positions = Positions(source)
        return marked.split("\n")


_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d+\.) ")


class _ListsInterruptParagraphs(Preprocessor):
    """A list item starts a list even right after a paragraph line, as editors expect (and
    CommonMark says); Python-Markdown wants a blank line first, so it gets one."""

    def run(self, lines: list[str]) -> list[str]:
        result, in_list = [], False
        for line in lines:
            if not line.strip():
                in_list = False
            elif _LIST_ITEM.match(line):
                if result and result[-1].strip() and not in_list and not result[-1].startswith(" "):
                    result.append("")
                in_list = True
            result.append(line)
        return result


class _Cached(InlineProcessor):
    _inline: InlineText | None = None

    def inline(self, data: str) -> InlineText:
        if self._inline is None or self._inline.text is not data:
            self._inline = InlineText(data)
        return self._inline


class _CodeSpan(_Cached):
    def handleMatch(self, m, data):  # noqa: N802
        if m.group()[0] == "\\":  # an escaped backslash or backtick opens nothing
            return None, None, None
        found = self.inline(data).code_at(m.start())
        if found is None:  # a lone run of backticks is literal
            return None, m.start(), m.end()
        end, content = found
        element = etree.Element("code")
        element.text = util.AtomicString(util.code_escape(unmark(content).replace("\n", " ").strip()))
        return element, m.start(), end


# Converting a formula to MathML costs about a millisecond a hundred characters; past this
# many formulas or characters in one note (the demo library's largest has about 30 short ones)
# formulas show as their source.
MAX_FORMULAS, MAX_FORMULA_CHARACTERS = 100, 20_000


class _Math(_Cached):
    def __init__(self, pattern: str, md, extension: KeyFactExtension):
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m, data):  # noqa: N802
        if m.group() in ("\\\\", "\\$"):  # escapes, not math
            return None, None, None
        found = self.inline(data).math_at(m.start())
        if found is None:  # a lone "$$" is two literal dollars, not one opening "$"
            return None, m.start(), m.start() + (2 if data.startswith("$$", m.start()) else 1)
        end, kind, latex = found
        source = unmark(data[m.start() : end])
        extension = self.extension
        extension.formulas += 1
        extension.formula_characters += len(latex)
        if extension.formulas > MAX_FORMULAS or extension.formula_characters > MAX_FORMULA_CHARACTERS:
            html = f"<code>{escape(source)}</code>"
        else:
            html = math_html(unmark(latex), kind == "display_math", source)
        return self.md.htmlStash.store(html), m.start(), end


class _FactPattern(InlineProcessor):
    always_applied = True  # facts are limited on their own (MAX_FACTS)

    def __init__(self, pattern: str, md, extension: KeyFactExtension):
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m, data):  # noqa: N802
        record = self.extension.records.get(number(m.group()))
        if record is None:
            return None, None, None
        close = data.find(mark(record.closing, closing=True), m.end())
        if close == -1:  # cut by a link around it: cannot be shown (_CollectFacts says so)
            return None, None, None
        element = etree.Element("mark", {"class": "fact"})
        element.text = util.AtomicString(self.md.htmlStash.store(answer_html(record.body.answer)))
        self.extension.shown[element] = record.opening
        return element, m.start(), close + 2


class _Table(TableProcessor):
    """Tables whose cells never split inside code, math or a fact, and remember each row's
    cells as written (a row may have more cells than its header)."""

    def __init__(self, parser, config, extension: KeyFactExtension):
        super().__init__(parser, config)
        self.extension = extension

    def _split(self, row: str) -> list[str]:
        blotted = _without_facts(masked(row, tokens(row)))
        cells, position = [], 0
        for pipe in re.finditer(r"\|", blotted):
            cells.append(row[position : pipe.start()])
            position = pipe.end()
        return [*cells, row[position:]]

    def _build_row(self, row, parent, align) -> None:
        super()._build_row(row, parent, align)
        self.extension.rows[parent[-1]] = [cell.strip(" ") for cell in self._split_row(row)]


def _without_facts(text: str) -> str:
    """text with each "{{ ... }}" blotted out."""
    parts, position, opened = [], 0, None
    for found in MARK.finditer(text):
        if is_open(found.group()):
            opened = found.start() if opened is None else opened
        elif opened is not None:
            parts += (text[position:opened], "\0" * (found.end() - opened))
            position, opened = found.end(), None
    return "".join([*parts, text[position:]])


class _UnmarkCodeBlocks(Treeprocessor):
    """Indented code shows its braces; runs before codehilite (30) colours it."""

    def run(self, root) -> None:
        for pre in root.iter("pre"):
            for code in pre.iter("code"):
                if code.text and has_marks(code.text):
                    code.text = util.AtomicString(unmark(code.text))


_ADDRESSES = {"href", "src", "title"}


class _CollectFacts(Treeprocessor):
    """Braces back where no fact is; each fact asked with its row when its cell alone says
    nothing; an error for each fact that cannot be shown; the facts in source order."""

    def __init__(self, md, extension: KeyFactExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        extension, in_addresses, parents = self.extension, set(), {}
        for element in root.iter():
            for child in element:
                parents[child] = element
            for name in ("text", "tail"):
                value = getattr(element, name)
                if value and has_marks(value):
                    kind = util.AtomicString if isinstance(value, util.AtomicString) else str
                    setattr(element, name, kind(unmark(value)))
            for name, value in element.attrib.items():
                if has_marks(value):
                    if name in _ADDRESSES:  # a link's address or title: what looks like a fact is not
                        in_addresses.update(number(m.group()) for m in OPEN.finditer(value))
                    element.set(name, unmark(value))
        shown = set(extension.shown.values())
        for record in extension.records.values():
            if record.opening not in shown and record.opening not in in_addresses:
                extension.issues.append(extension.positions.issue(record.start, MISPLACED_FACT))
        for element, opening in extension.shown.items():
            record = extension.records[opening]
            if record.in_cell and needs_its_row(record.sentence):
                record.sentence = self._row_sentence(element, record, parents)
        extension.order = sorted(
            (extension.records[opening] for opening in shown), key=lambda record: record.start
        )
        ids = {record.opening: n for n, record in enumerate(extension.order, start=1)}
        for element, opening in extension.shown.items():
            element.set("id", f"fact-{ids[opening]}")

    def _row_sentence(self, element, record: FactRecord, parents: dict) -> str:
        row = element
        while row is not None and row.tag != "tr":
            row = parents.get(row)
        if row not in self.extension.rows:
            return record.sentence
        section = parents.get(row)
        table = parents.get(section)
        header = table.find("thead/tr") if section is not None and section.tag == "tbody" else None
        labels = [joined(self._pieces(cell), -1) for cell in self.extension.rows.get(header, [])]
        cells = [self._pieces(cell) for cell in self.extension.rows[row]]
        return row_sentence(cells, labels, record.opening)

    def _pieces(self, cell: str) -> list:
        """A cell as written, in pieces (answer_pieces), its facts keyed by their "{{" number."""
        records, found, keys, bodies = self.extension.records, [], {}, {}
        text, opened = unmark(cell), None
        for match in MARK.finditer(cell):
            mark_number = number(match.group())
            if is_open(match.group()):
                opened = (match.start(), mark_number) if mark_number in records else None
            elif opened is not None and records[opened[1]].closing == mark_number:
                found.append(token := Token(opened[0], match.end(), "fact"))
                keys[token.start] = opened[1]
                bodies[opened[1]] = records[opened[1]].body
                opened = None
        return answer_pieces(text, found, bodies, 0, len(text), key=lambda token: keys[token.start])


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TEXT_BLOCKS = {"p", "li", "tr", "dt", "dd"}


class _Anchors(Treeprocessor):
    """Every text block gets an id ("p-N") for facts to point at."""

    def __init__(self, md, extension: KeyFactExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        count, shown = 0, self.extension.shown
        stack = [(root, "")]  # a loop, not recursion: notes may nest deeply
        while stack:
            element, block = stack.pop()
            if element.tag in _HEADINGS:
                block = element.get("id", block)
            elif element.tag in _TEXT_BLOCKS and not self._holds_only_block_html(element):
                count += 1
                block = f"p-{count}"
                element.set("id", block)
            if element in shown:
                self.extension.anchors.setdefault(shown[element], []).append(block)
            stack.extend((child, block) for child in reversed(element))

    def _holds_only_block_html(self, element) -> bool:
        """A paragraph that only wraps a code block or display math: Markdown unwraps it, so it
        must keep no id."""
        match = util.HTML_PLACEHOLDER_RE.fullmatch((element.text or "").strip())
        if element.tag != "p" or len(element) or not match:
            return False
        stashed = self.md.htmlStash.rawHtmlBlocks[int(match.group(1))]
        tag = re.match(r"<([a-zA-Z][a-zA-Z0-9]*)", str(stashed))
        return bool(tag) and self.md.is_block_level(tag.group(1))
