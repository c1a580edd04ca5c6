"""Key-fact markup: find the {{answer|alternative ~wrong::hint}} facts in an article's Markdown.

Markdown's own parser reads a note once (extension.py); what it decides is code, math or a
link address is never a fact. Modules: errors (messages and positions), marks (how a brace
keeps its source offset through Markdown), inline (code, math and escapes), bodies (the text
between the braces), sentences, facts (one block's facts), answers (answers as HTML); the
Markdown extension (extension) and its parts: blocks (the block parser, within limits), fences,
tables, linear (the inline pass in one sweep), links, patterns (code, math and fact marks),
placement (facts in order, with their anchors); document (read a note: HTML and facts).
"""

from articles.markup.bodies import FactBody, parse_fact_body
from articles.markup.document import Document, markdown_with, read, scan
from articles.markup.errors import (
    EMPTY_ALTERNATIVE,
    EMPTY_ANSWER,
    EMPTY_WRONG_OPTION,
    MISPLACED_FACT,
    NESTED,
    UNCLOSED,
    WRONG_IS_ACCEPTED,
    MarkupError,
    MarkupIssue,
    gettext_noop,
)
from articles.markup.extension import KeyFactExtension
from articles.markup.facts import Fact
from articles.markup.inline import split_inline
from articles.markup.sentences import BLANK, leans_on_previous

__all__ = [
    "BLANK",
    "EMPTY_ALTERNATIVE",
    "EMPTY_ANSWER",
    "EMPTY_WRONG_OPTION",
    "MISPLACED_FACT",
    "NESTED",
    "UNCLOSED",
    "WRONG_IS_ACCEPTED",
    "Document",
    "Fact",
    "FactBody",
    "KeyFactExtension",
    "MarkupError",
    "MarkupIssue",
    "gettext_noop",
    "leans_on_previous",
    "markdown_with",
    "parse_fact_body",
    "read",
    "scan",
    "split_inline",
]
