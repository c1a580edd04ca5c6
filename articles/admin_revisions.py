"""An article's revisions in the admin: the list, a readable diff, and what a restore puts back."""

import difflib
from dataclasses import dataclass

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article

RESTORED_FIELDS = Article.REVISED_FIELDS
FIELD_LABELS = {
    "title": _("title"),
    "slug": _("slug"),
    "topic_id": _("topic"),
    "status": _("status"),
    "body": _("body (Markdown)"),
}
LISTED = 20  # revisions shown on the change page, newest first


@dataclass(frozen=True)
class RevisionRow:
    record: object  # a HistoricalArticle
    changed: list[str]  # labels of the fields this revision changed


def recent_revisions(article: Article) -> tuple[list[RevisionRow], int]:
    """The newest revisions with what each changed, and how many there are in all."""
    records = list(
        article.history.select_related("history_user").order_by("-history_date", "-history_id")[: LISTED + 1]
    )
    rows = []
    for record, before in zip(records, [*records[1:], None], strict=False):
        if len(rows) == LISTED:
            break
        rows.append(RevisionRow(record, changed_fields(before, record)))
    return rows, article.history.count()


def changed_fields(before, after) -> list[str]:
    if before is None:
        return [str(pgettext_lazy("revision", "created"))]
    return [
        str(FIELD_LABELS[name]) for name in RESTORED_FIELDS if getattr(before, name) != getattr(after, name)
    ]


def body_diff(before: str, after: str) -> SafeString:
    """Side-by-side diff of two bodies, changed lines only with a little context.

    HtmlDiff escapes the text it shows and writes no inline style; its table still goes through
    the sanitiser, so that nothing but the table's own markup can reach the page.
    """
    table = difflib.HtmlDiff().make_table(
        before.splitlines(),
        after.splitlines(),
        str(_("before")),
        str(_("after")),
        context=True,
        numlines=2,
    )
    return mark_safe(  # noqa: S308 - sanitised just here
        nh3.clean(table, tags=_DIFF_TAGS, attributes=_DIFF_ATTRIBUTES, url_schemes=set())
    )


_DIFF_TAGS = {"table", "colgroup", "thead", "tbody", "tr", "th", "td", "span", "a", "br"}
_DIFF_ATTRIBUTES = {"*": {"class", "id"}, "th": {"colspan"}, "a": {"href"}}


def apply_revision(article: Article, record) -> Article:
    """Put a revision's text back into the article (unsaved: saving it is the editor's edit)."""
    for name in RESTORED_FIELDS:
        setattr(article, name, getattr(record, name))
    return article
