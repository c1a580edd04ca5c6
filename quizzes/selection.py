"""Which facts a quiz asks, and how: pure functions over plain data."""

import math
import random
from dataclasses import dataclass
from datetime import datetime

FILL_IN = "fill_in"
MULTIPLE_CHOICE = "mcq"
# At least this share of a quiz is typed, new facts included, so recall is practised from the
# first session on rather than only once facts are known.
FILL_IN_SHARE = 1 / 3


@dataclass(frozen=True)
class Candidate:
    """A fact that can be asked, with the learner's memory of it (None: never seen)."""

    fact_id: int
    question_ids: dict[str, int]  # question type -> id of a usable question
    due: datetime | None = None
    state: int | None = None
    misses: int = 0
    last_review: datetime | None = None
    fill_in_next: bool = False  # the last answer was right: ask for recall next


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
    """Recognition until the learner gets the fact right, then recall; a miss steps back."""
    preferred = FILL_IN if candidate.fill_in_next else MULTIPLE_CHOICE
    if preferred in candidate.question_ids:
        return preferred
    return FILL_IN if preferred == MULTIPLE_CHOICE else MULTIPLE_CHOICE


def fill_in_next_after(correct: bool) -> bool:
    """Right (as either type) moves a fact on to, or keeps it at, fill-in; wrong goes to MCQ."""
    return correct


def mixed_types(chosen: list[Candidate], rng: random.Random) -> list[str]:
    """Each chosen fact's question type, with unseen facts typed until FILL_IN_SHARE is met.

    Facts the learner missed stay multiple choice: only never-seen facts are moved up.
    """
    types = [question_type_for(candidate) for candidate in chosen]
    wanted = math.ceil(len(chosen) * FILL_IN_SHARE) - types.count(FILL_IN)
    movable = [
        index
        for index, candidate in enumerate(chosen)
        if candidate.due is None and types[index] != FILL_IN and FILL_IN in candidate.question_ids
    ]
    for index in rng.sample(movable, max(0, min(wanted, len(movable)))):
        types[index] = FILL_IN
    return types


def select(candidates: list[Candidate], size: int, now: datetime, rng: random.Random) -> list[Pick]:
    """The `size` facts to ask, in the order to ask them.

    Ties inside a tier are broken at random, so two quizzes on unseen material differ;
    the chosen questions are then shuffled so the tiers do not show in the order.
    """
    usable = [candidate for candidate in candidates if candidate.question_ids]
    rng.shuffle(usable)
    chosen = sorted(usable, key=lambda candidate: tier(candidate, now))[:size]
    rng.shuffle(chosen)
    return [
        Pick(candidate.fact_id, candidate.question_ids[question_type], question_type)
        for candidate, question_type in zip(chosen, mixed_types(chosen, rng), strict=True)
    ]


def shuffled_options(answer: str, wrong_options: list[str], rng: random.Random) -> list[str]:
    options = [answer, *wrong_options]
    rng.shuffle(options)
    return options
