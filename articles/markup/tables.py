"""Tables: cells never split inside code, math or a fact; each row's cells are kept as written
(a row may have more cells than its header) for the facts asked with their row."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor

from articles.markup.blocks import as_paragraph
from articles.markup.inline import masked, tokens
from articles.markup.marks import MARK, is_open

if TYPE_CHECKING:
    from articles.markup.extension import KeyFactExtension


class Table(TableProcessor):
    """Each row costs a cell for every column of the header: rows past the parser's Budget of
    blocks are shown after the table as one paragraph, as written."""

    def __init__(self, parser, config, extension: KeyFactExtension):
        super().__init__(parser, config)
        self.extension = extension
        self._last_split: tuple = (None, None, [])  # row, border, cells

    def test(self, parent, block: str) -> bool:
        """Python-Markdown's test, reading the first two lines (and, for a table of one
        column, its rows up to the first without a pipe) instead of every line."""
        lines = block.split("\n", 2)
        if len(lines) < 2:
            return False
        header = lines[0].strip(" ")
        self.border = PIPE_NONE
        if header.startswith("|"):
            self.border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header) is not None:
            self.border |= PIPE_RIGHT
        columns = len(self._split_row(header))
        is_table = columns > 1
        if not is_table and columns == 1 and self.border:
            for row in _lines_after_first(block):
                row = row.strip(" ")
                is_table = row.startswith("|") or self.RE_END_BORDER.search(row) is not None
                if not is_table:
                    break
        if is_table:
            separator = self._split_row(lines[1].strip(" "))
            is_table = len(separator) == columns and set("".join(separator)) <= set("|:- ")
            if is_table:
                self.separator = separator
        return is_table

    def run(self, parent, blocks) -> None:
        budget, columns = self.parser.budget, len(self.separator)
        lines = blocks[0].split("\n")
        rows_left = budget.blocks_left() // columns - 1  # the header is a row too
        if rows_left < 0:
            as_paragraph(parent, blocks.pop(0))
            return
        rest = lines[2 + rows_left :]
        if rest:
            blocks[0] = "\n".join(lines[: 2 + rows_left])
        budget.blocks += columns * (1 + min(rows_left, max(1, len(lines) - 2)))
        super().run(parent, blocks)
        as_paragraph(parent, "\n".join(rest))

    def _split_row(self, row: str) -> list[str]:
        last_row, last_border, cells = self._last_split
        if last_row is not row or last_border != self.border:  # a row is split twice: cells, as written
            cells = super()._split_row(row)
            self._last_split = (row, self.border, cells)
        return list(cells)

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


def _lines_after_first(block: str):
    start = block.find("\n") + 1
    while start:
        end = block.find("\n", start)
        yield block[start:] if end == -1 else block[start:end]
        start = end + 1


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
