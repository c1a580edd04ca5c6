"""Python-Markdown's block parser, kept linear in the size of a note.

Its processors take blocks from the front of a list and put back what they did not read: a
heading, rule or code block in the middle of a run of lines sends the rest of the run round
every processor again, each searching it to its end; a list item holding a list parses it one
Python call deeper. Limits no real note reaches keep that bounded: past them the rest is read
as one paragraph, so its text and facts are still shown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque
from dataclasses import dataclass

from markdown.blockprocessors import SetextHeaderProcessor
from markdown.preprocessors import Preprocessor

# The demo library's notes take at most a few hundred blocks (paragraphs, list items, headings,
# table cells) and nest six deep; each block costs tens of microseconds.
MAX_BLOCKS = 10_000
MAX_DEPTH = 32
# Characters put back to be read again, in all (about twenty times the longest note).
MAX_REREAD = 4_000_000


@dataclass
class Budget:
    """What one conversion has spent so far."""

    blocks: int = 0
    reread: int = 0
    depth: int = 0

    def restart(self) -> None:
        self.blocks = self.reread = self.depth = 0

    def blocks_left(self) -> int:
        return max(0, MAX_BLOCKS - self.blocks)


class Blocks(deque):
    """The block parser's work list: its processors take blocks from the front (pop(0),
    insert(0, ...)), which a list does in time proportional to what is left."""

    def pop(self, index: int = -1):
        if index == 0:
            return self.popleft()
        if index == -1:
            return super().pop()
        value = self[index]
        del self[index]
        return value

    def insert(self, index: int, value) -> None:
        if index == 0:
            self.appendleft(value)
        else:
            super().insert(index, value)


def as_paragraph(parent: etree.Element, text: str) -> None:
    """text shown as one paragraph, as written."""
    if text.strip():
        etree.SubElement(parent, "p").text = text.strip()


def bounded_block_parser(parser) -> None:
    """Make a Markdown instance's block parser read blocks from a Blocks list, within its
    Budget (parser.budget)."""
    budget = parser.budget = Budget()
    processors = parser.blockprocessors

    def rest_as_paragraph(parent, blocks) -> None:
        as_paragraph(parent, "\n\n".join(blocks))
        blocks.clear()

    def parse_blocks(parent: etree.Element, blocks) -> None:
        if budget.depth >= MAX_DEPTH:
            rest_as_paragraph(parent, blocks)
            return
        budget.depth += 1
        try:
            while blocks:
                if budget.blocks >= MAX_BLOCKS:
                    rest_as_paragraph(parent, blocks)
                    break
                budget.blocks += 1
                waiting = len(blocks)
                for processor in processors:
                    if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                        break
                if blocks and len(blocks) >= waiting:  # what a processor did not read went back
                    budget.reread += len(blocks[0])
                    if budget.reread > MAX_REREAD:
                        as_paragraph(parent, blocks.pop(0))
        finally:
            budget.depth -= 1

    parser.parseBlocks = parse_blocks
    parser.parseChunk = lambda parent, text: parse_blocks(parent, Blocks(text.split("\n\n")))


class _BoundedItems:
    """A list's items past the parser's Budget of blocks are shown after it as one paragraph,
    as written."""

    def run(self, parent, blocks) -> None:
        lines = blocks[0].split("\n")
        starts = [index for index, line in enumerate(lines) if self.CHILD_RE.match(line)]
        allowed = max(1, self.parser.budget.blocks_left())
        if len(starts) <= allowed:
            super().run(parent, blocks)
            return
        blocks[0] = "\n".join(lines[: starts[allowed]])
        super().run(parent, blocks)
        as_paragraph(parent, "\n".join(lines[starts[allowed] :]))


def bounded_list(processor):
    """The list processor, of the same class, with its items counted against the Budget."""
    bounded = type(f"Bounded{type(processor).__name__}", (_BoundedItems, type(processor)), {})
    return bounded(processor.parser)


class Setext(SetextHeaderProcessor):
    """A heading underlined with "=" or "-": reads its two lines, not the whole block."""

    def run(self, parent, blocks) -> None:
        lines = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


# Python-Markdown reads each level of a quote again: past this depth ">" is shown as written.
MAX_QUOTE_DEPTH = 16
_DEEP_QUOTE = re.compile(f"((?: {{0,3}}> ?){{{MAX_QUOTE_DEPTH}}})( {{0,3}})>")


class ShallowQuotes(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return [_DEEP_QUOTE.sub(r"\1\2\\>", line, count=1) if ">" in line else line for line in lines]
