"""Spaced repetition with FSRS: one card per learner and fact, updated with every answer."""

from datetime import datetime
from functools import lru_cache

import fsrs
from django.conf import settings

from quizzes.models import Card, KeyFact, ReviewLog

# What an answer tells FSRS: wrong -> Again, right with a typo -> Hard, right -> Good.
RATING_FOR_VERDICT = {
    "wrong": fsrs.Rating.Again,
    "typo": fsrs.Rating.Hard,
    "correct": fsrs.Rating.Good,
}
DEFAULT_RETENTION = 0.9


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
        state=fsrs.State(card.state),
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
    rating = RATING_FOR_VERDICT[verdict]
    updated, _ = scheduler_for(retention).review_card(_as_fsrs(card), rating, review_datetime=now)
    card.state = updated.state.value
    card.step = updated.step
    card.stability = updated.stability
    card.difficulty = updated.difficulty
    card.due = updated.due
    card.last_review = updated.last_review
    card.reviews += 1
    if rating == fsrs.Rating.Again:
        card.misses += 1
    return ReviewLog(card=card, rating=rating.value, reviewed_at=now)


def recall_probability(stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """FSRS's retrievability from a card's two numbers (0 for a card never reviewed).

    The same formula as fsrs.Scheduler.get_card_retrievability, without building an fsrs.Card
    per row: the scores page computes it for every card a learner has.
    """
    if last_review is None or stability is None:
        return 0.0
    decay = -scheduler_for().parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    elapsed_days = max(0, (now - last_review).days)
    return (1 + factor * elapsed_days / stability) ** decay


def retrievability(card: Card, now: datetime) -> float:
    """The probability of recalling the fact now (0 for a card never reviewed)."""
    return recall_probability(card.stability, card.last_review, now)
