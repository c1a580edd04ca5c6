"""After the inline pass: braces back where no fact is, each fact asked with its row when its
cell alone says nothing, the facts in source order, and an id on every block for facts to
point at."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown import util
from markdown.treeprocessors import Treeprocessor

from articles.markup.errors import MISPLACED_FACT
from articles.markup.facts import FactRecord
from articles.markup.inline import Token
from articles.markup.marks import MARK, OPEN, has_marks, is_open, number, unmark
from articles.markup.sentences import answer_pieces, joined, needs_its_row, row_sentence

if TYPE_CHECKING:
    from articles.markup.extension import KeyFactExtension


class UnmarkCodeBlocks(Treeprocessor):
    """Indented code shows its braces; runs before codehilite (30) colours it."""

    def run(self, root) -> None:
        for pre in root.iter("pre"):
            for code in pre.iter("code"):
                if code.text and has_marks(code.text):
                    code.text = util.AtomicString(unmark(code.text))


_ADDRESSES = {"href", "src", "title"}


class CollectFacts(Treeprocessor):
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


class Anchors(Treeprocessor):
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
