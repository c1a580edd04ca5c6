"""Spaced repetition with FSRS: one card per learner and fact, updated with every answer."""

from datetime import datetime
from functools import lru_cache

import fsrs
from django.conf import settings
from django.db.models import Case, DateTimeField, F, FloatField, Func, Q, Sum, Value, When
from django.db.models.functions import Power

from quizzes.fsrs_terms import DEFAULT_RETENTION, RATING_FOR_VERDICT, VERDICT_FOR_RATING, Rating, State
from quizzes.models import Card, KeyFact, ReviewLog
from quizzes.selection import fill_in_next_after


@lru_cache(maxsize=64)
def scheduler_for(
    retention: float = DEFAULT_RETENTION, fuzzing: bool | None = None
) -> fsrs.Scheduler:
    if fuzzing is None:
        fuzzing = settings.NOTESITE_FSRS_FUZZING
    return fsrs.Scheduler(desired_retention=retention, enable_fuzzing=fuzzing)


def _as_fsrs(card: Card) -> fsrs.Card:
    # Our own id, always: fsrs would otherwise mint one from the clock (and sleep to do so).
    return fsrs.Card(
        card_id=card.pk or 0,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def new_card(user_id: int, fact: KeyFact, now: datetime) -> Card:
    return Card(user_id=user_id, fact=fact, topic_id=fact.topic_id, due=now, step=0)


def review(card: Card, verdict: str, now: datetime, retention: float) -> ReviewLog:
    """Apply one answer to `card` (in memory) and return its unsaved review log."""
    previous = snapshot(card)
    rating = RATING_FOR_VERDICT[verdict]
    updated, _ = scheduler_for(retention).review_card(_as_fsrs(card), rating, review_datetime=now)
    card.state = updated.state.value
    card.step = updated.step
    card.stability = updated.stability
    card.difficulty = updated.difficulty
    card.due = updated.due
    card.last_review = updated.last_review
    card.reviews += 1
    if rating == Rating.Again:
        card.misses += 1
    card.fill_in_next = fill_in_next_after(rating != Rating.Again)
    return ReviewLog(card=card, rating=rating.value, reviewed_at=now, previous=previous)


def _forgetting_curve() -> tuple[float, float]:
    """FSRS's (decay, factor): recall after t days at stability S is (1 + factor·t/S) ** decay."""
    decay = -scheduler_for().parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


class _ElapsedDays(Func):
    """Whole days from a datetime column to `now`, never negative: timedelta.days in SQL."""

    output_field = FloatField()

    def __init__(self, column: str, now: datetime):
        super().__init__(Value(now, output_field=DateTimeField()), F(column))

    def as_sqlite(self, compiler, connection, **extra_context):
        # Datetimes are ISO text here, which julianday() reads; CAST truncates like .days.
        return self.as_sql(
            compiler,
            connection,
            template="MAX(0, CAST(julianday(%(expressions)s) AS INTEGER))",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400))",
            arg_joiner=" - ",
            **extra_context,
        )


def recall_probability_sum(now: datetime) -> Sum:
    """retrievability summed over cards in the database: no row comes to Python."""
    decay, factor = _forgetting_curve()
    recall = Power(
        Value(1.0) + Value(factor) * _ElapsedDays("last_review", now) / F("stability"), Value(decay)
    )
    return Sum(
        Case(
            When(Q(last_review__isnull=True) | Q(stability__isnull=True), then=Value(0.0)),
            default=recall,
            output_field=FloatField(),
        )
    )


def retrievability(card: Card, now: datetime) -> float:
    """The probability of recalling the fact now (0 for a card never reviewed): the formula of
    fsrs.Scheduler.get_card_retrievability, without building an fsrs.Card."""
    if card.last_review is None or card.stability is None:
        return 0.0
    decay, factor = _forgetting_curve()
    elapsed_days = max(0, (now - card.last_review).days)
    return (1 + factor * elapsed_days / card.stability) ** decay


_MEMORY = ("state", "step", "stability", "difficulty", "due", "last_review")


def snapshot(card: Card) -> dict:
    """The card's memory state as JSON: what a review log keeps of the card before it."""
    state = {}
    for field in _MEMORY:
        value = getattr(card, field)
        state[field] = value.isoformat() if isinstance(value, datetime) else value
    return state


def _restore(card: Card, state: dict) -> None:
    for field in _MEMORY:
        value = state.get(field)
        if field in ("due", "last_review") and value is not None:
            value = datetime.fromisoformat(value)
        setattr(card, field, value)


def rerate(card: Card, logs: list[ReviewLog], corrected: ReviewLog, retention: float) -> bool:
    """Re-apply the card's ratings from `corrected` on (its rating already changed), in memory,
    and return whether it could: `logs` is the card's whole history, oldest first.

    FSRS is deterministic in state, stability and difficulty, so the card becomes the one it
    would have been had the rating been right the first time (a fuzzed due date may differ).
    A log kept without the card's state before it is replayed from the first review, which
    needs the whole history; otherwise the card is left as it is.
    """
    reviews, misses = card.reviews, card.misses
    start = logs.index(corrected)
    if corrected.previous is not None:
        _restore(card, corrected.previous)
    elif card.reviews == len(logs):
        _restore(card, snapshot(Card(due=logs[0].reviewed_at, step=0)))
        start = 0
    else:
        return False
    for log in logs[start:]:
        log.previous = review(card, VERDICT_FOR_RATING[log.rating], log.reviewed_at, retention).previous
    card.reviews = reviews
    again = Rating.Again.value
    card.misses = sum(log.rating == again for log in logs) if start == 0 else max(0, misses - 1)
    return True
