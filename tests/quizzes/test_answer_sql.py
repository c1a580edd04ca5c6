"""The answer's fixed SQL against the ORM it stands for: the same rows read, the same rows written,
and the navigation's counts by the QuerySets' own rules."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes import answer_sql, scheduling
from quizzes.answering import Submission, record_answer, start_topic_quiz
from quizzes.models import Card, KeyFact, LearnerProfile, Quiz, QuizItem, ReviewLog, TopicScore
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=123456)


def _field_values(instance, names=None):
    names = names or [field.attname for field in type(instance)._meta.concrete_fields]
    return {name: getattr(instance, name) for name in names}


def _read(user, item, now=NOW, day_start=None):
    with transaction.atomic():
        since = day_start or now - timedelta(hours=5)
        return answer_sql.read_item(user.pk, item.quiz_id, item.position, now, since)


@pytest.fixture
def learner():
    return make_user()


@pytest.fixture
def quiz(learner, topic):
    return start_topic_quiz(learner, topic, 5, NOW)


def test_the_item_read_is_the_orm_item_with_its_quiz_fact_and_link(learner, quiz):
    item = quiz.items.order_by("position").first()
    KeyFact.objects.filter(pk=item.fact_id).update(warnings=[{"code": "x", "line": 1}], is_exact=True)
    read = _read(learner, item)
    expected = QuizItem.objects.select_related("quiz", "fact__article").get(pk=item.pk)
    assert _field_values(read.item, answer_sql.ITEM_FIELDS) == _field_values(expected, answer_sql.ITEM_FIELDS)
    assert _field_values(read.item.quiz) == _field_values(expected.quiz)
    assert _field_values(read.item.fact) == _field_values(expected.fact)
    assert read.item.fact.is_exact is True and read.item.fact.warnings == [{"code": "x", "line": 1}]
    assert read.item.quiz.created_at.tzinfo is not None
    assert read.item.fact.get_absolute_url() == expected.fact.get_absolute_url()


def test_another_learners_item_or_a_missing_position_reads_nothing(learner, quiz):
    item = quiz.items.first()
    assert _read(make_user(), item) is None
    item.position = 99
    assert _read(learner, item) is None


def test_a_learner_without_a_profile_gets_no_goal_and_no_retention(learner, quiz):
    LearnerProfile.objects.filter(user=learner).delete()
    read = _read(learner, quiz.items.first())
    assert (read.retention, read.daily_goal) == (None, None)


def test_the_learners_retention_goal_and_recent_scores_are_read(learner, quiz):
    chosen = {"daily_goal": 35, "desired_retention": 0.85}
    LearnerProfile.objects.update_or_create(user=learner, defaults=chosen)
    TopicScore.objects.filter(user=learner, topic=quiz.topic).update(recent_scores=[0.5, 0.75])
    read = _read(learner, quiz.items.first())
    assert (read.retention, read.daily_goal, read.recent_scores) == (0.85, 35, [0.5, 0.75])


card_states = st.lists(
    st.tuples(
        st.sampled_from([-3600, -1, 0, 1, 86400]),  # due, seconds from now
        st.booleans(),  # suspended
        st.sampled_from([None, -60, 0, 60]),  # buried until, seconds from now
        st.booleans(),  # the fact still taught
        st.booleans(),  # the learner's own card
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=card_states)
def test_the_due_count_is_the_querysets(learner, quiz, states):
    other = make_user()
    facts = list(KeyFact.objects.filter(topic=quiz.topic).order_by("pk"))
    Card.objects.filter(user__in=[learner, other]).delete()
    KeyFact.objects.filter(topic=quiz.topic).update(is_active=True)
    for fact, (due, suspended, buried, taught, own) in zip(facts, states, strict=False):
        Card.objects.create(
            user=learner if own else other,
            fact=fact,
            topic_id=fact.topic_id,
            due=NOW + timedelta(seconds=due),
            suspended=suspended,
            buried_until=None if buried is None else NOW + timedelta(seconds=buried),
        )
        if not taught:
            KeyFact.objects.filter(pk=fact.pk).update(is_active=False)
    item = quiz.items.first()
    due = _read(learner, item).due_before
    assert due == Card.objects.for_user(learner).active().due(NOW).count()
    assert due == Card.objects.filter(user=learner, fact__is_active=True).due(NOW).count()  # as a join


@pytest.mark.parametrize("hours_ago", [0, 1, 4, 5, 6, 30])
def test_the_done_count_is_answered_by_since_the_learners_midnight(learner, quiz, topic, hours_ago):
    other_quiz = start_topic_quiz(make_user(), topic, 5, NOW)
    answered_at = NOW - timedelta(hours=hours_ago)
    QuizItem.objects.filter(quiz=quiz, position__lte=2).update(answered_at=answered_at, verdict="correct")
    # Begun an hour before its answers, as a quiz is: before midnight or after, by hours_ago.
    Quiz.objects.filter(pk=quiz.pk).update(created_at=answered_at - timedelta(hours=1), answered_count=2)
    QuizItem.objects.filter(quiz=other_quiz).update(answered_at=NOW, verdict="correct")
    since = NOW - timedelta(hours=5)
    read = _read(learner, quiz.items.get(position=3), day_start=since)
    assert read.done_before == QuizItem.objects.answered_by(learner, since).count()
    assert read.done_before == QuizItem.objects.answered_lately_by(learner, since).count()
    assert read.done_before == (2 if hours_ago <= 5 else 0)


def _reviewed(card, verdict="correct"):
    log = scheduling.review(card, verdict, NOW, 0.9)
    return card, log


def test_a_new_card_is_stored_as_the_orm_stores_it(learner, quiz):
    fact, other_fact = KeyFact.objects.filter(topic=quiz.topic).order_by("pk")[:2]
    ours, _ = _reviewed(scheduling.new_card(learner.pk, fact, NOW))
    theirs, _ = _reviewed(scheduling.new_card(learner.pk, other_fact, NOW))
    assert answer_sql.insert_card(ours)
    theirs.save()
    stored_ours, stored_theirs = Card.objects.get(pk=ours.pk), Card.objects.get(pk=theirs.pk)
    different = {"id", "fact_id"}
    assert {k: v for k, v in _field_values(stored_ours).items() if k not in different} == {
        k: v for k, v in _field_values(stored_theirs).items() if k not in different
    }
    assert _field_values(stored_ours) == _field_values(ours)
    # Stored in the ORM's own form: its lookups find the card by its datetimes.
    assert Card.objects.filter(pk=ours.pk, due=ours.due, last_review=NOW).exists()


def test_a_reviewed_card_keeps_what_the_learner_set(learner, quiz):
    fact = KeyFact.objects.filter(topic=quiz.topic).first()
    card = Card.objects.create(user=learner, fact=fact, topic_id=fact.topic_id, due=NOW, step=0)
    read = answer_sql.read_card(learner.pk, fact.pk)
    assert _field_values(read) == _field_values(card)
    # Suspended in another tab after this answer read the card: the answer leaves that alone.
    Card.objects.filter(pk=card.pk).update(suspended=True, buried_until=NOW + timedelta(hours=3))
    reviewed, _ = _reviewed(read, "wrong")
    answer_sql.send([answer_sql.reviewed(reviewed)])
    stored = Card.objects.get(pk=card.pk)
    assert stored.suspended is True and stored.buried_until == NOW + timedelta(hours=3)
    assert _field_values(stored, answer_sql.REVIEWED_CARD_FIELDS) == _field_values(
        reviewed, answer_sql.REVIEWED_CARD_FIELDS
    )
    assert stored.misses == 1 and stored.reviews == 1


def test_no_card_reads_as_none(learner, quiz):
    assert answer_sql.read_card(learner.pk, KeyFact.objects.first().pk) is None


def test_the_review_log_keeps_the_cards_previous_state(learner, quiz):
    fact = KeyFact.objects.filter(topic=quiz.topic).first()
    card = Card.objects.create(
        user=learner, fact=fact, topic_id=fact.topic_id, due=NOW, step=0, stability=2.5, difficulty=5.0
    )
    card, log = _reviewed(card)
    log.card = card
    answer_sql.send([answer_sql.logged(log)])
    stored = ReviewLog.objects.get(card=card)
    assert (stored.rating, stored.reviewed_at, stored.duration_ms) == (log.rating, NOW, None)
    assert stored.previous == log.previous and stored.previous["stability"] == 2.5


def test_counts_add_to_the_quiz_question_and_score(learner, quiz):
    item = quiz.items.select_related("quiz", "fact").first()
    score = TopicScore.objects.get(user=learner, topic=quiz.topic)
    answer_sql.send([
        answer_sql.counted_in_quiz(item.quiz, 1, NOW),
        answer_sql.counted_for_question(item.question_id, 0),
        answer_sql.counted_in_score(learner.pk, quiz.topic_id, 1),
    ])
    item.quiz.refresh_from_db()
    item.question.refresh_from_db()
    score_after = TopicScore.objects.get(pk=score.pk)
    assert (item.quiz.answered_count, item.quiz.correct_count) == (1, 1)
    assert (item.question.times_asked, item.question.times_correct) == (1, 0)
    assert (score_after.answered, score_after.correct) == (score.answered + 1, score.correct + 1)


def test_the_answered_item_is_stored_as_the_orm_stores_it(learner, quiz):
    item = quiz.items.first()
    item.verdict, item.response, item.answered_at = "typo", "Gogle", NOW
    answer_sql.send([answer_sql.answered(item)])
    assert QuizItem.objects.filter(pk=item.pk, answered_at=NOW, verdict="typo", response="Gogle").exists()
    assert QuizItem.objects.answered_by(learner, NOW).count() == 1



def test_whether_the_facts_topic_has_a_score_row_is_read(learner, quiz):
    item = quiz.items.first()
    assert _read(learner, item).has_fact_score is True
    TopicScore.objects.filter(user=learner).delete()
    assert _read(learner, item).has_fact_score is False


def test_writes_sent_together_each_change_their_row_and_nothing_else(learner, quiz):
    first, second = quiz.items.select_related("quiz").order_by("position")[:2]
    others = QuizItem.objects.exclude(pk=first.pk).values_list("pk", "answered_at", "verdict")
    untouched = list(others)
    first.verdict, first.response, first.answered_at = "correct", "x", NOW
    answer_sql.send([answer_sql.answered(first), answer_sql.counted_for_question(first.question_id, 1),
                     answer_sql.counted_in_quiz(first.quiz, 1, NOW)])
    first.refresh_from_db()
    first.quiz.refresh_from_db()
    first.question.refresh_from_db()
    assert (first.verdict, first.answered_at) == ("correct", NOW)
    assert (first.quiz.answered_count, first.quiz.finished_at) == (1, None)
    assert (first.question.times_asked, first.question.times_correct) == (1, 1)
    assert list(others) == untouched


def test_a_new_card_for_a_fact_the_learner_has_a_card_of_stores_nothing(learner, quiz):
    fact = KeyFact.objects.filter(topic=quiz.topic).first()
    stored = Card.objects.create(user=learner, fact=fact, topic_id=fact.topic_id, due=NOW, step=0)
    late, _ = _reviewed(scheduling.new_card(learner.pk, fact, NOW))
    assert answer_sql.insert_card(late) is False
    assert late.pk is None
    assert list(Card.objects.filter(user=learner, fact=fact)) == [stored]
    assert _field_values(Card.objects.get(pk=stored.pk)) == _field_values(stored)


def test_an_answer_whose_facts_topic_has_no_score_row_creates_it_and_counts_there(learner, quiz):
    item = quiz.items.select_related("fact").first()
    TopicScore.objects.filter(user=learner).delete()
    answered = record_answer(learner, quiz.pk, item.position, Submission(None, None, gave_up=True), NOW)
    assert answered.verdict == "wrong"
    score = TopicScore.objects.get(user=learner, topic_id=item.fact.topic_id)
    assert (score.answered, score.correct) == (1, 0)
