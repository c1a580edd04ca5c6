"""Python-Markdown's link patterns, kept linear in the size of a note.

Python-Markdown's link parsing scans to the end of the text from every "[" and "("; the
classes here do the same work with the repeated scans answered from one index of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from markdown import inlinepatterns


class _IndexedText:
    """Where each "[" and "(" of one text closes, by plain counting, and where quotes are."""

    def __init__(self, text: str):
        self.text = text
        self.closing: dict[int, int] = {}
        self.closed_brackets: list[int] = []
        opened: dict[str, list[int]] = {"[": [], "(": []}
        for match in re.finditer(r"[\[\]()]", text):
            char = match.group()
            if char in "[(":
                opened[char].append(match.start())
            elif opened["[" if char == "]" else "("]:
                self.closing[opened["[" if char == "]" else "("].pop()] = match.start()
        self.quotes = [m.start() for m in re.finditer(r"['\"]", text)]
        self.closed_brackets = sorted(at for at in self.closing if text[at] == "[")

    def quote_between(self, start: int, end: int) -> bool:
        index = bisect_left(self.quotes, start)
        return index < len(self.quotes) and self.quotes[index] < end


# The texts indexed lately, shared by the link processors: a link's own text is read between
# two searches of the text around it, which must not be indexed again.
_indexed: dict[int, _IndexedText] = {}


def _index(data: str) -> _IndexedText:
    found = _indexed.get(id(data))
    if found is None or found.text is not data:
        if len(_indexed) > 64:
            _indexed.clear()
        found = _indexed[id(data)] = _IndexedText(data)
    return found


class _Openers:
    """A link pattern's search, trying only the "[" that some "]" closes: followed by "(" for
    an inline link or image, and only when the note defines references for a reference."""

    def __init__(self, processor):
        self.regex = processor.compiled_re
        self.inline = not isinstance(processor, inlinepatterns.ReferenceInlineProcessor)
        self.references = processor.md.references

    def search(self, data: str, position: int) -> re.Match | None:
        if not self.inline and not self.references:
            return None
        indexed = _index(data)
        candidates = indexed.closed_brackets
        for index in range(bisect_left(candidates, position), len(candidates)):
            at = candidates[index]
            if self.inline and not self._address_may_follow(indexed, indexed.closing[at] + 1):
                continue
            for start in (at - 1, at):  # images open with "![", links with "["
                if start >= position and (match := self.regex.match(data, start)) and match.end() == at + 1:
                    return match
        return None

    @staticmethod
    def _address_may_follow(indexed: _IndexedText, at: int) -> bool:
        """An address is a "(" that closes, or one a quoted title may close."""
        if not indexed.text.startswith("(", at):
            return False
        return at in indexed.closing or indexed.quote_between(at, len(indexed.text))


class _LinearLinks:
    """getText and getLink of Python-Markdown's link processors, answered from an index."""

    def getCompiledRegExp(self):  # noqa: N802
        return _Openers(self)

    def _index(self, data: str) -> _IndexedText:
        return _index(data)

    def getText(self, data: str, index: int):  # noqa: N802
        close = self._index(data).closing.get(index - 1)
        if close is None:
            return "", len(data), False
        return data[index:close], close + 1, True

    def getLink(self, data: str, index: int):  # noqa: N802
        match = self.RE_LINK.match(data, pos=index)
        if match is None or match.group(1):
            return super().getLink(data, index)
        indexed, start = self._index(data), match.end()
        close = indexed.closing.get(index)
        if indexed.quote_between(start, len(data) if close is None else close):
            return super().getLink(data, index)  # quoted titles: the original's own rules
        if close is None:
            return "", None, index, False
        return self.unescape(data[start:close]).strip(), None, close + 1, True


class LinkProcessor(_LinearLinks, inlinepatterns.LinkInlineProcessor):
    pass


class ImageProcessor(_LinearLinks, inlinepatterns.ImageInlineProcessor):
    pass


class ReferenceProcessor(_LinearLinks, inlinepatterns.ReferenceInlineProcessor):
    pass


class ShortReferenceProcessor(_LinearLinks, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class ImageReferenceProcessor(_LinearLinks, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class ShortImageReferenceProcessor(_LinearLinks, inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


LINK_PROCESSORS = {
    "reference": ReferenceProcessor,
    "link": LinkProcessor,
    "image_link": ImageProcessor,
    "image_reference": ImageReferenceProcessor,
    "short_reference": ShortReferenceProcessor,
    "short_image_ref": ShortImageReferenceProcessor,
}
