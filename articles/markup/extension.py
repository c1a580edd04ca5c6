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
from markdown.preprocessors import Preprocessor

from articles.markup.blocks import Setext, ShallowQuotes, bounded_block_parser, bounded_list
from articles.markup.errors import MAX_FACTS, MAX_ISSUES, TOO_MANY_FACTS, Positions
from articles.markup.facts import FactRecord, analyse_block
from articles.markup.fences import FencedCode
from articles.markup.linear import LinearInlineProcessor
from articles.markup.links import LINK_PROCESSORS
from articles.markup.marks import OPEN, mark_braces
from articles.markup.patterns import CodeSpan, FactPattern, Math
from articles.markup.placement import Anchors, CollectFacts, UnmarkCodeBlocks
from articles.markup.tables import Table


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
            md.parser.blockprocessors.register(Table(md.parser, table.config, self), "table", 75)
        md.parser.blockprocessors.register(Setext(md.parser), "setextheader", 60)
        for name, priority in (("olist", 40), ("ulist", 30)):
            processors = md.parser.blockprocessors
            processors.register(bounded_list(processors[name]), name, priority)
        bounded_block_parser(md.parser)
        md.inlinePatterns.register(CodeSpan(r"\\[\\`]|`+", md), "backtick", 190)
        md.inlinePatterns.register(Math(r"\\[\\$]|\\[(\[]|\$", md, self), "math", 185)
        for name, processor in LINK_PROCESSORS.items():
            if name in md.inlinePatterns:
                old = md.inlinePatterns[name]
                index = md.inlinePatterns.get_index_for_name(name)
                priority = md.inlinePatterns._priority[index].priority
                md.inlinePatterns.register(processor(old.pattern, md), name, priority)
        md.inlinePatterns.register(FactPattern(OPEN.pattern, md, self), "key_facts", 105)
        md.treeprocessors.register(LinearInlineProcessor(md, "math", self._read_block), "inline", 20)
        md.treeprocessors.register(UnmarkCodeBlocks(md), "key_fact_code_blocks", 31)
        md.treeprocessors.register(CollectFacts(md, self), "key_facts", 15)
        # After toc (5), which gives the headings their ids.
        md.treeprocessors.register(Anchors(md, self), "key_fact_anchors", 4)

    def reset(self) -> None:
        if budget := getattr(self.md.parser, "budget", None):
            budget.restart()
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
