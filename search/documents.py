"""What the index holds for one note: its words by weight, and its paragraphs for snippets."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from search.words import index_words

# PostgreSQL refuses a tsvector over 1 MB; no note comes near, and none may break a save.
MAX_INDEXED_CHARS = 300_000

# Blocks the renderer anchors (articles.rendering gives them ids a link can point at).
_ANCHORED = {"p", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
# Tags after which words must not run together ("cell one" + "cell two").
_BREAKS = _ANCHORED | {"td", "th", "br", "pre", "div", "blockquote", "table"}
_VOID = {"br", "hr", "img"}


@dataclass(frozen=True)
class Paragraph:
    anchor: str  # the block's id, "" before the first anchored block
    text: str


@dataclass(frozen=True)
class IndexedText:
    """A note as the index reads it: words separated by spaces, by weight."""

    title: str
    facts: str
    body: str
    paragraphs: tuple[Paragraph, ...]


def indexed_text(title: str, body_html: str, fact_spellings) -> IndexedText:
    """Title, key facts (answers and alternatives) and body as words, plus the paragraphs."""
    paragraphs = paragraphs_of(body_html)
    return IndexedText(
        title=_words(title),
        facts=_words("\n".join(fact_spellings)),
        body=_words("\n".join(paragraph.text for paragraph in paragraphs)),
        paragraphs=paragraphs,
    )


def _words(text: str) -> str:
    return " ".join(index_words(text))[:MAX_INDEXED_CHARS]


def paragraphs_of(body_html: str) -> tuple[Paragraph, ...]:
    """The text of each anchored block of rendered HTML, in order; code and other unanchored
    text belong to the block before them. Math is left out: its MathML reads as noise."""
    reader = _BlockReader()
    reader.feed(body_html)
    reader.close()
    found = []
    for anchor, pieces in reader.blocks.items():
        text = re.sub(r"\s+", " ", "".join(pieces)).strip()
        if text:
            found.append(Paragraph(anchor, text))
    return tuple(found)


class _BlockReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, list[str]] = {}
        self.open: list[tuple[str, str | None]] = []  # (tag, its anchor if it has one)
        self.last_anchor = ""
        self.in_math = 0

    def handle_starttag(self, tag, attrs):
        if tag == "math":
            self.in_math += 1
        if tag in _BREAKS:
            self._add(" ")
        if tag in _VOID:
            return
        anchor = dict(attrs).get("id") if tag in _ANCHORED else None
        if anchor:
            self.last_anchor = anchor
        self.open.append((tag, anchor))

    def handle_endtag(self, tag):
        if tag == "math":
            self.in_math = max(0, self.in_math - 1)
        if tag in _BREAKS:
            self._add(" ")
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self.in_math:
            self._add(data)

    def _add(self, text: str) -> None:
        anchor = next((a for _, a in reversed(self.open) if a), None)
        if anchor is None:
            anchor = self.last_anchor
        self.blocks.setdefault(anchor, []).append(text)
