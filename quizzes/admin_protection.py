"""Deleting notes in the admin: refused with a reason and an alternative once learners answered.

Learners' answers point at an article's key facts (QuizItem.fact is PROTECT), so Django refuses
to delete an answered note and lists the answers in the way; its page says neither why that
matters nor what to do instead. This mixin adds both, on the delete page and on the "delete
selected" action alike:

    class ArticleWithQuestionsAdmin(ArchiveInsteadOfDeleteMixin, ArticleAdmin): ...

It also lets a note nobody answered be deleted: its key facts and questions are generated from
it and go with it, although their own admins (rightly) offer no delete of their own.
"""

from django.apps import apps
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

GENERATED_WITH_THE_NOTE = ("quizzes.KeyFact", "quizzes.Question")


class ArchiveInsteadOfDeleteMixin:
    """For the ModelAdmin of Article, which has an "archive" action and an "archived" status."""

    def get_deleted_objects(self, objs, request):
        # Both the delete view and the "delete selected" action ask this before they decide.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        generated = {str(apps.get_model(label)._meta.verbose_name) for label in GENERATED_WITH_THE_NOTE}
        perms_needed = set(perms_needed) - generated
        if protected and not getattr(request, "_archive_instead_offered", False):
            request._archive_instead_offered = True  # once per request, however often asked
            self.message_user(request, self.archive_instead_message(objs), messages.WARNING)
        return deleted, model_count, perms_needed, protected

    def archive_instead_message(self, articles):
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse(f"admin:{a._meta.app_label}_{a._meta.model_name}_change", args=[a.pk]), a)
                for a in articles
            ),
        )
        return format_html(
            "{} {} {}",
            _(
                "Learners have answered the key facts of this note, so it cannot be deleted: "
                "their answers, scores and review history depend on it."
            ),
            format_html(
                _(
                    "Archive it instead: set its status to “archived” ({}) or use the “Archive "
                    "the selected articles” action in the list."
                ),
                links,
            ),
            _(
                "Learners no longer see an archived note, its facts are retired from quizzes, "
                "and nothing is lost."
            ),
        )
