"""The write anchor: the least a writing view can cost on this stack, for the bench to measure
answer submissions against (bench.urls routes it; the site never does).

A signed-in learner's POST that, in one transaction, locks one row (their card), makes three
updates (the card, its topic score, its fill-in question) and one insert (a review log), and
renders a small template partial.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes.fsrs_terms import Rating
from quizzes.models import Card, Question, ReviewLog, TopicScore


@login_required
@require_POST
def write_anchor(request, card_id):
    now = timezone.now()
    with transaction.atomic():
        card = get_object_or_404(Card.objects.select_for_update(), pk=card_id, user=request.user)
        Card.objects.filter(pk=card.pk).update(reviews=F("reviews") + 1, last_review=now)
        TopicScore.objects.filter(user=request.user, topic_id=card.topic_id).update(
            answered=F("answered") + 1, correct=F("correct") + 1
        )
        Question.objects.filter(fact_id=card.fact_id, type=Question.Type.FILL_IN).update(
            times_asked=F("times_asked") + 1, times_correct=F("times_correct") + 1
        )
        log = ReviewLog.objects.create(card=card, rating=Rating.Good, reviewed_at=now)
    return render(request, "bench/write_anchor.html#written", {"log": log})
