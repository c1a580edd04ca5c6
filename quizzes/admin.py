"""Admin for what the library generates: facts, their questions and how the questions fare."""

from django.contrib import admin, messages
from django.db.models import Case, Exists, F, FloatField, OuterRef, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import PlainActionCheckbox
from articles.markup import BLANK
from quizzes.giveaways import translated
from quizzes.grading import display_form
from quizzes.models import Appeal, AppealRuling, KeyFact, Question


def _stem(fact: KeyFact) -> str:
    return fact.sentence.replace(BLANK, "＿＿")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    can_delete = False
    fields = [
        "type",
        "options",
        "is_generated",
        "is_disabled",
        "times_asked",
        "share_correct",
        "discrimination",
    ]
    readonly_fields = [
        "type",
        "options",
        "is_generated",
        "times_asked",
        "share_correct",
        "discrimination",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("options"))
    def options(self, question):
        if question.type != Question.Type.MULTIPLE_CHOICE:
            return "-"
        return " · ".join([display_form(question.fact.answer), *question.wrong_options])

    @admin.display(description=_("share correct"))
    def share_correct(self, question):
        share = question.share_correct
        return "-" if share is None else f"{share:.0%}"


class HasWarningsFilter(admin.SimpleListFilter):
    """Facts the editor was warned about (a give-away, an option the stem names, a sentence that
    leans on one before it), as stored when the note was saved."""

    title = _("warnings")
    parameter_name = "warned"
    warnings_field = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", _("with warnings")), ("no", _("without warnings"))]

    def queryset(self, request, queryset):
        none = {self.warnings_field: []}
        if self.value() == "yes":
            return queryset.exclude(**none)
        if self.value() == "no":
            return queryset.filter(**none)
        return queryset


@admin.register(KeyFact)
class KeyFactAdmin(admin.ModelAdmin):
    list_display = ["answer", "article", "kind", "script", "is_active", "is_exact", "stem", "warning_list"]
    list_editable = ["is_exact"]
    list_filter = ["is_active", "is_exact", HasWarningsFilter, "kind", "script", "topic"]
    list_select_related = ["article"]
    search_fields = ["answer", "sentence", "article__title", "article__slug"]
    readonly_fields = [
        "article",
        "topic",
        "answer",
        "alternatives",
        "wrong_options",
        "hint",
        "stem",
        "warning_list",
        "anchor",
        "kind",
        "script",
        "is_active",
        "created_at",
        "retired_at",
        "appealed_answers",
    ]
    exclude = ["fingerprint", "position", "sentence", "warnings"]
    inlines = [QuestionInline]

    def has_add_permission(self, request):
        return False  # facts come from articles' markup, never by hand

    def has_delete_permission(self, request, obj=None):
        return False  # retiring happens by editing the article

    @admin.display(description=_("question stem"))
    def stem(self, fact):
        return _stem(fact)

    @admin.display(description=_("warnings"))
    def warning_list(self, fact):
        return format_html_join(
            "\n",
            "<p>{}</p>",
            (
                (
                    _("line %(line)s, column %(column)s: %(message)s")
                    % {**warning, "message": translated(warning)},
                )
                for warning in fact.warnings
            ),
        ) or "-"

    @admin.display(description=_("appealed answers"))
    def appealed_answers(self, fact):
        url = reverse("admin:quizzes_appeal_changelist") + f"?fact={fact.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Appealed answers of this fact"))


class FactStatusFilter(admin.SimpleListFilter):
    """Questions of facts still in their article, or of retired ones (kept for their answers)."""

    title = _("fact")
    parameter_name = "fact_status"

    def lookups(self, request, model_admin):
        return [("active", _("active")), ("retired", _("retired"))]

    def queryset(self, request, queryset):
        if self.value() in ("active", "retired"):
            return queryset.filter(fact__is_active=self.value() == "active")
        return queryset


class QuestionWarningsFilter(HasWarningsFilter):
    """Questions whose fact the editor was warned about."""

    parameter_name = "warnings"
    warnings_field = "fact__warnings"


