"""Spaced repetition: the clock is driven by the tests, never slept on."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.answering import Submission, record_answer, start_review, start_topic_quiz
from quizzes.models import Card, KeyFact, LearnerProfile, Quiz, ReviewLog
from quizzes.scheduling import new_card, recall_probability_sum, retrievability, review
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

BODY = "\n\n".join(
    f"第{n}条：模型{n}的名字是{{{{Model{chr(65 + n)}x ~Foo{n}a ~Bar{n}b ~Baz{n}c}}}}。" for n in range(6)
)


@pytest.fixture
def topic():
    topic = make_topic(slug="srs")
    make_article(topic=topic, slug="srs-note", body=BODY)
    return topic


def answer_all(user, quiz, *, correct, now):
    for item in quiz.items.order_by("position"):
        if item.options:
            index = (
                item.options.index(item.fact.answer)
                if correct
                else next(i for i, option in enumerate(item.options) if option != item.fact.answer)
            )
            submission = Submission(None, str(index))
        else:
            submission = Submission(item.fact.answer if correct else "错", None)
        record_answer(user, quiz.pk, item.position, submission, now)


def test_right_answers_come_due_later_than_wrong_ones(learner, topic):
    fact_right, fact_wrong = KeyFact.objects.all()[:2]
    right, wrong = new_card(learner.pk, fact_right, T0), new_card(learner.pk, fact_wrong, T0)
    review(right, "correct", T0, 0.9)
    review(wrong, "wrong", T0, 0.9)
    assert right.due > wrong.due
    # A wrong answer brings the fact back within the day.
    assert wrong.due - T0 < timedelta(days=1)
    assert wrong.misses == 1 and right.misses == 0


def test_a_typo_is_rated_hard(learner, topic):
    fact = KeyFact.objects.first()
    hard, good = new_card(learner.pk, fact, T0), new_card(learner.pk, fact, T0)
    assert review(hard, "typo", T0, 0.9).rating == 2
    review(good, "correct", T0, 0.9)
    assert hard.due <= good.due


def test_higher_retention_brings_reviews_sooner(learner, topic):
    fact = KeyFact.objects.first()
    dues = {}
    for retention in (0.8, 0.9, 0.97):
        card = new_card(learner.pk, fact, T0)
        now = T0
        for _ in range(4):  # graduate into the review state, then a real interval
            review(card, "correct", now, retention)
            now = card.due
        dues[retention] = card.due
    assert dues[0.97] < dues[0.9] < dues[0.8]


def test_answers_create_cards_in_the_same_transaction_and_keep_logs(learner, topic):
    quiz = start_topic_quiz(learner, topic, 5, T0)
    answer_all(learner, quiz, correct=True, now=T0)
    assert Card.objects.filter(user=learner).count() == 5
    assert ReviewLog.objects.filter(card__user=learner).count() == 5
    assert all(card.due > T0 for card in Card.objects.all())


def test_review_session_serves_exactly_what_is_due_and_the_page_counts_it(
    learner, learner_client, topic
):
    quiz = start_topic_quiz(learner, topic, 5, T0)
    answer_all(learner, quiz, correct=False, now=T0)
    later = T0 + timedelta(days=1)
    due = Card.objects.for_user(learner).active().due(later)
    assert due.count() == 5
    session = start_review(learner, later)
    assert session.mode == Quiz.Mode.REVIEW
    assert set(session.items.values_list("fact_id", flat=True)) == set(
        due.values_list("fact_id", flat=True)
    )
    answer_all(learner, session, correct=True, now=later)
    assert Card.objects.for_user(learner).active().due(later).count() == 0
    assert start_review(learner, later) is None


def test_review_page_counts_match_the_cards(learner, learner_client, topic):
    now = datetime.now(UTC)
    facts = list(KeyFact.objects.all())
    for index, fact in enumerate(facts):
        Card.objects.create(
            user=learner,
            fact=fact,
            topic=topic,
            state=Card.State.REVIEW,
            stability=3,
            difficulty=5,
            due=now - timedelta(hours=1) if index < 4 else now + timedelta(days=3),
            last_review=now - timedelta(days=3),
        )
    page = learner_client.get(reverse("quizzes:review"))
    assert page.context["due_total"] == 4
    assert [row["count"] for row in page.context["due_by_topic"]] == [4]
    html = page.content.decode()
    assert 'class="count"' in html and ">4<" in html  # the navigation shows it too


def test_nothing_due_shows_when_the_next_fact_comes_due(learner, learner_client, topic):
    now = datetime.now(UTC)
    fact = KeyFact.objects.first()
    Card.objects.create(
        user=learner,
        fact=fact,
        topic=topic,
        due=now + timedelta(days=2),
        last_review=now,
        stability=2,
        difficulty=5,
    )
    page = learner_client.get(reverse("quizzes:review"))
    assert page.context["due_total"] == 0
    assert page.context["next_due"] is not None


def test_retired_facts_leave_the_review_queue_and_kept_facts_keep_their_cards(learner, topic):
    quiz = start_topic_quiz(learner, topic, 5, T0)
    answer_all(learner, quiz, correct=False, now=T0)
    later = T0 + timedelta(days=1)
    article = KeyFact.objects.first().article
    answered = list(quiz.items.values_list("fact__answer", flat=True))
    # Drop one answered fact's paragraph; the others keep their sentences.
    dropped = answered[0]
    article.body = "\n\n".join(p for p in article.body.split("\n\n") if dropped not in p)
    article.save()
    assert Card.objects.for_user(learner).active().due(later).count() == 4
    assert Card.objects.filter(user=learner).count() == 5  # history kept
    assert KeyFact.objects.get(answer=dropped).is_active is False


def test_retention_uses_the_learners_setting(learner, topic):
    LearnerProfile.objects.create(user=learner, desired_retention=0.97)
    quiz = start_topic_quiz(learner, topic, 5, T0)
    answer_all(learner, quiz, correct=True, now=T0)
    card = Card.objects.filter(user=learner).first()
    assert 0.0 <= retrievability(card, T0 + timedelta(days=1)) <= 1.0


def test_recall_probability_matches_the_fsrs_package(learner, topic):
    from quizzes.scheduling import _as_fsrs, scheduler_for

    card = new_card(learner.pk, KeyFact.objects.first(), T0)
    review(card, "correct", T0, 0.9)
    for days in (0, 1, 3, 10, 100):
        now = T0 + timedelta(days=days)
        expected = scheduler_for().get_card_retrievability(_as_fsrs(card), current_datetime=now)
        assert retrievability(card, now) == pytest.approx(expected)


def test_recall_summed_in_the_database_matches_the_python_formula(learner, topic):
    # Ages straddling whole days (FSRS counts whole days), a review in the future, none at all.
    ages = [timedelta(hours=23), timedelta(days=2, hours=20), timedelta(days=40), -timedelta(hours=5)]
    facts = list(KeyFact.objects.all()[: len(ages) + 1])
    for fact, age, stability in zip(facts, ages, [0.5, 3.2, 12.0, 7.0], strict=False):
        Card.objects.create(
            user=learner, fact=fact, topic_id=fact.topic_id, state=Card.State.REVIEW,
            stability=stability, difficulty=5, due=T0, last_review=T0 - age,
        )  # fmt: skip
    Card.objects.create(user=learner, fact=facts[-1], topic_id=facts[-1].topic_id, due=T0)  # new
    cards = Card.objects.filter(user=learner)
    in_python = sum(retrievability(card, T0) for card in cards)
    in_sql = cards.aggregate(total=recall_probability_sum(T0))["total"]
    assert in_sql == pytest.approx(in_python, rel=1e-9)
    assert 2 < in_python < 4  # not a vacuous match: most cards are well remembered
