"""The search index's rows: one per note, and one per distinct key-fact answer of a note.

The index proper is the database's own: an FTS5 table over these rows on SQLite (kept in step
by triggers), a weighted tsvector column with a GIN index on PostgreSQL (a generated column).
Both are made by this app's migrations; see search.backends for how they are queried.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from search.documents import Paragraph


class SearchDocument(models.Model):
    """A note's words, space-separated and normalised, by weight: title, key facts, body."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    facts = models.TextField()
    body = models.TextField()
    # [[anchor, text], ...]: where a snippet comes from and the link goes to.
    paragraphs = models.JSONField(default=list)

    class Meta:
        db_table = "search_document"
        verbose_name = _("search document")

    def __str__(self):
        return str(self.article_id)

    @property
    def paragraph_list(self) -> list[Paragraph]:
        return [Paragraph(anchor, text) for anchor, text in self.paragraphs]


class SearchFact(models.Model):
    """A key fact's answer in one note (each answer once per note), for the facts group."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_facts")
    answer = models.CharField(max_length=500)
    alternatives = models.JSONField(default=list)
    key = models.CharField(max_length=500)  # the normalised answer: the same fact across notes
    words = models.TextField()  # answer and alternatives as words

    class Meta:
        db_table = "search_fact"
        verbose_name = _("search fact")

    def __str__(self):
        return self.answer
