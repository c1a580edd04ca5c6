"""Python-Markdown, kept linear in the size of a note.

Some of Python-Markdown's own machinery is quadratic on hostile text (20 KB of brackets took
tens of seconds): the inline treeprocessor rebuilds the whole text after every match and pops
its work list from the front; link parsing scans to the end of the text from every "[" and
"("; fenced code is searched for again from the start after every block. Each class here
does the same work as the one it replaces, with the repeated scans answered from indexes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from bisect import bisect_left
from collections import deque

from markdown import inlinepatterns, util
from markdown.extensions.codehilite import CodeHilite, CodeHiliteExtension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor

from articles.markup.marks import unmark

# Each inline element costs Python-Markdown tens of microseconds; past this many in one note
# (the demo library's largest has a few hundred) the rest of its text is shown as written.
# Patterns marked `always_applied` (key facts, which are limited on their own) are exempt.
MAX_INLINE_ELEMENTS = 5_000
_PLACEHOLDER = re.compile(util.INLINE_PLACEHOLDER_PREFIX + r"([0-9]+)" + util.ETX)


class LinearInlineProcessor(InlineProcessor):
    """Applies each inline pattern in one pass over a text; remembers the source every
    placeholder stands for; calls `after_hook(text, ancestors)` on each block's text once the
    pattern named `hook_after` has run over it."""

    def __init__(self, md, hook_after: str, after_hook):
        super().__init__(md)
        self.hook_after = hook_after
        self.after_hook = after_hook
        self.sources: dict[str, str] = {}  # placeholder -> the text it replaced
        self._patterns = None  # the registry's patterns in order, read once

    def source_of(self, text: str) -> str:
        """text with each placeholder replaced by what it stands for."""
        return _PLACEHOLDER.sub(lambda m: self.sources.get(m.group(0), m.group(0)), text)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if isinstance(data, util.AtomicString) or util.HTML_PLACEHOLDER_RE.fullmatch(data):
            return data  # a stashed block (code, display math) holds nothing inline
        if self._patterns is None:
            self._patterns = list(self.inlinePatterns)
            self._hook_index = self.inlinePatterns.get_index_for_name(self.hook_after)
        patterns = self._patterns
        hook_index = self._hook_index if patternIndex == 0 else -1
        for index in range(patternIndex, len(patterns)):
            data = self._apply(patterns[index], data, index)
            if index == hook_index:
                data = self.after_hook(data, self.ancestors)
        return data

    def _apply(self, pattern, data: str, index: int) -> str:
        for exclude in pattern.ANCESTOR_EXCLUDES:
            if exclude.lower() in self.ancestors:
                return data
        limited = not getattr(pattern, "always_applied", False)
        if limited and len(self.stashed_nodes) >= MAX_INLINE_ELEMENTS:
            return data
        regex = pattern.getCompiledRegExp()
        pieces, position, search_from = [], 0, 0
        while match := regex.search(data, search_from):
            if limited and len(self.stashed_nodes) >= MAX_INLINE_ELEMENTS:
                break
            node, start, end = pattern.handleMatch(match, data)
            if start is None or end is None or node is None or end <= start or start < position:
                # No element, or one that would take back text already read (a quoted link
                # title can send Python-Markdown's link parser backwards): read on.
                search_from = max(match.end(0) if end is None else end, match.start(0) + 1)
                continue
            if not isinstance(node, str) and not isinstance(node.text, util.AtomicString):
                for child in [node, *node]:
                    if child.text:
                        self.ancestors.append(child.tag.lower())
                        child.text = self._InlineProcessor__handleInline(child.text, index + 1)
                        self.ancestors.pop()
                    if child.tail:
                        child.tail = self._InlineProcessor__handleInline(child.tail, index)
            placeholder = self._InlineProcessor__stashNode(node, pattern.type())
            self.sources[placeholder] = self.source_of(data[start:end])
            pieces += (data[position:start], placeholder)
            position = search_from = end
        if not pieces:
            return data
        pieces.append(data[position:])
        return "".join(pieces)

    def _InlineProcessor__processPlaceholders(self, data, parent, isText=True):  # noqa: N802, N803
        """The base class's, gathering text in a list: it appended to a string each time."""
        result, pending, start = [], [], 0
        prefix = util.INLINE_PLACEHOLDER_PREFIX

        def attach() -> None:
            if not pending:
                return
            text = "".join(pending)
            if isinstance(data, util.AtomicString):
                text = util.AtomicString(text)
            pending.clear()
            if result:
                result[-1][0].tail = (result[-1][0].tail or "") + text
            elif not isText:
                parent.tail = (parent.tail or "") + text
            else:
                parent.text = (parent.text or "") + text

        while data and start < len(data):
            index = data.find(prefix, start)
            if index == -1:
                pending.append(data[start:])
                break
            key, end = self._InlineProcessor__findPlaceholder(data, index)
            if key not in self.stashed_nodes:  # not a placeholder after all
                end = index + len(prefix)
                pending.append(data[start:end])
                start = end
                continue
            node = self.stashed_nodes[key]
            pending.append(data[start:index])
            if isinstance(node, str):
                pending.append(node)
            else:
                for child in [node, *node]:
                    if child.tail and child.tail.strip():
                        self._InlineProcessor__processElementText(node, child, False)
                    if child.text and child.text.strip():
                        self._InlineProcessor__processElementText(child, child)
                attach()
                result.append((node, self.ancestors[:]))
            start = end
        attach()
        return result

    def run(self, tree, ancestors=None):
        """The base class's traversal, with a deque: it popped its list from the front."""
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            for child in current:
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text, child.text = child.text, None
                    found = self._InlineProcessor__processPlaceholders(
                        self._InlineProcessor__handleInline(text), child
                    )
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = self._InlineProcessor__handleInline(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    tail_found = self._InlineProcessor__processPlaceholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    at = list(current).index(child) + 1
                    for new_child in reversed(tail_found):
                        self.parent_map[new_child[0]] = current
                        current.insert(at, new_child[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            for element, found in insert_queue:
                for i, item in enumerate(found):
                    element.insert(i, item[0])
        return tree


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


def linear_block_parser(parser) -> None:
    """Make a Markdown instance's block parser read its blocks from a Blocks list."""
    parser.parseChunk = lambda parent, text: parser.parseBlocks(parent, Blocks(text.split("\n\n")))


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

# Python-Markdown reads each level of a quote again: past this depth ">" is shown as written.
MAX_QUOTE_DEPTH = 16
_DEEP_QUOTE = re.compile(f"((?: {{0,3}}> ?){{{MAX_QUOTE_DEPTH}}})( {{0,3}})>")


class ShallowQuotes(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return [_DEEP_QUOTE.sub(r"\1\2\\>", line, count=1) if ">" in line else line for line in lines]


_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,}) *")
_FENCE_LANGUAGE = re.compile(r"\s*\{?\s*\.?([\w#+-][\w#+.-]*)")


# Highlighting costs about a millisecond a block; past this many in one note (the demo
# library's largest has 4) blocks are shown without colours.
MAX_HIGHLIGHTED = 30


class FencedCode(FencedBlockPreprocessor):
    """Fenced code blocks read line by line, as CommonMark reads them: an opening fence may be
    indented up to three spaces, a longer fence closes, and an unclosed block runs to the end."""

    def run(self, lines: list[str]) -> list[str]:
        if not self.checked_for_deps:
            for extension in self.md.registeredExtensions:
                if isinstance(extension, CodeHiliteExtension):
                    self.codehilite_conf = extension.getConfigs()
            self.checked_for_deps = True
        result, index, blocks = [], 0, 0
        while index < len(lines):
            opening = _FENCE.fullmatch(lines[index])
            if not opening or (opening.group(2)[0] == "`" and "`" in opening.group(3)):
                result.append(lines[index])
                index += 1
                continue
            indent, fence, info = opening.groups()
            code, index = [], index + 1
            while index < len(lines):
                closing = _CLOSING_FENCE.fullmatch(lines[index])
                if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                    break
                line = lines[index]
                code.append(line[min(len(indent), len(line) - len(line.lstrip(" "))) :])
                index += 1
            index += 1
            language = _FENCE_LANGUAGE.match(info)
            blocks += 1
            html = self._html(
                unmark("".join(f"{line}\n" for line in code)),
                language and language.group(1),
                highlight=blocks <= MAX_HIGHLIGHTED,
            )
            result += ["", self.md.htmlStash.store(html), ""]
        return result

    def _html(self, code: str, language: str | None, highlight: bool) -> str:
        if highlight and self.codehilite_conf and self.codehilite_conf["use_pygments"]:
            config = self.codehilite_conf.copy()
            style = config.pop("pygments_style", "default")
            return CodeHilite(code, lang=language, style=style, **config).hilite(shebang=False)
        language_class = f' class="language-{language}"' if language else ""
        return f"<pre><code{language_class}>{self._escape(code)}</code></pre>"
