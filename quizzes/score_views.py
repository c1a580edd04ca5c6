"""The "my scores" page: totals, mastery and trends per topic, and the facts missed most."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from articles.models import Topic
from articles.rendering import render_answer, render_sentence
from quizzes import charts
from quizzes.models import Card, KeyFact, TopicScore
from quizzes.scheduling import recall_probability_sum

MOST_MISSED_LIMIT = 10


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


@login_required
@require_GET
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
        },
    )
