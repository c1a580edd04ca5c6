"""The term bank: what the library's words are (category) and how else they are written."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from terms.keys import spelling_key


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("term category")
        verbose_name_plural = _("term categories")

    def __str__(self):
        return self.name


class TermQuerySet(models.QuerySet):
    def named(self, text: str):
        """Terms one of whose spellings (name or alias) is `text`, case/width-insensitively."""
        return self.filter(spellings__key=spelling_key(text)).distinct()

    def bank_rows(self):
        return self.order_by("pk").values_list("name", "category__name", "aliases", "position")


class Term(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # The name as compared: one term per spelling of a name.
    key = models.CharField(max_length=200, unique=True, editable=False)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="terms",
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names in either language, e.g. 交并比 and Intersection over Union for IoU."),
    )
    # Order within the category: terms listed side by side are the nearest siblings.
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["category", "position", "name"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.key = spelling_key(self.name)
        self.aliases = _unique_aliases(self.name, self.aliases)
        with transaction.atomic():
            super().save(*args, **kwargs)
            rebuild_spellings([self])

    @property
    def spelling_keys(self) -> set[str]:
        return {spelling_key(text) for text in (self.name, *self.aliases)} - {""}

    def clean(self):
        self.name = self.name.strip()
        if not spelling_key(self.name):
            raise ValidationError({"name": _("A term needs a name.")})
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError(_("Aliases are a list of texts."))
        self.aliases = _unique_aliases(self.name, self.aliases)
        taken = (
            Spelling.objects.filter(key__in=self.spelling_keys)
            .exclude(term_id=self.pk)
            .select_related("term")
            .first()
        )
        if taken:
            raise ValidationError(
                _("%(spelling)s already names the term %(term)s; merge the two terms instead.")
                % {"spelling": taken.key, "term": taken.term.name}
            )


class Spelling(models.Model):
    """One way of writing a term, as compared: answers the "which term is this?" lookup by index."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="spellings")
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "key"], name="one_spelling_per_term")]

    def __str__(self):
        return self.key


def _unique_aliases(name: str, aliases) -> list[str]:
    seen = {spelling_key(name)}
    result = []
    for alias in aliases or []:
        alias = str(alias).strip()
        if spelling_key(alias) and spelling_key(alias) not in seen:
            seen.add(spelling_key(alias))
            result.append(alias)
    return result


def rebuild_spellings(terms: list[Term]) -> None:
    Spelling.objects.filter(term__in=terms).delete()
    Spelling.objects.bulk_create(
        [Spelling(term=term, key=key[:200]) for term in terms for key in term.spelling_keys]
    )


class Suggestion(models.Model):
    """What the library suggests adding to the bank; nothing changes until an editor accepts."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("alias of a term")
        SIBLING = "sibling", _("likely sibling: put into a category")
        TERM = "term", _("new term without a category")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DISMISSED = "dismissed", _("dismissed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=200)
    # ALIAS: the term it names; SIBLING: the category its siblings are in.
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, null=True, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, null=True, blank=True
    )
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "text"]
        verbose_name = _("term suggestion")
        verbose_name_plural = _("term suggestions")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"
