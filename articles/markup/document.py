"""A note read once by Markdown: its HTML (not yet sanitised) and its facts, or its errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

from articles.markup.errors import MISPLACED_FACT, MarkupError
from articles.markup.extension import KeyFactExtension
from articles.markup.facts import Fact


@dataclass(frozen=True)
class Document:
    html: str  # as Markdown wrote it: sanitise before showing it
    facts: tuple[Fact, ...]  # in source order, each with its anchor


def read(source: str) -> Document:
    """The note as HTML and its facts; raises MarkupError listing every issue."""
    extension = KeyFactExtension()
    html = markdown_with(extension).convert(source)
    issues = list(extension.issues)
    for record in extension.order:
        if len(extension.anchors.get(record.opening, ())) != 1:
            issues.append(extension.positions.issue(record.start, MISPLACED_FACT))
    if issues:
        raise MarkupError(issues)
    facts = tuple(
        Fact(
            answer=record.body.answer,
            alternatives=record.body.alternatives,
            wrong_options=record.body.wrong_options,
            hint=record.body.hint,
            line=line,
            column=column,
            start=record.start,
            end=record.end,
            sentence=record.sentence,
            context=record.context,
            anchor=extension.anchors[record.opening][0],
        )
        for record in extension.order
        for line, column in [extension.positions.line_and_column(record.start)]
    )
    return Document(html, facts)


def scan(source: str) -> list[Fact]:
    """The key facts of a Markdown source, in order; raises MarkupError listing every issue."""
    from dataclasses import replace

    return [replace(fact, anchor="") for fact in read(source).facts]


def markdown_with(extension: KeyFactExtension) -> markdown.Markdown:
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
