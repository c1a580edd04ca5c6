"""The inline patterns the markup adds: code spans and math, decided before anything else, and
the <mark> that shows a fact where its block put it."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

from markdown import util
from markdown.inlinepatterns import InlineProcessor

from articles.markup.answers import answer_html, escape, math_html
from articles.markup.inline import InlineText
from articles.markup.marks import mark, number, unmark

if TYPE_CHECKING:
    from articles.markup.extension import KeyFactExtension


class _Cached(InlineProcessor):
    _inline: InlineText | None = None

    def inline(self, data: str) -> InlineText:
        if self._inline is None or self._inline.text is not data:
            self._inline = InlineText(data)
        return self._inline


class CodeSpan(_Cached):
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


class Math(_Cached):
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


class FactPattern(InlineProcessor):
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
