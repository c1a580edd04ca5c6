"""A quiz ends no earlier than its last answer, so a learner's answers since a moment are found
among their open or recently ended quizzes: the rule every way of ending a quiz keeps, and the
counts that rely on it."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes import answer_sql
from quizzes.answering import Submission, abandon, record_answer, start_topic_quiz, withdraw_retired_items
from quizzes.models import KeyFact, Quiz, QuizItem
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
GAVE_UP = Submission(None, None, gave_up=True)
ends_after_last_answer = importlib.import_module(
    "quizzes.migrations.0010_quiz_ends_after_last_answer"
).end_quizzes_after_their_last_answer


def _answer(user, quiz, position, now):
    return record_answer(user, quiz.pk, position, GAVE_UP, now)


def _last_answer(quiz):
    return max(quiz.items.exclude(answered_at=None).values_list("answered_at", flat=True))


def test_an_answer_recorded_after_a_later_sent_one_finishes_the_quiz_at_the_later_time(learner, topic):
    # The answer to position 2 was sent first but waited for the lock; position 1's, sent ten
    # seconds later, was recorded before it.
    quiz = start_topic_quiz(learner, topic, 2, NOW)
    _answer(learner, quiz, 1, NOW + timedelta(seconds=10))
    _answer(learner, quiz, 2, NOW)
    quiz.refresh_from_db()
    assert quiz.finished_at == NOW + timedelta(seconds=10) == _last_answer(quiz)
    assert QuizItem.objects.answered_lately_by(learner, NOW + timedelta(seconds=5)).count() == 1


def test_a_quiz_finished_in_order_ends_at_its_last_answer(learner, topic):
    quiz = start_topic_quiz(learner, topic, 2, NOW)
    _answer(learner, quiz, 1, NOW)
    _answer(learner, quiz, 2, NOW + timedelta(seconds=30))
    quiz.refresh_from_db()
    assert quiz.finished_at == NOW + timedelta(seconds=30)


def test_an_unfinished_quiz_keeps_no_end(learner, topic):
    quiz = start_topic_quiz(learner, topic, 3, NOW)
    _answer(learner, quiz, 1, NOW)
    quiz.refresh_from_db()
    assert quiz.finished_at is None and quiz.answered_count == 1


def test_abandoning_dates_the_end_after_the_last_answer(learner, topic):
    quiz = start_topic_quiz(learner, topic, 3, NOW)
    _answer(learner, quiz, 1, NOW + timedelta(seconds=10))
    assert abandon(learner, quiz.pk, NOW).abandoned_at == NOW + timedelta(seconds=10)
    fresh = start_topic_quiz(learner, topic, 3, NOW)
    assert abandon(learner, fresh.pk, NOW).abandoned_at == NOW  # nothing answered: now


def test_withdrawing_the_last_open_questions_dates_the_end_after_the_last_answer(learner, topic):
    quiz = start_topic_quiz(learner, topic, 2, NOW)
    _answer(learner, quiz, 1, NOW + timedelta(seconds=10))
    KeyFact.objects.filter(pk=quiz.items.get(position=2).fact_id).update(is_active=False)
    assert withdraw_retired_items(quiz, NOW).is_finished
    quiz.refresh_from_db()
    assert quiz.finished_at == NOW + timedelta(seconds=10)


def test_the_migration_moves_ends_recorded_before_their_last_answer_and_nothing_else(learner, topic):
    early, on_time, still_open, abandoned, unanswered = (_retry_quiz(learner, topic) for _ in range(5))
    answered = NOW + timedelta(minutes=1)
    for quiz in (early, on_time, still_open, abandoned):
        _add_answers(quiz, topic, [answered - timedelta(seconds=5), answered])
    Quiz.objects.filter(pk=early.pk).update(finished_at=NOW)
    Quiz.objects.filter(pk=on_time.pk).update(finished_at=answered + timedelta(seconds=1))
    Quiz.objects.filter(pk=abandoned.pk).update(abandoned_at=NOW)
    Quiz.objects.filter(pk=unanswered.pk).update(abandoned_at=NOW)
    before = {quiz.pk: (quiz.answered_count, quiz.correct_count) for quiz in Quiz.objects.all()}
    items_before = list(QuizItem.objects.order_by("pk").values_list("pk", "answered_at", "verdict"))

    ends_after_last_answer(apps, None)

    ends = {quiz.pk: (quiz.finished_at, quiz.abandoned_at) for quiz in Quiz.objects.all()}
    assert ends[early.pk] == (answered, None)
    assert ends[on_time.pk] == (answered + timedelta(seconds=1), None)
    assert ends[still_open.pk] == (None, None)
    assert ends[abandoned.pk] == (None, answered)
    assert ends[unanswered.pk] == (None, NOW)
    assert {quiz.pk: (quiz.answered_count, quiz.correct_count) for quiz in Quiz.objects.all()} == before
    assert list(QuizItem.objects.order_by("pk").values_list("pk", "answered_at", "verdict")) == items_before


def _retry_quiz(user, topic):
    """A quiz with no items yet (retries are not limited to one open quiz per topic)."""
    return Quiz.objects.create(user=user, topic=topic, mode=Quiz.Mode.RETRY, item_count=3)


def _add_answers(quiz, topic, times, begun_before=timedelta(0)):
    """Answered items at `times`, counted on the quiz, which began `begun_before` the first."""
    fact = topic.facts.first()
    question = fact.questions.first()
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, position=position, question=question, fact=fact, answered_at=at, verdict="wrong")
        for position, at in enumerate(times, start=1)
    )
    began = min(times, default=NOW) - begun_before
    Quiz.objects.filter(pk=quiz.pk).update(answered_count=len(times), created_at=began)


# A quiz's answers, hours from NOW, and how it stands: open, finished or abandoned some hours
# after its last answer (the rule), or never answered. Whole hours make answers, ends and the
# moment asked about fall on one another often.
quiz_histories = st.lists(
    st.tuples(
        st.lists(st.integers(-10, 10), max_size=3),
        st.sampled_from(["open", "finished", "abandoned"]),
        st.integers(0, 5),  # the end, hours after the last answer
        st.integers(0, 30),  # the start, hours before the first answer
        st.booleans(),  # the learner's own quiz
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=quiz_histories, since=st.integers(-12, 12))
def test_answers_since_a_moment_are_found_among_quizzes_open_or_ended_since(learner, topic, histories, since):
    other = make_user()
    Quiz.objects.filter(user__in=[learner, other]).delete()
    for answers, standing, end_after, begun_before, own in histories:
        user = learner if own else other
        quiz = _retry_quiz(user, topic)
        times = [NOW + timedelta(hours=hours) for hours in answers]
        _add_answers(quiz, topic, times, timedelta(hours=begun_before))
        end = NOW + timedelta(hours=max(answers, default=0) + end_after)
        if standing != "open":
            Quiz.objects.filter(pk=quiz.pk).update(**{f"{standing}_at": end})
    moment = NOW + timedelta(hours=since)
    every_answer = QuizItem.objects.filter(quiz__user=learner, answered_at__gte=moment).count()
    assert QuizItem.objects.answered_by(learner, moment).count() == every_answer
    assert QuizItem.objects.answered_lately_by(learner, moment).count() == every_answer
    # The answer's own count, read with a fresh item of an open quiz.
    to_answer = _retry_quiz(learner, topic)
    fact = topic.facts.first()
    QuizItem.objects.create(quiz=to_answer, position=1, question=fact.questions.first(), fact=fact)
    with transaction.atomic():
        read = answer_sql.read_item(learner.pk, to_answer.pk, 1, NOW, moment)
    assert read.done_before == every_answer
