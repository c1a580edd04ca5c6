"""Python-Markdown's inline pass, kept linear in the size of a note.

Python-Markdown's inline treeprocessor rebuilds the whole text after every match and pops its
work list from the front, which is quadratic on hostile text (20 KB of brackets took tens of
seconds). The class here does the same work in one pass over each text per pattern.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque

from markdown import util
from markdown.treeprocessors import InlineProcessor

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
