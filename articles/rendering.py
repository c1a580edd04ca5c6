"""Render an article's Markdown to safe HTML, with its key facts highlighted and anchored."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import markdown
import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from articles.markup import (
    BLANK,
    Analysis,
    Fact,
    MarkupError,
    MarkupIssue,
    Span,
    analyse,
    gettext_noop,
    split_inline,
)

MISPLACED_FACT = gettext_noop(
    "a key fact cannot be shown here (it is inside a link address or an image)"
)


@dataclass(frozen=True)
class RenderedArticle:
    html: str  # sanitised
    facts: tuple[Fact, ...]  # as scan() finds them, each with its anchor


def render_article(source: str) -> RenderedArticle:
    """The article as safe HTML and its facts, each anchored to the block that shows it."""
    # Markdown deletes these two characters (its placeholders are made of them); a stand-in of
    # the same length keeps the text Markdown scans the same as the text we scan.
    text = source.replace("\x02", "\ufffd").replace("\x03", "\ufffd")
    extension = KeyFactExtension()
    md = _markdown(extension)
    normalised = "\n".join(NormalizeWhitespace(md).run(text.split("\n")))
    if normalised == source + "\n\n":
        # Usually Markdown's whitespace rules change nothing but the end, so one scan serves
        # both the facts (whose offsets must be the source's) and the preprocessor.
        analysis = analyse(normalised)
        extension.known_analysis = (normalised, analysis)
    else:
        analysis = analyse(source)
    if analysis.issues:
        raise MarkupError(analysis.issues)
    facts = analysis.facts
    body = md.convert(text)
    if len(extension.facts) != len(facts):
        raise RuntimeError(f"scanned {len(facts)} facts but rendered {len(extension.facts)}")
    misplaced = [
        MarkupIssue(fact.line, fact.column, MISPLACED_FACT)
        for number, fact in enumerate(facts)
        if number in extension.misplaced or len(extension.anchors.get(number, ())) != 1
    ]
    if misplaced:
        raise MarkupError(misplaced)
    anchored = (replace(fact, anchor=extension.anchors[n][0]) for n, fact in enumerate(facts))
    return RenderedArticle(html=sanitise(body), facts=tuple(anchored))


# Both are pure functions of their text, called on every quiz page for the same few answers
# and sentences: a bounded memo per process saves a Markdown run and a sanitiser pass.
@lru_cache(maxsize=4096)
def render_sentence(sentence: str, blank_html: str) -> str:
    """Inline HTML of a Fact.sentence, its BLANK replaced by blank_html (trusted HTML)."""
    try:
        body = _markdown(KeyFactExtension()).convert(_as_one_paragraph(sentence))
    except MarkupError:  # not a sentence scan() made; show it as it is
        body = _escape(sentence)
    paragraph = re.fullmatch(r"<p[^>]*>(.*)</p>", body.strip(), re.DOTALL)
    safe = sanitise(paragraph.group(1) if paragraph else body)
    # A blank inside a tag (an image description) can only be text.
    safe = re.sub(r"<[^>]*>", lambda tag: tag.group(0).replace(BLANK, "…"), safe)
    return safe.replace(BLANK, blank_html)


@lru_cache(maxsize=4096)
def render_answer(answer: str) -> str:
    """Inline HTML of an answer or option: `code` as <code>, $math$ as MathML, else text."""
    return sanitise(_answer_html(answer))


# --- sanitising ------------------------------------------------------------------------------

# fmt: off
_TEXT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}
# What latex2mathml emits (checked against its source), and nothing that can link or style.
_MATHML_TAGS = {
    "math", "menclose", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover", "mpadded",
    "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub",
    "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none",
    "semantics", "annotation",
}
_MATHML_ATTRIBUTES = {
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "depth", "display",
    "displaystyle", "fence", "form", "height", "largeop", "linebreak", "linethickness", "lspace",
    "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize",
    "movablelimits", "notation", "rowlines", "rowspacing", "rspace", "scriptlevel", "separator",
    "stretchy", "symmetric", "voffset", "width",
}
# fmt: on
_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "div": {"class"},
    "mark": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML_TAGS},
}


def sanitise(html_text: str) -> str:
    """Only harmless markup survives: no script, no event handler, no javascript: address."""
    return nh3.clean(
        html_text,
        tags=_TEXT_TAGS | _MATHML_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},  # relative addresses pass as well
    )


# --- the Markdown extension ------------------------------------------------------------------


class KeyFactExtension(markdown.Extension):
    """Key facts become <mark>s and math becomes MathML before Markdown sees either; raw HTML
    is escaped; every text block gets an id ("p-N") for facts to point at."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        self.reset()
        # Notes are text: HTML in them is shown, never obeyed.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After normalize_whitespace (30), before fenced_code_block (25) sees the fences.
        md.preprocessors.register(_KeyFactPreprocessor(md, self), "key_facts", 27)
        # After toc (5), which gives the headings their ids.
        md.treeprocessors.register(_AnchorTreeprocessor(md, self), "key_fact_anchors", 4)

    def reset(self) -> None:
        self.facts: list[Fact] = []  # as found in the text Markdown was given
        self.fact_by_stash: dict[int, int] = {}  # htmlStash index -> fact number (0-based)
        self.source_by_stash: dict[int, str] = {}  # htmlStash index -> the source it replaced
        self.anchors: dict[int, list[str]] = {}  # fact number -> ids of blocks showing it
        self.misplaced: set[int] = set()  # fact numbers that ended up inside an attribute
        self.known_analysis: tuple[str, Analysis | None] = ("", None)  # (text, its analysis)


