"""Topics and articles: the library of study notes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.markup import Fact, MarkupError, MarkupIssue
from articles.rendering import RenderedArticle, render_article
from articles.slugs import slug_from_title, unique_slug


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, allow_unicode=True, blank=True,
        help_text=_("Leave empty to make one from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(Topic, slug_from_title(self.name, 100), self.pk, 100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:topic_detail", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user):
        """Learners read published notes; staff also see drafts and archived ones."""
        if user.is_staff:
            return self
        return self.published()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="articles", verbose_name=_("topic")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, allow_unicode=True, blank=True,
        help_text=_("Leave empty to make one from the title (in pinyin)."),
    )
    body = models.TextField(_("body (Markdown)"))
    # Rendered on save so that reading a note never re-parses it.
    body_html = models.TextField(editable=False, default="")
    # The parsed facts as the admin lists them (fact_summary), also kept from the save.
    fact_list = models.JSONField(editable=False, default=list)
    fact_count = models.PositiveIntegerField(_("facts"), editable=False, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Every save keeps a revision of what editors write; what is derived from it is not kept.
    history = HistoricalRecords(
        excluded_fields=["body_html", "fact_list", "fact_count"],
        verbose_name=_("revision"),
        verbose_name_plural=_("revisions"),
    )
    # What an editor writes: what a revision keeps and a restore puts back.
    REVISED_FIELDS = ("title", "slug", "topic_id", "status", "body")

    class Meta:
        ordering = ["topic__order", "title"]
        indexes = [models.Index(fields=["topic", "status", "title"])]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = self.normalise_body(self.body)
        self.body_html = self.rendered.html
        self.fact_list = [fact_summary(fact) for fact in self.rendered.facts]
        self.fact_count = len(self.rendered.facts)
        if not self.slug:
            self.slug = free_slug(Article, slug_from_title(self.title), self.pk)
        # A save that changes nothing an editor wrote keeps no revision (django-simple-history
        # skips one while the attribute exists, whatever its value).
        unchanged = self._unchanged_since_loaded()
        if unchanged:
            self.skip_history_when_saving = True
        try:
            # post_save receivers (which extract the facts) run inside this transaction.
            with transaction.atomic():
                super().save(*args, **kwargs)
        finally:
            if unchanged:
                del self.skip_history_when_saving
        self._as_loaded = {name: getattr(self, name) for name in self.REVISED_FIELDS}

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        article = super().from_db(db, field_names, values, *args, **kwargs)
        loaded = dict(zip(field_names, values, strict=True))
        article._as_loaded = {name: loaded[name] for name in cls.REVISED_FIELDS if name in loaded}
        return article

    def _unchanged_since_loaded(self) -> bool:
        loaded = getattr(self, "_as_loaded", {})
        return len(loaded) == len(self.REVISED_FIELDS) and all(
            getattr(self, name) == value for name, value in loaded.items()
        )

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def rendered(self) -> RenderedArticle:
        """The body rendered, with its parsed facts; cached until the body changes."""
        cached = self.__dict__.get("_rendered")
        if cached is None or cached[0] != self.body:
            cached = (self.body, render_article(self.body))
            self.__dict__["_rendered"] = cached
        return cached[1]

    @property
    def is_too_long(self) -> bool:
        """Longer than a note may be: refused before rendering, which would take too long."""
        return len(self.body) > settings.NOTESITE_MAX_BODY_CHARS

    def clean(self):
        super().clean()
        if self.is_too_long:
            raise ValidationError(
                {
                    "body": ValidationError(
                        _(
                            "This note is too long: %(length)d characters, at most %(limit)d. "
                            "Nothing was saved; split it into several notes."
                        ),
                        code="too_long",
                        params={"length": len(self.body), "limit": settings.NOTESITE_MAX_BODY_CHARS},
                    )
                }
            )
        try:
            self.rendered  # noqa: B018 - renders and caches, or raises
        except MarkupError as error:
            raise ValidationError({"body": [markup_error(issue) for issue in error.issues]}) from error

    @staticmethod
    def normalise_body(text: str) -> str:
        """One form for every body, whatever the browser or file it came from."""
        return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip() + "\n"


def free_slug(model, base: str, own_pk, max_length: int = 200) -> str:
    """base, or base with a number, such that no other row of model has it."""
    others = model.objects.exclude(pk=own_pk) if own_pk else model.objects.all()
    return unique_slug(base, lambda slug: others.filter(slug=slug).exists(), max_length)


def fact_summary(fact: Fact) -> dict:
    """What the admin lists of a parsed fact, as JSON (Article.fact_list)."""
    return {
        "answer": fact.answer,
        "alternatives": list(fact.alternatives),
        "wrong_options": list(fact.wrong_options),
        "hint": fact.hint,
        "sentence": fact.sentence,
        "line": fact.line,
        "column": fact.column,
        "anchor": fact.anchor,
    }


def markup_error(issue: MarkupIssue) -> ValidationError:
    """A markup issue in the active language, its place kept in params (an import shifts it)."""
    problem = gettext(issue.message)
    return ValidationError(
        _("line %(line)d, column %(column)d: %(problem)s"),
        code="markup",
        params={
            "line": issue.line,
            "column": issue.column,
            "problem": problem.format(issue.detail) if issue.detail else problem,
        },
    )
