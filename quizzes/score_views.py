"""The "my scores" page: totals, mastery and trends per topic, and the facts missed most."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from quizzes import charts
from quizzes.context_processors import today_for
from quizzes.habits import Today, local_day, streak
from quizzes.models import Card
from quizzes.presenting import highlighted_sentence
from quizzes.scores import answers_per_day, most_missed, topic_rows

RECENT_WEEKS = 22


@dataclass(frozen=True)
class MissedFact:
    card: Card
    sentence_html: SafeString  # the fact's sentence with its answer highlighted


@dataclass(frozen=True)
class Habit:
    today: Today
    streak: int
    year: charts.Heatmap
    recent: charts.Heatmap  # the last months: what a phone's width shows legibly


def habit(user, now) -> Habit:
    tz = timezone.get_current_timezone()
    today = today_for(user, now)
    day = local_day(now, tz)
    per_day = answers_per_day(user, day - timedelta(weeks=charts.YEAR_WEEKS), tz)
    return Habit(
        today=today,
        streak=streak(per_day, today.goal, day),
        year=charts.heatmap(per_day, day, today.goal),
        recent=charts.heatmap(per_day, day, today.goal, weeks=RECENT_WEEKS),
    )


@login_required
@require_safe
def scores(request):
    now = timezone.now()
    rows = topic_rows(request.user, now)
    accuracy_chart = charts.bar_chart([(row.topic.name, row.accuracy) for row in rows])
    missed = [MissedFact(card, highlighted_sentence(card.fact)) for card in most_missed(request.user)]
    return render(
        request,
        "quizzes/scores.html",
        {
            "rows": rows,
            "accuracy_chart": accuracy_chart,
            "most_missed": missed,
            "habit": (status := habit(request.user, now)),
            "today": status.today,  # the navigation's figures too: counted once
        },
    )
