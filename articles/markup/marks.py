"""Marks that carry each "{{" and "}}" of a source through Markdown with its offset.

Before Markdown reads a note, every unescaped "{{" and "}}" is replaced by two private-use
characters that encode its number; `offsets[number]` is where it stood in the source. Markdown
moves text around (block markers go, tabs expand, lines join) but never changes the order or
these characters, so a fact found anywhere in its tree knows its exact source position, and an
error is located by looking the number up: no second reading of the source is needed. Any mark
that is not part of a fact (in code, math, an address) is turned back into braces.
"""

from __future__ import annotations

import re

# Each brace pair becomes (high, low), 15 bits of its number in each; which half of its plane
# a character is in tells "{{" from "}}", so that each character alone still names its brace.
_OPEN_HIGH, _CLOSE_HIGH, _OPEN_LOW, _CLOSE_LOW = 0xF0000, 0xF8000, 0x100000, 0x108000
_BITS = 15
# A backslash only matters here before a brace or another backslash.
_BRACES = re.compile(r"(\\[\\{}]|\{\{|\}\})")
MARK = re.compile("[\U000f0000-\U000fffff][\U00100000-\U0010ffff]")
CLOSE = re.compile("[\U000f8000-\U000fffff][\U00108000-\U0010ffff]")
OPEN = re.compile("[\U000f0000-\U000f7fff][\U00100000-\U00107fff]")
_ANY_MARK_CHAR = re.compile("[\U000f0000-\U0010ffff]")


def mark(number: int, closing: bool) -> str:
    high, low = divmod(number, 1 << _BITS)
    if closing:
        return chr(_CLOSE_HIGH + high) + chr(_CLOSE_LOW + low)
    return chr(_OPEN_HIGH + high) + chr(_OPEN_LOW + low)


def mark_braces(source: str) -> tuple[str, list[int]]:
    """The source with each unescaped "{{" and "}}" replaced by a mark of the same length,
    and the source offset of each mark, by number."""
    # Characters of these planes in the note itself would pass for marks: they become U+FFFD.
    pieces = _BRACES.split(_ANY_MARK_CHAR.sub("\ufffd", source))  # text, braces, text, ...
    offsets: list[int] = []
    position = 0
    for index in range(1, len(pieces), 2):
        position += len(pieces[index - 1])
        if pieces[index][0] != "\\":  # an escaped brace or backslash stays as written
            pieces[index] = mark(len(offsets), pieces[index] == "}}")
            offsets.append(position)
        position += 2
    return "".join(pieces), offsets


def number(mark: str) -> int:
    high, low = ord(mark[0]), ord(mark[1])
    return ((high - _OPEN_HIGH) % (1 << _BITS)) << _BITS | (low - _OPEN_LOW) % (1 << _BITS)


def is_open(mark: str) -> bool:
    return ord(mark[0]) < _CLOSE_HIGH


_OPEN_CHARS = re.compile("[\U000f0000-\U000f7fff\U00100000-\U00107fff]")
_CLOSE_CHARS = re.compile("[\U000f8000-\U000fffff\U00108000-\U0010ffff]")


def unmark(text: str) -> str:
    """The text with every mark turned back into the braces it stood for (each character of
    a mark becomes one brace, so that a mark split by a highlighter still reads right)."""
    if not _ANY_MARK_CHAR.search(text):
        return text
    return _CLOSE_CHARS.sub("}", _OPEN_CHARS.sub("{", text))


def has_marks(text: str) -> bool:
    return bool(_ANY_MARK_CHAR.search(text))
