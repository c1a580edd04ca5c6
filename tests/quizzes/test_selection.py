"""Which facts a quiz asks, and as which type of question (quizzes/selection.py): pure functions."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from quizzes.selection import (
    FILL_IN,
    MULTIPLE_CHOICE,
    Candidate,
    fill_in_next_after,
    mixed_types,
    question_type_for,
    select,
    shuffled_options,
)

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
BOTH = {FILL_IN: 1, MULTIPLE_CHOICE: 2}
SEEDS = range(20)


def unseen(fact_id, questions=BOTH):
    return Candidate(fact_id, dict(questions))


def seen(fact_id, *, due, reviewed, misses=0, fill_in_next=False):
    state = 3 if misses else 2  # FSRS's relearning or review state
    return Candidate(
        fact_id, BOTH, due=due, state=state, misses=misses, last_review=reviewed, fill_in_next=fill_in_next
    )


def due(fact_id, *, days_overdue=0.0, misses=0):
    when = NOW - timedelta(days=days_overdue)
    return seen(fact_id, due=when, reviewed=when - timedelta(days=3), misses=misses)


def missed(fact_id, misses=1):
    """Missed lately, due again later."""
    return seen(fact_id, due=NOW + timedelta(hours=6), reviewed=NOW - timedelta(hours=1), misses=misses)


def resting(fact_id, *, reviewed_days_ago=2, fill_in_next=False):
    """Seen, never missed, not due yet."""
    reviewed = NOW - timedelta(days=reviewed_days_ago)
    return seen(fact_id, due=NOW + timedelta(days=5), reviewed=reviewed, fill_in_next=fill_in_next)


def chosen(candidates, size, seed=0) -> set[int]:
    return {pick.fact_id for pick in select(candidates, size, NOW, random.Random(seed))}


# --- which facts -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_due_facts_are_chosen_before_missed_unseen_and_resting_ones(seed):
    others = [unseen(1), unseen(2), missed(3, misses=5), resting(4, reviewed_days_ago=30)]
    assert chosen([*others, due(10), due(11)], 2, seed) == {10, 11}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_most_overdue_facts_are_chosen_first(seed):
    candidates = [due(fact_id, days_overdue=fact_id) for fact_id in range(1, 7)]
    assert chosen(candidates, 2, seed) == {5, 6}


def test_a_fact_due_this_very_moment_is_due_and_one_due_a_moment_later_is_not():
    now_due = seen(1, due=NOW, reviewed=NOW - timedelta(days=3))
    later = seen(2, due=NOW + timedelta(seconds=1), reviewed=NOW - timedelta(days=3))
    assert all(chosen([later, unseen(3), now_due], 1, seed) == {1} for seed in SEEDS)
    # Not due and never missed: an unseen fact comes before it.
    assert all(chosen([later, unseen(3)], 1, seed) == {3} for seed in SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_missed_facts_come_after_due_ones_and_before_unseen_ones(seed):
    candidates = [unseen(1), unseen(2), unseen(3), missed(4), missed(5), due(6)]
    assert chosen(candidates, 3, seed) == {4, 5, 6}
    assert chosen(candidates, 4, seed) - {4, 5, 6} <= {1, 2, 3}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_most_missed_facts_come_first(seed):
    candidates = [missed(1, misses=1), missed(2, misses=4), missed(3, misses=2), unseen(4)]
    assert chosen(candidates, 2, seed) == {2, 3}


@pytest.mark.parametrize("seed", SEEDS)
def test_unseen_facts_come_before_facts_that_are_neither_due_nor_missed(seed):
    candidates = [resting(1, reviewed_days_ago=90), unseen(2), unseen(3)]
    assert chosen(candidates, 2, seed) == {2, 3}


@pytest.mark.parametrize("seed", SEEDS)
def test_among_resting_facts_the_least_recently_reviewed_come_first(seed):
    candidates = [resting(fact_id, reviewed_days_ago=fact_id) for fact_id in range(1, 6)]
    assert chosen(candidates, 2, seed) == {4, 5}


def test_a_fact_without_a_usable_question_is_never_chosen():
    unaskable = Candidate(1, {}, due=NOW - timedelta(days=30), state=2, misses=9)
    candidates = [unaskable, unseen(2), resting(3)]
    for seed in SEEDS:
        assert chosen(candidates, 10, seed) == {2, 3}
    assert select([unaskable], 5, NOW, random.Random(0)) == []


def test_a_quiz_asks_each_fact_once_and_never_more_than_its_size():
    picks = select([unseen(n) for n in range(10)], 5, NOW, random.Random(0))
    assert len(picks) == 5 and len({pick.fact_id for pick in picks}) == 5


def test_a_quiz_is_shorter_when_there_are_fewer_facts_than_its_size():
    picks = select([unseen(1), due(2), missed(3)], 10, NOW, random.Random(0))
    assert sorted(pick.fact_id for pick in picks) == [1, 2, 3]


def test_each_pick_asks_its_facts_question_of_the_chosen_type():
    candidates = {n: Candidate(n, {FILL_IN: 100 + n, MULTIPLE_CHOICE: 200 + n}) for n in range(9)}
    for pick in select(list(candidates.values()), 9, NOW, random.Random(4)):
        assert pick.question_id == candidates[pick.fact_id].question_ids[pick.question_type]


def test_ties_are_broken_at_random_so_two_quizzes_on_new_material_differ():
    candidates = [unseen(n) for n in range(40)]
    quizzes = {frozenset(chosen(candidates, 5, seed)) for seed in SEEDS}
    assert len(quizzes) > 1


def test_the_same_seed_chooses_the_same_quiz_in_the_same_order():
    candidates = [unseen(n) for n in range(20)] + [due(n, days_overdue=1) for n in range(20, 25)]
    first = select(candidates, 10, NOW, random.Random(7))
    assert select(candidates, 10, NOW, random.Random(7)) == first


def test_the_order_of_the_questions_does_not_show_the_tiers():
    candidates = [due(1), missed(2), unseen(3), unseen(4), resting(5)]
    positions = {
        [pick.fact_id for pick in select(candidates, 5, NOW, random.Random(seed))].index(1) for seed in SEEDS
    }
    assert len(positions) > 1  # the due fact is not always asked first


# --- which type of question --------------------------------------------------------------------


def test_a_fact_answered_right_is_asked_as_fill_in_and_a_miss_goes_back_to_mcq():
    assert question_type_for(resting(1, fill_in_next=True)) == FILL_IN
    assert question_type_for(resting(1, fill_in_next=False)) == MULTIPLE_CHOICE


def test_a_fact_without_the_preferred_type_gets_the_other():
    assert question_type_for(Candidate(1, {MULTIPLE_CHOICE: 2}, fill_in_next=True)) == MULTIPLE_CHOICE
    assert question_type_for(Candidate(1, {FILL_IN: 1})) == FILL_IN


def test_a_right_answer_moves_the_fact_on_to_fill_in_and_a_wrong_one_back_to_mcq():
    assert fill_in_next_after(True) is True
    assert fill_in_next_after(False) is False


@pytest.mark.parametrize(("size", "typed"), [(3, 1), (5, 2), (10, 4), (20, 7)])
def test_a_first_quiz_of_new_facts_is_a_third_typed(size, typed):
    candidates = [Candidate(n, BOTH) for n in range(40)]
    picks = select(candidates, size, NOW, random.Random(size))
    assert [pick.question_type for pick in picks].count(FILL_IN) == typed


def test_missed_facts_are_never_moved_up_to_fill_in():
    chosen_facts = [missed(n, misses=2) for n in range(6)]
    assert mixed_types(chosen_facts, random.Random(1)) == [MULTIPLE_CHOICE] * 6


def test_seen_facts_asked_as_mcq_are_not_moved_up_to_fill_in():
    chosen_facts = [resting(n, fill_in_next=False) for n in range(6)]
    assert mixed_types(chosen_facts, random.Random(1)) == [MULTIPLE_CHOICE] * 6


def test_facts_already_typed_count_towards_the_share():
    chosen_facts = [resting(1, fill_in_next=True), resting(2, fill_in_next=True)] + [
        Candidate(n, BOTH) for n in range(3, 7)
    ]
    assert mixed_types(chosen_facts, random.Random(3)).count(FILL_IN) == 2


def test_no_new_fact_is_typed_once_the_share_is_met():
    chosen_facts = [resting(n, fill_in_next=True) for n in range(3)] + [unseen(n) for n in range(3, 6)]
    assert mixed_types(chosen_facts, random.Random(3)) == [FILL_IN] * 3 + [MULTIPLE_CHOICE] * 3


def test_every_new_fact_is_typed_when_there_are_too_few_to_meet_the_share():
    chosen_facts = [missed(n) for n in range(8)] + [unseen(8)]  # a third of nine: three wanted
    assert mixed_types(chosen_facts, random.Random(3)) == [MULTIPLE_CHOICE] * 8 + [FILL_IN]


def test_new_facts_without_a_fill_in_question_stay_multiple_choice():
    chosen_facts = [Candidate(n, {MULTIPLE_CHOICE: n}) for n in range(6)]
    assert mixed_types(chosen_facts, random.Random(3)) == [MULTIPLE_CHOICE] * 6


# --- the options of a multiple-choice question -------------------------------------------------


def test_the_options_are_the_answer_and_each_wrong_option_once():
    options = shuffled_options("AdamW", ["Adam", "SGD", "RMSprop"], random.Random(0))
    assert sorted(options) == sorted(["AdamW", "Adam", "SGD", "RMSprop"])


def test_the_answer_is_not_always_in_the_same_place():
    wrong = ["Adam", "SGD", "RMSprop"]
    places = {shuffled_options("AdamW", wrong, random.Random(seed)).index("AdamW") for seed in SEEDS}
    assert places == {0, 1, 2, 3}
