"""The scores page's figures, read from the database: each topic's totals and memory, the facts
missed most, and the answers given per day."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from articles.models import Topic
from quizzes import charts
from quizzes.habits import start_of_day
from quizzes.models import Card, KeyFact, QuizItem, TopicScore, due_at
from quizzes.scheduling import recall_probability_sum

MOST_MISSED_LIMIT = 10


@dataclass
class TopicRow:
    """One topic's figures for a learner."""

    topic: Topic
    active_facts: int
    score: TopicScore | None = None
    seen: int = 0  # active facts with a card: facts the learner has met
    due: int = 0
    recall_total: float = 0.0  # summed recall probability of those cards, now

    @property
    def accuracy(self) -> float | None:
        return self.score.accuracy if self.score else None

    @property
    def last_score(self) -> float | None:
        return self.score.last_score if self.score else None

    @property
    def best_score(self) -> float | None:
        return self.score.best_score if self.score else None

    @property
    def mastery(self) -> float | None:
        return self.seen / self.active_facts if self.active_facts else None

    @property
    def mean_recall(self) -> float | None:
        return self.recall_total / self.seen if self.seen else None

    @property
    def likely_recalled(self) -> int:
        """Of the facts seen, how many the learner would most likely recall right now."""
        return round(self.recall_total)

    @cached_property
    def trend(self) -> charts.Sparkline:
        """The last finished quiz scores, oldest first, as a line."""
        return charts.sparkline((self.score.recent_scores if self.score else None) or [])


def topic_rows(user, now) -> list[TopicRow]:
    """Every topic the learner has scores or cards in, in four queries whatever the history."""
    active_topics = Topic.objects.filter(
        Q(pk__in=TopicScore.objects.for_user(user).values("topic"))
        | Q(pk__in=Card.objects.for_user(user).values("fact__topic"))
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

    # Counted and summed in the database, whatever the number of cards. A card counts towards
    # its fact's topic (a note's move updates both, see quizzes.topic_moves).
    per_topic = (
        Card.objects.for_user(user)
        .active()
        .values_list("fact__topic")
        .annotate(seen=Count("pk"), due=Count("pk", filter=due_at(now)), recall=recall_probability_sum(now))
        .order_by()
    )
    for topic_id, seen, due, recall_total in per_topic:
        row = rows[topic_id]
        row.seen, row.due, row.recall_total = seen, due, recall_total or 0.0
    return list(rows.values())


def most_missed(user, limit: int = MOST_MISSED_LIMIT) -> list[Card]:
    """The learner's cards of active facts missed at least once, most missed first."""
    return list(
        Card.objects.for_user(user)
        .active()
        .filter(misses__gt=0)
        .select_related("fact__article")
        .order_by("-misses", "fact__article__title", "fact__position")[:limit]
    )


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
