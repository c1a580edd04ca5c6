"""The article admin as the quizzes see it: the editor of notes, plus the facts and questions a
note yields (with statistics), what a save does to them, and why an answered note is archived
rather than deleted."""

from django.contrib import admin
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.admin import ArticleAdmin
from articles.admin_preview import Note
from articles.markup import BLANK
from articles.models import Article
from quizzes.admin_fact_changes import FactChangesMixin
from quizzes.admin_protection import ArchiveInsteadOfDeleteMixin
from quizzes.giveaways import parsed_fact_warnings, translated
from quizzes.grading import display_form
from quizzes.models import KeyFact, Question
from quizzes.statistics import MIN_ANSWERS, discrimination_by_question


@admin.register(Article)
class ArticleWithQuestionsAdmin(FactChangesMixin, ArchiveInsteadOfDeleteMixin, ArticleAdmin):
    """The article admin, plus the facts it yields and their questions."""

    readonly_fields = [*ArticleAdmin.readonly_fields, "generated_questions"]
    fieldsets = [
        *ArticleAdmin.fieldsets[:2],
        (_("Generated questions"), {"fields": ["generated_questions"]}),
        *ArticleAdmin.fieldsets[2:],
    ]

    def fact_warnings(self, body, rendered):
        """The live preview warns of give-aways as a save would."""
        return [
            Note(warning.line, warning.column, translated(warning.as_dict()))
            for fact in rendered.facts
            for warning in parsed_fact_warnings(fact)
        ]

    @admin.display(description=_("facts and their questions"))
    def generated_questions(self, article):
        if not article.pk:
            return "-"
        facts = (
            KeyFact.objects.filter(article=article)
            .only("article_id", "answer", "sentence", "kind", "is_active", "position", "warnings")
            .order_by("-is_active", "position")
            .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("type")))
        )
        facts = list(facts)
        # Labels looked up once: get_FOO_display() per row rebuilds the choices each time.
        kinds = {value: str(label) for value, label in KeyFact.Kind.choices}
        types = {value: str(label) for value, label in Question.Type.choices}
        fact_url = reverse("admin:quizzes_keyfact_change", args=[0]).replace("/0/", "/{}/")
        # Fresh discrimination for this article's questions: one query over their answers.
        asked = [q.pk for fact in facts for q in fact.questions.all() if q.times_asked >= MIN_ANSWERS]
        fresh = discrimination_by_question(asked)
        for fact in facts:
            for question in fact.questions.all():
                question.discrimination = fresh.get(question.pk, question.discrimination)
        rows = [
            {
                "fact": fact,
                "url": fact_url.format(fact.pk),
                "stem": fact.sentence.replace(BLANK, "＿＿"),
                "answer": display_form(fact.answer),
                "kind": kinds.get(fact.kind, fact.kind),
                "questions": [
                    question_line(question, fact, types[question.type])
                    for question in fact.questions.all()
                ],
                "warnings": [
                    _("line %(line)s, column %(column)s: %(message)s")
                    % {**warning, "message": translated(warning)}
                    for warning in fact.warnings
                ],
            }
            for fact in facts
        ]
        changelist = reverse("admin:quizzes_question_changelist") + f"?fact__article__id__exact={article.pk}"
        return render_to_string(
            "admin/quizzes/generated_questions.html",
            {
                "rows": rows,
                "changelist": changelist,
                "inactive": gettext("inactive"),
                "no_question": gettext("no question (the article is not published)"),
            },
        )


def question_line(question: Question, fact: KeyFact, type_label: str) -> dict:
    """One question of the change page's table, its statistics already in words: a template
    loop over forty questions with a blocktranslate each costs more than the rest of the page."""
    asked = question.times_asked
    statistics = [ngettext("asked %(count)d×", "asked %(count)d×", asked) % {"count": asked}]
    if question.share_correct is not None:
        statistics.append(gettext("%(share)s correct") % {"share": f"{question.share_correct:.0%}"})
    if question.discrimination is not None:
        statistics.append(gettext("discrimination %(value).2f") % {"value": question.discrimination})
    if question.is_disabled:
        state = gettext("disabled")
    elif not question.is_generated:
        state = gettext("no longer generated")
    else:
        state = ""
    options = ""
    if question.type == Question.Type.MULTIPLE_CHOICE:
        options = " · ".join([display_form(fact.answer), *question.wrong_options])
    return {
        "type": type_label,
        "options": options,
        "state": state,
        "statistics": ", ".join(statistics),
    }
