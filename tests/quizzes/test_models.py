"""The quizzes models' rules: usable questions, the review queue, a fact's address, choices."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import fsrs_terms, grading, kinds
from quizzes.models import Card, KeyFact, Question, QuizItem
from tests.factories import QUIZ_BODY, make_article, make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def question():
    article = make_article(body=QUIZ_BODY)
    return Question.objects.filter(fact__article=article).select_related("fact").first()


# Question.objects.usable()


def test_a_generated_enabled_question_of_an_active_fact_is_usable(question):
    assert question in Question.objects.usable()


@pytest.mark.parametrize(
    "change",
    [{"is_disabled": True}, {"is_generated": False}],
    ids=["disabled by an editor", "no longer generated"],
)
def test_a_question_disabled_or_no_longer_generated_is_not_usable(question, change):
    Question.objects.filter(pk=question.pk).update(**change)
    assert question not in Question.objects.usable()


def test_a_question_of_a_retired_fact_is_not_usable(question):
    KeyFact.objects.filter(pk=question.fact_id).update(is_active=False)
    assert question not in Question.objects.usable()


# Card.objects.for_user(user).active().due(now)


def make_card(user, fact, **fields) -> Card:
    fields.setdefault("due", NOW - timedelta(hours=1))
    return Card.objects.create(user=user, fact=fact, topic_id=fact.topic_id, **fields)


def queue(user, now=NOW):
    return set(Card.objects.for_user(user).active().due(now))


def test_a_card_whose_time_has_come_is_due(learner, question):
    card = make_card(learner, question.fact)
    assert queue(learner) == {card}
    assert card.is_due(NOW)


def test_a_card_due_exactly_now_is_due(learner, question):
    card = make_card(learner, question.fact, due=NOW)
    assert queue(learner) == {card}
    assert card.is_due(NOW)


@pytest.mark.parametrize(
    "fields",
    [
        {"due": NOW + timedelta(minutes=1)},
        {"suspended": True},
        {"buried_until": NOW + timedelta(hours=8)},
    ],
    ids=["due later", "suspended", "buried until later"],
)
def test_a_card_due_later_suspended_or_buried_is_not_due(learner, question, fields):
    card = make_card(learner, question.fact, **fields)
    assert queue(learner) == set()
    assert not card.is_due(NOW)


def test_a_card_buried_until_a_moment_past_is_due_again(learner, question):
    card = make_card(learner, question.fact, buried_until=NOW - timedelta(minutes=1))
    assert queue(learner) == {card}
    assert card.is_due(NOW)


def test_a_card_of_a_retired_fact_is_not_active(learner, question):
    card = make_card(learner, question.fact)
    assert set(Card.objects.active()) == {card}
    KeyFact.objects.filter(pk=question.fact_id).update(is_active=False)
    assert set(Card.objects.active()) == set()
    assert queue(learner) == set()


def test_another_learners_cards_are_not_for_this_one(learner, question):
    other = make_user()
    theirs = make_card(other, question.fact)
    assert queue(learner) == set()
    assert set(Card.objects.for_user(other)) == {theirs}


def test_in_play_keeps_cards_not_yet_due_and_leaves_out_suspended_and_buried(learner):
    facts = list(KeyFact.objects.filter(article=make_article(body=QUIZ_BODY)))
    later = make_card(learner, facts[0], due=NOW + timedelta(days=2))
    make_card(learner, facts[1], suspended=True)
    make_card(learner, facts[2], buried_until=NOW + timedelta(hours=1))
    assert set(Card.objects.for_user(learner).in_play(NOW)) == {later}


# KeyFact.get_absolute_url()


def test_a_fact_links_to_its_paragraph_in_its_article(question):
    fact = question.fact
    assert fact.anchor, "the sample article's facts should be anchored"
    assert fact.get_absolute_url() == f"{fact.article.get_absolute_url()}#{fact.anchor}"


def test_a_fact_without_an_anchor_links_to_its_article(question):
    fact = question.fact
    fact.anchor = ""
    assert fact.get_absolute_url() == fact.article.get_absolute_url()


# Choices built from the plain enums


@pytest.mark.parametrize(
    ("choices", "enum"),
    [
        (QuizItem.Verdict, grading.Verdict),
        (Card.State, fsrs_terms.State),
        (KeyFact.Kind, kinds.Kind),
        (KeyFact.Script, kinds.Script),
    ],
)
def test_the_models_choices_are_the_plain_enums_values(choices, enum):
    assert [value for value, _ in choices.choices] == [member.value for member in enum]
    assert all(member.value in choices.values for member in enum)
