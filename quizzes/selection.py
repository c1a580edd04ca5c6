"""Which facts a quiz asks, and how: pure functions over plain data."""

import random
from dataclasses import dataclass
from datetime import datetime

FILL_IN = "fill_in"
MULTIPLE_CHOICE = "mcq"
REVIEW_STATE = (
    2  # FSRS's Review: the learner knows the fact; ask them to recall it, not recognise it
)


@dataclass(frozen=True)
class Candidate:
    """A fact that can be asked, with the learner's memory of it (None: never seen)."""

    fact_id: int
    question_ids: dict[str, int]  # question type -> id of a usable question
    due: datetime | None = None
    state: int | None = None
    misses: int = 0
    last_review: datetime | None = None


@dataclass(frozen=True)
class Pick:
    fact_id: int
    question_id: int
    question_type: str


def tier(candidate: Candidate, now: datetime) -> tuple:
    """Sort key: due first (most overdue first), then missed, then unseen, then least recent."""
    if candidate.due is None:
        return (2, 0.0)
    if candidate.due <= now:
        return (0, candidate.due.timestamp())
    if candidate.misses:
        return (1, -candidate.misses)
    return (3, candidate.last_review.timestamp() if candidate.last_review else 0.0)


def question_type_for(candidate: Candidate) -> str:
    """Recognition while learning, recall once FSRS says the fact is known."""
    preferred = FILL_IN if candidate.state == REVIEW_STATE else MULTIPLE_CHOICE
    if preferred in candidate.question_ids:
        return preferred
    return FILL_IN if preferred == MULTIPLE_CHOICE else MULTIPLE_CHOICE


def select(candidates: list[Candidate], size: int, now: datetime, rng: random.Random) -> list[Pick]:
    """The `size` facts to ask, in the order to ask them.

    Ties inside a tier are broken at random, so two quizzes on unseen material differ;
    the chosen questions are then shuffled so the tiers do not show in the order.
    """
    usable = [candidate for candidate in candidates if candidate.question_ids]
    rng.shuffle(usable)
    chosen = sorted(usable, key=lambda candidate: tier(candidate, now))[:size]
    rng.shuffle(chosen)
    picks = []
    for candidate in chosen:
        question_type = question_type_for(candidate)
        picks.append(Pick(candidate.fact_id, candidate.question_ids[question_type], question_type))
    return picks


def shuffled_options(answer: str, wrong_options: list[str], rng: random.Random) -> list[str]:
    options = [answer, *wrong_options]
    rng.shuffle(options)
    return options
