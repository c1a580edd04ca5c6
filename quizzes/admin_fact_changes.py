"""Saving a note in the admin: what the save did to its key facts, and a confirmation first
when it would retire facts that learners have answered.

    class ArticleWithQuestionsAdmin(FactChangesMixin, ArticleAdmin): ...

The confirmation is a checkbox that appears, with the list of those facts, beside the form's
error: nothing is saved until it is ticked, and the editor's text stays in the form meanwhile.
"""

from django import forms
from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.markup import BLANK
from quizzes.extraction import answered_retiring, plan_facts

CONFIRM_FIELD = "retire_answered_facts"


def with_retirement_confirmation(form_class):
    """The article form, refusing to retire answered facts until its checkbox is ticked."""

    class ConfirmingForm(form_class):
        retire_answered_facts = forms.BooleanField(
            label=_("Retire these facts"),
            required=False,
            help_text=_("They leave the quizzes; every answer, card and score stays for the record."),
        )

        def _post_clean(self):
            # After the model's own validation, which parses the body (and caches the result).
            super()._post_clean()
            article = self.instance
            if not article.pk or self.has_error("body") or self.cleaned_data.get(CONFIRM_FIELD):
                return
            retiring = answered_retiring(plan_facts(article, list(article.rendered.facts)))
            if retiring:
                self.retiring = retiring
                self.add_error(CONFIRM_FIELD, [_retiring_line(entry) for entry in retiring])

    ConfirmingForm.__name__ = form_class.__name__
    return ConfirmingForm


def _retiring_line(entry) -> str:
    sentence = entry.fact.sentence.replace(BLANK, "＿＿")
    return ngettext(
        "“%(answer)s” in “%(sentence)s”: answered by %(count)d learner",
        "“%(answer)s” in “%(sentence)s”: answered by %(count)d learners",
        entry.learners,
    ) % {"answer": entry.fact.answer, "sentence": sentence, "count": entry.learners}


class FactChangesMixin:
    """For the ModelAdmin of Article (whose saves re-extract the facts, see quizzes.extraction)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_retirement_confirmation(super().get_form(request, obj, change=change, **kwargs))

    def render_change_form(self, request, context, *args, **kwargs):
        adminform = context.get("adminform")
        if adminform is not None and getattr(adminform.form, "retiring", None):
            description = format_html(
                "{}",
                _(
                    "This change removes key facts that learners have answered. Reword a "
                    "fact's sentence rather than rewrite it, and keep its answer, to keep its "
                    "history. To remove them, tick the box and save again."
                ),
            )
            adminform.fieldsets.insert(
                0,
                (
                    _("Facts learners have answered"),
                    {"fields": [CONFIRM_FIELD], "description": description},
                ),
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = getattr(obj, "fact_changes", None)
        if changes is not None:
            self.message_user(request, changes.describe(), messages.INFO)
