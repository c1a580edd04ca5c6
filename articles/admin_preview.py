"""The editor's live preview: a Markdown editor widget and the preview of unsaved text."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.markup import MarkupError
from articles.models import Article, markup_error
from articles.rendering import RenderedArticle, render_article

# Longer text is refused before it is parsed: a preview request must stay cheap.
MAX_PREVIEW_CHARS = 200_000


@dataclass(frozen=True)
class Note:
    """An error or warning about a place in the body."""

    line: int
    column: int
    message: str


class MarkdownEditor(forms.Textarea):
    """A large textarea that, with JavaScript on, gets line numbers and a preview beside it."""

    template_name = "articles/widgets/markdown_editor.html"  # app templates: the form renderer reads those

    def __init__(self, preview_url: str, attrs=None):
        defaults = {
            "rows": 28,
            "spellcheck": "false",
            "class": "markdown-editor-input",
            "hx-post": preview_url,
            "hx-trigger": "load, input changed delay:500ms",
            "hx-target": "#live-preview",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
        super().__init__({**defaults, **(attrs or {})})


def preview_context(
    text: str, warnings_for: Callable[[str, RenderedArticle], Iterable[Note]]
) -> dict:
    """What the preview partial shows for unsaved text: the note, or why it cannot be shown."""
    if len(text) > MAX_PREVIEW_CHARS:
        message = _("The text is too long to preview (over %(limit)d characters).")
        return {"refused": message % {"limit": MAX_PREVIEW_CHARS}}
    body = Article.normalise_body(text)
    try:
        rendered = render_article(body)
    except MarkupError as error:
        errors = [Note(issue.line, issue.column, " ".join(markup_error(issue))) for issue in error.issues]
        return {"errors": errors, "error_lines": _lines(errors)}
    except RecursionError:  # Markdown nested deeper than Python's stack: say so, never a 500
        return {"refused": _("The text is nested too deeply to preview.")}
    warnings = sorted(warnings_for(body, rendered), key=lambda note: (note.line, note.column))
    return {
        "html": rendered.html,
        "fact_count": len(rendered.facts),
        "warnings": warnings,
        "warning_lines": _lines(warnings),
    }


def no_warnings(body: str, rendered: RenderedArticle) -> list[Note]:
    return []


def _lines(notes: list[Note]) -> str:
    return " ".join(str(line) for line in sorted({note.line for note in notes}))
