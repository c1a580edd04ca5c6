"""The "my scores" page: totals, mastery and trends per topic, and the facts missed most."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from articles.models import Topic
from articles.rendering import render_answer, render_sentence
from quizzes import charts
from quizzes.context_processors import today_for
from quizzes.habits import Today, local_day, start_of_day, streak
from quizzes.models import Card, KeyFact, QuizItem, TopicScore
from quizzes.scheduling import recall_probability_sum

MOST_MISSED_LIMIT = 10
RECENT_WEEKS = 22


@dataclass
class TopicRow:
    """One topic's line on the scores page."""

    topic: Topic
    active_facts: int
    score: TopicScore | None = None
    seen: int = 0  # active facts with a card: facts the learner has met
    due: int = 0
    recall_total: float = 0.0  # summed recall probability of those cards, now
    trend: charts.Sparkline = field(default_factory=lambda: charts.sparkline([]))

    @property
    def accuracy(self) -> float | None:
        return self.score.accuracy if self.score else None

    @property
    def mastery(self) -> float | None:
        return self.seen / self.active_facts if self.active_facts else None

    @property
    def mean_recall(self) -> float | None:
        return self.recall_total / self.seen if self.seen else None

    @property
    def accuracy_percent(self) -> str:
        return charts.format_percent(self.accuracy)

    @property
    def last_percent(self) -> str:
        return charts.format_percent(self.score.last_score if self.score else None)

    @property
    def best_percent(self) -> str:
        return charts.format_percent(self.score.best_score if self.score else None)

    @property
    def mastery_percent(self) -> str:
        return charts.format_percent(self.mastery)

    @property
    def recall_percent(self) -> str:
        return charts.format_percent(self.mean_recall)

    @property
    def likely_recalled(self) -> int:
        """Of the facts seen, how many the learner would most likely recall right now."""
        return round(self.recall_total)


def topic_rows(user, now) -> list[TopicRow]:
    """Every topic the learner has scores or cards in, in four queries whatever the history."""
    active_topics = Topic.objects.filter(
        Q(pk__in=TopicScore.objects.for_user(user).values("topic"))
        | Q(pk__in=Card.objects.filter(user=user).values("fact__topic"))
    )
    rows = {topic.pk: TopicRow(topic=topic, active_facts=0) for topic in active_topics}
    # Counted on its own, not annotated onto the topics: this way the (topic, is_active) index
    # answers it alone, where the join grouped by every topic column read each fact row.
    fact_counts = (
        KeyFact.objects.active().filter(topic__in=list(rows)).values_list("topic").annotate(n=Count("pk"))
    )
    for topic_id, count in fact_counts.order_by():
        rows[topic_id].active_facts = count

    for score in TopicScore.objects.for_user(user).filter(topic__in=rows):
        rows[score.topic_id].score = score
        rows[score.topic_id].trend = charts.sparkline(score.recent_scores or [])

    # Counted and summed in the database, whatever the number of cards. A card counts towards
    # its fact's topic (a note's move updates both, see quizzes.topic_moves).
    per_topic = (
        Card.objects.filter(user=user, fact__is_active=True)
        .values_list("fact__topic")
        .annotate(
            seen=Count("pk"),
            due=Count("pk", filter=Q(due__lte=now)),  # the same rule as Card.objects.due_for
            recall=recall_probability_sum(now),
        )
        .order_by()
    )
    for topic_id, seen, due, recall_total in per_topic:
        row = rows[topic_id]
        row.seen, row.due, row.recall_total = seen, due, recall_total or 0.0
    return list(rows.values())


@dataclass(frozen=True)
class MissedFact:
    card: Card
    sentence_html: SafeString  # the fact's sentence with its answer highlighted
    paragraph_url: str


def most_missed(user, limit: int = MOST_MISSED_LIMIT) -> list[MissedFact]:
    cards = (
        Card.objects.filter(user=user, misses__gt=0, fact__is_active=True)
        .select_related("fact__article")
        .order_by("-misses", "fact__article__title", "fact__position")[:limit]
    )
    missed = []
    for card in cards:
        fact = card.fact
        # The rendering functions sanitise what they render, so their HTML can be trusted.
        answer = format_html('<mark class="fact">{}</mark>', mark_safe(render_answer(fact.answer)))
        sentence = mark_safe(render_sentence(fact.sentence, answer))
        url = fact.article.get_absolute_url() + (f"#{fact.anchor}" if fact.anchor else "")
        missed.append(MissedFact(card=card, sentence_html=sentence, paragraph_url=url))
    return missed


def answers_per_day(user, since_day: date, tz) -> dict[date, int]:
    """The learner's answers per day of their time zone, from `since_day` on (one GROUP BY)."""
    days = (
        QuizItem.objects.answered_by(user, start_of_day(since_day, tz))
        .annotate(day=TruncDate("answered_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(days)


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
    return render(
        request,
        "quizzes/scores.html",
        {
            "rows": rows,
            "accuracy_chart": accuracy_chart,
            "most_missed": most_missed(request.user),
            "habit": (status := habit(request.user, now)),
            "today": status.today,  # the navigation's figures too: counted once
        },
    )