class _KeyFactPreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, extension: KeyFactExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        known_text, analysis = self.extension.known_analysis
        if analysis is None or text != known_text:
            analysis = analyse(text)
        if analysis.issues:
            raise MarkupError(analysis.issues)
        parts, position = [], 0
        for span in analysis.spans:
            parts.append(text[position : span.start])
            parts.append(self._replacement(span, text[span.start : span.end]))
            position = span.end
        parts.append(text[position:])
        return "".join(parts).split("\n")

    def _replacement(self, span: Span, source: str) -> str:
        if span.kind == "markdown":
            return span.text
        if span.kind == "fact":
            number = len(self.extension.facts)
            self.extension.facts.append(span.fact)
            html_text = f'<mark class="fact" id="fact-{number + 1}">{_answer_html(span.fact.answer)}</mark>'
        elif span.kind == "code":
            code = span.text.replace("\n", " ").strip()
            html_text = f"<code>{_escape(code)}</code>"
        else:
            html_text = _math_html(span.text, span.kind == "display_math", source)
        # The stash is how fenced_code keeps Markdown away from its blocks; ours too.
        placeholder = self.md.htmlStash.store(html_text)
        index = self.md.htmlStash.html_counter - 1
        self.extension.source_by_stash[index] = source
        if span.kind == "fact":
            self.extension.fact_by_stash[index] = number
        return placeholder


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TEXT_BLOCKS = {"p", "li", "tr", "dt", "dd"}


class _AnchorTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, extension: KeyFactExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        count = 0
        stack = [(root, "")]  # a loop, not recursion: notes may nest deeply
        while stack:
            element, block = stack.pop()
            if element.tag in _HEADINGS:
                block = element.get("id", block)
            elif element.tag in _TEXT_BLOCKS and not self._holds_only_block_html(element):
                count += 1
                block = f"p-{count}"
                element.set("id", block)
            self._take_out_of_attributes(element)
            self._record(element.text, block)
            for child in element:
                self._record(child.tail, block)
            stack.extend((child, block) for child in reversed(element))

    def _record(self, text: str | None, block: str) -> None:
        for match in HTML_PLACEHOLDER_RE.finditer(text or ""):
            for number in self._facts_in(int(match.group(1))):
                self.extension.anchors.setdefault(number, []).append(block)

    def _facts_in(self, index: int) -> list[int]:
        """Facts shown by a stashed piece of HTML, including any nested in it (a code block)."""
        if index in self.extension.fact_by_stash:
            return [self.extension.fact_by_stash[index]]
        stashed = self.md.htmlStash.rawHtmlBlocks
        if index >= len(stashed) or not isinstance(stashed[index], str):
            return []
        return [
            n for m in HTML_PLACEHOLDER_RE.finditer(stashed[index]) for n in self._facts_in(int(m.group(1)))
        ]

    def _take_out_of_attributes(self, element) -> None:
        """A placeholder in an attribute (a link address, an image description) would break the
        HTML; put back the source it stood for, and note the facts that cannot be shown."""

        def source(match: re.Match) -> str:
            index = int(match.group(1))
            self.extension.misplaced.update(self._facts_in(index))
            return self.extension.source_by_stash.get(index, "")

        for name, value in element.attrib.items():
            if "\x02" in value:
                element.set(name, HTML_PLACEHOLDER_RE.sub(source, value))

    def _holds_only_block_html(self, element) -> bool:
        """A paragraph that only wraps a code block or display math: Markdown unwraps it, so it
        must keep no id."""
        match = HTML_PLACEHOLDER_RE.fullmatch((element.text or "").strip())
        if element.tag != "p" or len(element) or not match:
            return False
        index = int(match.group(1))
        stashed = self.md.htmlStash.rawHtmlBlocks[index]
        tag = re.match(r"<([a-zA-Z][a-zA-Z0-9]*)", str(stashed))
        return (
            index not in self.extension.fact_by_stash and bool(tag) and self.md.is_block_level(tag.group(1))
        )


# --- helpers ---------------------------------------------------------------------------------


def _markdown(extension: KeyFactExtension) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            CodeHiliteExtension(css_class="codehilite", guess_lang=False),
            TableExtension(use_align_attribute=True),  # align="", as CSP forbids style=""
            TocExtension(slugify=_heading_slug, marker=""),
            "sane_lists",
            extension,
        ]
    )


def _heading_slug(value: str, separator: str) -> str:
    """Heading ids that keep Chinese, and never clash with the ids of paragraphs and facts."""
    slug = slugify_unicode(value, separator)
    return f"{slug}{separator}h" if re.fullmatch(r"(?:p|fact)-\d+", slug) else slug


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _math_html(latex: str, display: bool, source: str) -> str:
    try:
        return latex_to_mathml(latex, display="block" if display else "inline")
    except Exception:  # a third-party parser fed by editors: any failure shows the source
        return f'<code class="math-error">{_escape(source)}</code>'


def _answer_html(answer: str) -> str:
    parts = []
    for kind, content, source in split_inline(answer):
        if kind == "text":
            parts.append(_escape(content))
        elif kind == "code":
            parts.append(f"<code>{_escape(content.strip())}</code>")
        else:  # math, inline even when written as display math: it sits inside a sentence
            parts.append(_math_html(content, False, source))
    return "".join(parts)


_LIST_OR_QUOTE_START = re.compile(r"[#>]|[-+*] ")
_NUMBERED_ITEM_START = re.compile(r"(\d+)\.(?= |$)")


def _as_one_paragraph(sentence: str) -> str:
    """The sentence on one line, escaped where Markdown would read it as a block marker."""
    text = " ".join(sentence.split("\n")).strip()
    if _LIST_OR_QUOTE_START.match(text):
        return "\\" + text
    if numbered := _NUMBERED_ITEM_START.match(text):
        return f"{numbered.group(1)}\\{text[numbered.end(1) :]}"
    return text
