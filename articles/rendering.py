"""Render an article's Markdown to safe HTML, with its key facts highlighted and anchored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3

from articles.markup import (
    BLANK,
    MISPLACED_FACT,
    Fact,
    KeyFactExtension,
    markdown_with,
    read,
)
from articles.markup.answers import answer_html, escape

__all__ = [
    "MISPLACED_FACT",
    "KeyFactExtension",
    "RenderedArticle",
    "render_answer",
    "render_article",
    "render_sentence",
    "sentence_html",
    "sanitise",
]


@dataclass(frozen=True)
class RenderedArticle:
    html: str  # sanitised
    facts: tuple[Fact, ...]  # as scan() finds them, each with its anchor


def render_article(source: str) -> RenderedArticle:
    """The article as safe HTML and its facts, each anchored to the block that shows it."""
    document = read(source)
    return RenderedArticle(html=sanitise(document.html), facts=document.facts)


def render_sentence(sentence: str, blank_html: str, *, rendered: str = "") -> str:
    """Inline HTML of a Fact.sentence, its BLANK replaced by blank_html (trusted HTML).

    `rendered` is the sentence's sentence_html() when it was stored with the fact: then no
    Markdown runs at all.
    """
    return (rendered or sentence_html(sentence)).replace(BLANK, blank_html)


# Both are pure functions of their text. A fact stores its sentence's HTML when it is saved;
# answers and options are rendered on the pages that show them, the same few over and over: a
# bounded memo per process saves a Markdown run and a sanitiser pass. A sentence is kept with
# its BLANK in it, so its question and its feedback share one render.
@lru_cache(maxsize=4096)
def sentence_html(sentence: str) -> str:
    """A sentence's inline HTML, sanitised, with its BLANK still in it."""
    extension = KeyFactExtension()
    body = markdown_with(extension).convert(_as_one_paragraph(sentence))
    if extension.issues:  # not a sentence scan() made; show it as it is
        body = escape(sentence)
    paragraph = re.fullmatch(r"<p[^>]*>(.*)</p>", body.strip(), re.DOTALL)
    safe = sanitise(paragraph.group(1) if paragraph else body)
    # A blank inside a tag (an image description) can only be text.
    return re.sub(r"<[^>]*>", lambda tag: tag.group(0).replace(BLANK, "…"), safe)


@lru_cache(maxsize=4096)
def render_answer(answer: str) -> str:
    """Inline HTML of an answer or option: `code` as <code>, $math$ as MathML, else text."""
    return sanitise(answer_html(answer))


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


# Built once: nh3.clean() builds its sanitiser from these sets on every call, which cost a
# hundred times the cleaning of a sentence.
_CLEANER = nh3.Cleaner(
    tags=_TEXT_TAGS | _MATHML_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},  # relative addresses pass as well
)


def sanitise(html_text: str) -> str:
    """Only harmless markup survives: no script, no event handler, no javascript: address."""
    return _CLEANER.clean(html_text)


# --- sentences -------------------------------------------------------------------------------

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
