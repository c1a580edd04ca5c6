"""Taking quizzes: start, one question at a time, feedback in place (htmx) or by redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from articles.models import Topic
from quizzes.answering import (
    DEFAULT_QUIZ_SIZE,
    QUIZ_SIZES,
    AnswerRejected,
    Submission,
    record_answer,
    start_review,
    start_topic_quiz,
)
from quizzes.models import Card, Quiz, QuizItem
from quizzes.presenting import feedback_for, question_for, summary_rows


class HtmxHttpRequest(HttpRequest):
    """A request as HtmxMiddleware leaves it (the typing django-htmx's example project uses)."""

    htmx: HtmxDetails


def _bad_request(request: HtmxHttpRequest, message: str):
    """A 400 with a clear message; under htmx, shown in the question card's error slot."""
    if request.htmx:
        response = HttpResponseBadRequest(format_html("{}", message))
        response["HX-Retarget"] = "#quiz-error"
        response["HX-Reswap"] = "innerHTML"
        return response
    html = render_to_string("quizzes/bad_request.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)


@login_required
@require_POST
def start_quiz(request: HtmxHttpRequest, slug):
    topic = get_object_or_404(Topic, slug=slug)
    try:
        size = int(request.POST.get("size", DEFAULT_QUIZ_SIZE))
    except ValueError:
        size = 0
    if size not in QUIZ_SIZES:
        return _bad_request(request, _("A quiz has 5, 10 or 20 questions."))
    quiz = start_topic_quiz(request.user, topic, size, timezone.now())
    if quiz is None:
        messages.info(request, _("This topic has no questions yet."))
        return redirect(topic)
    return redirect("quizzes:take", quiz_id=quiz.pk)


@login_required
@require_GET
def take_quiz(request: HtmxHttpRequest, quiz_id):
    """The current question, the feedback just given (no-JS flow), or the summary."""
    quiz = get_object_or_404(Quiz.objects.select_related("topic"), pk=quiz_id, user=request.user)
    items = QuizItem.objects.for_display().filter(quiz=quiz)
    context = {"quiz": quiz}
    shown = request.GET.get("answered", "")
    answered = items.filter(position=shown, answered_at__isnull=False).first() if shown.isdigit() else None
    if answered is not None:
        context["feedback"] = feedback_for(answered)
        partial = "feedback-card"
    elif quiz.is_finished:
        context["rows"] = summary_rows(list(items))
        partial = "summary"
    else:
        context["question"] = question_for(items.filter(answered_at__isnull=True).first())
        partial = "question-card"
    template = "quizzes/take.html"
    if request.htmx:
        template += "#" + partial
    return render(request, template, context)


@login_required
@require_POST
def answer(request: HtmxHttpRequest, quiz_id, position):
    submission = Submission(request.POST.get("response"), request.POST.get("choice"))
    try:
        item = record_answer(request.user, quiz_id, position, submission, timezone.now())
    except AnswerRejected as error:
        return _bad_request(request, str(error))
    if not request.htmx:
        # Post/redirect/get: a reload shows the feedback again instead of re-posting.
        return redirect(reverse("quizzes:take", args=[quiz_id]) + f"?answered={position}")
    context = {
        "quiz": item.quiz,
        "items_total": item.quiz.item_count,
        "feedback": feedback_for(item),
    }
    return render(request, "quizzes/take.html#feedback-card", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HtmxHttpRequest):
    now = timezone.now()
    if request.method == "POST":
        quiz = start_review(request.user, now)
        if quiz is None:
            messages.info(request, _("Nothing is due for review right now."))
            return redirect("quizzes:review")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("quizzes:take", args=[quiz.pk]))
        return redirect("quizzes:take", quiz_id=quiz.pk)
    cards = Card.objects.filter(user=request.user, fact__is_active=True)
    due = cards.filter(due__lte=now)
    context = {
        "due_total": due.count(),
        "due_by_topic": due.values("topic__name", "topic__slug")
        .annotate(count=Count("id"))
        .order_by("topic__name"),
        "next_due": cards.filter(due__gt=now).order_by("due").values_list("due", flat=True).first(),
        "open_review": Quiz.objects.filter(
            user=request.user, mode=Quiz.Mode.REVIEW, finished_at__isnull=True
        ).first(),
    }
    return render(request, "quizzes/review.html", context)
