"""Learners' appeals as an editors' queue: per fact, each appealed answer, accepted or rejected."""

from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles.markup import BLANK
from quizzes import appeals
from quizzes.grading import display_form
from quizzes.models import Appeal, AppealRuling, KeyFact, Question, QuizItem

QUEUE_SIZE = 50


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """The change list is the queue: one row per fact and appealed answer, not per appeal."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an appeal is part of a learner's history

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path("accept/", self.admin_site.admin_view(self.accept_view), name="quizzes_appeal_accept"),
            path("reject/", self.admin_site.admin_view(self.reject_view), name="quizzes_appeal_reject"),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ruled = request.GET.get("ruled") == "1"
        fact_id = request.GET.get("fact", "")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_lazy("Appealed answers"),
            "opts": self.model._meta,
            "rows": queue(ruled=ruled, fact_id=int(fact_id) if fact_id.isdigit() else None),
            "ruled": ruled,
            "can_rule": _can_rule(request),
        }
        return TemplateResponse(request, "admin/quizzes/appeal_queue.html", context)

    @staticmethod
    def _ruling_target(request):
        if not _can_rule(request):
            raise PermissionDenied
        fact_id = request.POST.get("fact", "")
        if not fact_id.isdigit():
            raise Http404
        fact = get_object_or_404(KeyFact.objects.select_related("article"), pk=fact_id)
        return fact, request.POST.get("answer", "")

    @staticmethod
    def _back(request):
        return redirect(
            reverse("admin:quizzes_appeal_changelist")
            + ("?" + request.GET.urlencode() if request.GET else "")
        )

    def accept_view(self, request):
        return require_POST(self._accept)(request)

    def reject_view(self, request):
        return require_POST(self._reject)(request)

    def _accept(self, request):
        fact, key = self._ruling_target(request)
        try:
            text = appeals.accept(fact, key, request.user)
        except appeals.RulingFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("“%(text)s” is now an alternative of “%(answer)s”; “%(article)s” was saved.")
                % {"text": text, "answer": display_form(fact.answer), "article": fact.article.title},
            )
        return self._back(request)

    def _reject(self, request):
        fact, key = self._ruling_target(request)
        try:
            appeals.reject(fact, key, request.POST.get("reason", ""), request.user)
        except appeals.RulingFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Rejected: further appeals of that answer are refused."))
        return self._back(request)


def _can_rule(request) -> bool:
    return request.user.has_perm("articles.change_article")


def queue(*, ruled: bool, fact_id: int | None) -> list[dict]:
    """The appealed answers, most appealed first, each with its fact and its counts: how many
    learners appealed it and how many typed it (appealed or not). Three queries."""
    rulings = AppealRuling.objects.filter(fact=OuterRef("fact_id"), normalised=OuterRef("normalised"))
    groups = (
        Appeal.objects.values("fact_id", "normalised")
        .annotate(
            appealed=Count("user", distinct=True),
            response=Min("response"),
            last=Max("created_at"),
            is_ruled=Exists(rulings),
        )
        .filter(is_ruled=ruled)
        .order_by("-appealed", "-last")
    )
    if fact_id is not None:
        groups = groups.filter(fact_id=fact_id)
    groups = list(groups[:QUEUE_SIZE])
    facts = KeyFact.objects.select_related("article").in_bulk({group["fact_id"] for group in groups})
    typed = _typed_by(facts)
    decisions = {}
    if ruled:
        decisions = {
            (ruling.fact_id, ruling.normalised): ruling
            for ruling in AppealRuling.objects.filter(fact__in=list(facts))
        }
    return [
        {
            "fact": facts[group["fact_id"]],
            "answer": display_form(facts[group["fact_id"]].answer),
            "stem": facts[group["fact_id"]].sentence.replace(BLANK, "＿＿"),
            "key": group["normalised"],
            "response": group["response"],
            "appealed": group["appealed"],
            "typed": max(len(typed[(group["fact_id"], group["normalised"])]), group["appealed"]),
            "ruling": decisions.get((group["fact_id"], group["normalised"])),
        }
        for group in groups
    ]


def _typed_by(facts: dict[int, KeyFact]) -> dict[tuple[int, str], set[int]]:
    """Learners who typed each answer graded wrong (or appealed) for these facts, compared as
    the grader compares them."""
    learners = defaultdict(set)
    rows = (
        QuizItem.objects.filter(fact_id__in=list(facts), question__type=Question.Type.FILL_IN)
        .filter(Q(verdict=QuizItem.Verdict.WRONG) | Q(appeal__isnull=False))
        .exclude(response="")
        .values_list("fact_id", "response", "quiz__user_id")
    )
    for fact_id, response, user_id in rows:
        learners[(fact_id, appeals.appeal_key(facts[fact_id], response))].add(user_id)
    return learners
