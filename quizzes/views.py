"""Taking quizzes: start, one question at a time, feedback in place (htmx) or by redirect."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, replace_url, reswap, retarget
from django_htmx.middleware import HtmxDetails
from django_ratelimit.decorators import ratelimit

from articles.models import Topic
from quizzes.answering import (
    DEFAULT_QUIZ_SIZE,
    QUIZ_SIZES,
    AnswerRejected,
    QuestionWithdrawn,
    Submission,
    abandon,
    open_quiz,
    record_answer,
    start_retry,
    start_review,
    start_topic_quiz,
    withdraw_retired_items,
)
from quizzes.appeals import AppealRefused
from quizzes.appeals import appeal as record_appeal
from quizzes.habits import local_day, start_of_day
from quizzes.models import Appeal, Card, Quiz, QuizItem
from quizzes.presenting import card_of, feedback_for, question_for, summary_rows
from throttling.limits import limited

# `?answered=N`: ASCII digits only, as positions are (str.isdigit() would take "²" or "٣").
ANSWERED_PARAMETER = re.compile(r"[0-9]{1,5}")
# Where an htmx page shows why a request was refused: the question card's error line, or the
# feedback card's slot beside the appeal button.
ERROR_SLOT = "#quiz-error"
APPEAL_SLOT = "#appeal-status"


class HtmxHttpRequest(HttpRequest):
    """A request as HtmxMiddleware leaves it (the typing django-htmx's example project uses)."""

    htmx: HtmxDetails


def _refused(request: HtmxHttpRequest, message: str, status: int = 400, slot: str = ERROR_SLOT):
    """Why the request was refused: under htmx, shown in the page's `slot`; else a page of its own."""
    if request.htmx:
        return reswap(retarget(HttpResponse(format_html("{}", message), status=status), slot), "innerHTML")
    html = render_to_string("quizzes/bad_request.html", {"message": message}, request=request)
    return HttpResponse(html, status=status)


@login_required
@require_POST
@limited("quiz-start")
def start_quiz(request: HtmxHttpRequest, slug):
    topic = get_object_or_404(Topic, slug=slug)
    if (resumed := open_quiz(request.user, topic)) is not None:
        messages.info(request, _("You have an unfinished quiz on this topic: here it is again."))
        return redirect("quizzes:take", quiz_id=resumed.pk)
    try:
        size = int(request.POST.get("size", DEFAULT_QUIZ_SIZE))
    except ValueError:
        size = 0
    if size not in QUIZ_SIZES:
        return _refused(request, _("A quiz has 5, 10 or 20 questions."))
    quiz = start_topic_quiz(request.user, topic, size, timezone.now())
    if quiz is None:
        messages.info(request, _("This topic has no questions yet."))
        return redirect(topic)
    return redirect("quizzes:take", quiz_id=quiz.pk)


@login_required
@require_safe
def take_quiz(request: HtmxHttpRequest, quiz_id):
    """The current question, the feedback of `?answered=N` (a reload keeps it), or the summary."""
    quiz = get_object_or_404(Quiz.objects.select_related("topic"), pk=quiz_id, user=request.user)
    items = QuizItem.objects.for_display().filter(quiz=quiz)
    context = {"quiz": quiz}
    shown = request.GET.get("answered")
    current = None
    if shown is not None:
        if not ANSWERED_PARAMETER.fullmatch(shown):
            return _refused(request, _("That is not a question number of this quiz."))
        answered = items.filter(position=int(shown), answered_at__isnull=False).first()
        if answered is None:  # not answered (yet): the quiz as it stands
            return redirect("quizzes:take", quiz_id=quiz.pk)
        appealed = (
            answered.verdict == QuizItem.Verdict.CORRECT and Appeal.objects.filter(item=answered).exists()
        )
        card = card_of(request.user, answered.fact_id)
        context["feedback"] = feedback_for(answered, card, appealed=appealed)
    elif quiz.is_open:
        current = items.filter(answered_at__isnull=True).first()
        if current is not None and not current.fact.is_active:
            quiz = context["quiz"] = withdraw_retired_items(quiz, timezone.now())
            current = items.filter(answered_at__isnull=True).first() if quiz.is_open else None
    if shown is not None:
        partial = "feedback-card"
    elif not quiz.is_open:
        context["rows"] = summary_rows(list(items), request.user)
        partial = "summary"
    else:
        context["question"] = question_for(current)
        partial = "question-card"
    template = "quizzes/take.html"
    if request.htmx:
        template += "#" + partial
    return render(request, template, context)


@login_required
@require_POST
def answer(request: HtmxHttpRequest, quiz_id, position):
    submission = Submission(
        request.POST.get("response"), request.POST.get("choice"), gave_up="gave_up" in request.POST
    )
    now = timezone.now()
    tz = timezone.get_current_timezone()
    try:
        item = record_answer(
            request.user, quiz_id, position, submission, now, start_of_day(local_day(now, tz), tz)
        )
    except QuestionWithdrawn as withdrawn:
        messages.info(request, str(withdrawn))
        take = reverse("quizzes:take", args=[quiz_id])
        return HttpResponseClientRedirect(take) if request.htmx else redirect(take)
    except AnswerRejected as error:
        return _refused(request, str(error))
    # The URL records the feedback shown: a reload (or no JavaScript) shows it again.
    feedback_url = reverse("quizzes:take", args=[quiz_id]) + f"?answered={position}"
    if not request.htmx:
        return redirect(feedback_url)
    context = {
        "quiz": item.quiz,
        # A repeated submission comes back without the card the first one updated.
        "feedback": feedback_for(item, getattr(item, "card", None) or card_of(request.user, item.fact_id)),
        "today": item.today,
        "nav_out_of_band": True,
    }
    return replace_url(render(request, "quizzes/take.html#feedback-card", context), feedback_url)


@login_required
@require_POST
def abandon_quiz(request: HtmxHttpRequest, quiz_id):
    quiz = abandon(request.user, quiz_id, timezone.now())
    if quiz.is_abandoned:
        messages.info(request, _("Quiz ended. Its answers still count."))
    return redirect(quiz.topic.get_absolute_url() if quiz.topic else reverse("quizzes:review"))


@login_required
@require_POST
def retry_quiz(request: HtmxHttpRequest, quiz_id):
    quiz = get_object_or_404(Quiz, pk=quiz_id, user=request.user)
    if quiz.is_open:
        return _refused(request, _("Finish this quiz first; then you can retry what you missed."))
    retry = start_retry(request.user, quiz, timezone.now())
    if retry is None:
        messages.info(request, _("Nothing to retry: you missed no question you still study."))
        return redirect("quizzes:take", quiz_id=quiz.pk)
    return redirect("quizzes:take", quiz_id=retry.pk)


def _appeal_rate(group, request):
    return settings.NOTESITE_APPEAL_RATE


@login_required
@require_POST
@ratelimit(key="user", rate=_appeal_rate, method="POST", block=False)
def appeal(request: HtmxHttpRequest, quiz_id, position):
    """ "I was right": the wrong verdict on a typed answer counts as correct for this learner."""
    if getattr(request, "limited", False):
        return _refused(request, _("Too many appeals for now: try again in a while."), 429, APPEAL_SLOT)
    try:
        item = record_appeal(request.user, quiz_id, position)
    except AppealRefused as error:
        return _refused(request, str(error), 400, APPEAL_SLOT)
    if not request.htmx:
        return redirect(reverse("quizzes:take", args=[quiz_id]) + f"?answered={position}")
    card = card_of(request.user, item.fact_id)
    context = {"quiz": item.quiz, "feedback": feedback_for(item, card, appealed=True)}
    return render(request, "quizzes/take.html#feedback-card", context)


def review(request: HtmxHttpRequest):
    """One address: reading it shows what is due, posting to it starts (or resumes) the review."""
    if request.method == "POST":
        return start_review_quiz(request)
    return review_page(request)


@login_required
@require_safe
def review_page(request: HtmxHttpRequest):
    now = timezone.now()
    cards = Card.objects.for_user(request.user).active()
    due = cards.due(now)
    upcoming = cards.in_play(now).filter(due__gt=now).order_by("due")
    context = {
        "due_total": due.count(),
        "due_by_topic": due.values("topic__name", "topic__slug")
        .annotate(count=Count("id"))
        .order_by("topic__name"),
        "next_due": upcoming.values_list("due", flat=True).first(),
        "open_review": open_quiz(request.user, None),
    }
    return render(request, "quizzes/review.html", context)


@login_required
@require_POST
@limited("review-start")
def start_review_quiz(request: HtmxHttpRequest):
    quiz = start_review(request.user, timezone.now())
    if quiz is None:
        messages.info(request, _("Nothing is due for review right now."))
        return redirect("quizzes:review")
    return redirect("quizzes:take", quiz_id=quiz.pk)