class AppealsFilter(admin.SimpleListFilter):
    """Questions whose fact learners appealed: all of them, or those with answers still awaiting
    an editor's ruling (the appeals queue's work)."""

    title = _("appeals")
    parameter_name = "appeals"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", _("awaiting a ruling")),
            ("any", _("appealed")),
            ("none", _("never appealed")),
        ]

    def queryset(self, request, queryset):
        appealed = Appeal.objects.filter(fact=OuterRef("fact"))
        if self.value() == "awaiting":
            ruled = AppealRuling.objects.filter(fact=OuterRef("fact"), normalised=OuterRef("normalised"))
            return queryset.filter(Exists(appealed.filter(~Exists(ruled))))
        if self.value() == "any":
            return queryset.filter(Exists(appealed))
        if self.value() == "none":
            return queryset.filter(~Exists(appealed))
        return queryset


@admin.register(Question)
class QuestionAdmin(PlainActionCheckbox, admin.ModelAdmin):
    list_display = [
        "answer",
        "type",
        "stem",
        "options",
        "is_disabled",
        "times_asked",
        "share_correct",
        "discrimination_index",
    ]
    list_editable = ["is_disabled"]
    list_filter = [
        FactStatusFilter,
        "is_disabled",
        "type",
        QuestionWarningsFilter,
        AppealsFilter,
        "is_generated",
        "fact__kind",
        "fact__topic",
    ]
    list_select_related = ["fact"]
    search_fields = [
        "fact__answer",
        "fact__sentence",
        "fact__article__slug",
        "fact__article__title",
    ]
    actions = ["disable", "enable"]

    class Media:
        css = {"all": ["css/admin-questions.css"]}

    fields = [
        "fact",
        "type",
        "wrong_options",
        "is_generated",
        "is_disabled",
        "times_asked",
        "times_correct",
        "discrimination",
    ]
    readonly_fields = [
        "fact",
        "type",
        "wrong_options",
        "is_generated",
        "times_asked",
        "times_correct",
        "discrimination",
    ]

    def lookup_allowed(self, lookup, value, request=None):
        # An article's change page links here filtered to its questions; a sidebar filter
        # listing every article would not scale, so this lookup is allowed without one.
        return lookup == "fact__article__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("answer"), ordering="fact__answer")
    def answer(self, question):
        return question.fact.answer

    @admin.display(description=_("stem"))
    def stem(self, question):
        """The stem, and under it what the editor was warned of (in the same cell: a column of
        its own would push the statistics off the screen)."""
        warnings = question.fact.warnings
        if not warnings:
            return _stem(question.fact)
        items = format_html_join("", "<li>{}</li>", ((translated(warning),) for warning in warnings))
        return format_html('{}<ul class="warning-list">{}</ul>', _stem(question.fact), items)

    def get_queryset(self, request):
        # The share correct as a column the list can sort by (never asked: no share, last).
        share = Case(
            When(times_asked__gt=0, then=F("times_correct") * 1.0 / F("times_asked")),
            output_field=FloatField(),
        )
        return super().get_queryset(request).annotate(share_correct_value=share)

    @admin.display(description=_("options"))
    def options(self, question):
        if question.type != Question.Type.MULTIPLE_CHOICE:
            return "-"
        answer = format_html('<li class="correct-option">{}</li>', display_form(question.fact.answer))
        wrong = format_html_join("", "<li>{}</li>", ((option,) for option in question.wrong_options))
        return format_html('<ul class="option-list">{}{}</ul>', answer, wrong)

    @admin.display(
        description=_("share correct"),
        ordering=F("share_correct_value").asc(nulls_last=True),
    )
    def share_correct(self, question):
        share = question.share_correct
        return "-" if share is None else f"{share:.0%}"

    @admin.display(
        description=_("discrimination"), ordering=F("discrimination").asc(nulls_last=True)
    )
    def discrimination_index(self, question):
        value = question.discrimination
        return "-" if value is None else f"{value:.2f}"

    @admin.action(description=_("Disable the selected questions"))
    def disable(self, request, queryset):
        self._set_disabled(request, queryset, True)

    @admin.action(description=_("Enable the selected questions"))
    def enable(self, request, queryset):
        self._set_disabled(request, queryset, False)

    def _set_disabled(self, request, queryset, disabled: bool):
        # An editor's switch only: regenerating questions keeps it (quizzes.extraction).
        count = queryset.update(is_disabled=disabled)
        message = (
            ngettext("%(count)d question disabled.", "%(count)d questions disabled.", count)
            if disabled
            else ngettext("%(count)d question enabled.", "%(count)d questions enabled.", count)
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


from quizzes import appeal_admin, article_admin  # noqa: E402, F401 - they register their admins
