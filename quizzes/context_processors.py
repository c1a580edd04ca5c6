"""The navigation's "due now / done today" for a signed-in learner, in one query per page."""

from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Subquery
from django.utils import timezone

from quizzes.habits import DEFAULT_DAILY_GOAL, Today, local_day, start_of_day
from quizzes.models import Card, LearnerProfile, QuizItem, count_of


def today_for(user, now) -> Today:
    """Reviews due now, answers since the learner's midnight (the active time zone) and the goal."""
    tz = timezone.get_current_timezone()
    since = start_of_day(local_day(now, tz), tz)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            due=count_of(Card.objects.for_user(user).active().due(now)),
            done=count_of(QuizItem.objects.answered_lately_by(user, since)),
            goal=Subquery(LearnerProfile.objects.filter(user=user).values("daily_goal")[:1]),
        )
        .values_list("due", "done", "goal")
        .get()
    )
    return Today(due=row[0], done=row[1], goal=row[2] or DEFAULT_DAILY_GOAL)


def today(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Lazy and memoised: a page without the navigation never runs the query, and a
    # template that reads it three times runs it once.
    @cache
    def status():
        return today_for(user, timezone.now())

    return {"today": status}
