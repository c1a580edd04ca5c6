"""Answers posted at the same moment, from threads with their own connections (PostgreSQL only)."""

import re
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.answering import start_review, start_topic_quiz
from quizzes.models import Card, Question, Quiz, QuizItem, ReviewLog, TopicScore
from tests.factories import HX, answer_url, make_user, right_answer, wrong_answer

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="row locks (select_for_update) are what is under test: SQLite has none, it "
        "serialises every writer; these run in the PostgreSQL pass (DATABASE_URL=postgres://...)",
    ),
    # Threads need their own connections to see committed rows: no test transaction.
    pytest.mark.django_db(transaction=True),
]

CORRECT = (QuizItem.Verdict.CORRECT, QuizItem.Verdict.TYPO)


def answer_data(item, right):
    """A valid answer to the item, right or wrong: an option's index, or typed text."""
    return right_answer(item) if right else wrong_answer(item)


def post_together(user, posts, status=200):
    """POST every (url, data) at the same moment, one thread and one connection each.

    Returns the responses in order, once every one of them has `status`; otherwise fails, saying
    which request got what (a 500 and its exception, or an exception in the thread).
    """
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def post(number, url, data):
        try:
            # The test client re-raises any exception a view raised, but it learns of them
            # through a global signal, so from every thread: read the status codes instead.
            client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
            client.force_login(user)
            barrier.wait(timeout=20)
            results[number] = client.post(url, data, headers=HX)
        except BaseException as error:
            results[number] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(number, url, data)) for number, (url, data) in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished (deadlock?)"
    failed = [
        f"{url}: {describe(result)}"
        for (url, _), result in zip(posts, results, strict=True)
        if getattr(result, "status_code", None) != status
    ]
    assert not failed, "concurrent answers failed:\n" + "\n".join(failed)
    return results


def describe(result):
    if not hasattr(result, "status_code"):
        return repr(result)
    exc_info = getattr(result, "exc_info", None)
    return f"{result.status_code}" + (f" ({exc_info[1]!r})" if exc_info else "")


def totals_versus_answers(user, topic):
    """Every stored total next to what the answer rows (QuizItems) say it should be."""
    answered = QuizItem.objects.filter(quiz__user=user, answered_at__isnull=False)
    found, expected = {}, {}
    for quiz in Quiz.objects.filter(user=user).annotate(
        answered=Count("items", filter=Q(items__answered_at__isnull=False)),
        correct=Count("items", filter=Q(items__verdict__in=CORRECT)),
    ):
        found[f"quiz {quiz.pk}"] = (quiz.answered_count, quiz.correct_count, quiz.is_finished)
        expected[f"quiz {quiz.pk}"] = (quiz.answered, quiz.correct, quiz.answered == quiz.item_count)
    finished_topic_quizzes = Quiz.objects.filter(
        user=user, topic=topic, mode=Quiz.Mode.TOPIC, finished_at__isnull=False
    ).count()
    score = TopicScore.objects.filter(user=user, topic=topic).first()
    found["topic score"] = score and (score.answered, score.correct, score.quizzes_done)
    expected["topic score"] = (
        answered.count(),
        answered.filter(verdict__in=CORRECT).count(),
        finished_topic_quizzes,
    )
    found["cards"] = {card.fact_id: (card.reviews, card.misses) for card in Card.objects.filter(user=user)}
    expected["cards"] = {
        row["fact_id"]: (row["reviews"], row["misses"])
        for row in answered.values("fact_id").annotate(
            reviews=Count("id"), misses=Count("id", filter=Q(verdict=QuizItem.Verdict.WRONG))
        )
    }
    found["review logs"] = ReviewLog.objects.filter(card__user=user).count()
    expected["review logs"] = answered.count()
    # Question statistics count every learner's answers.
    found["questions"] = {
        question.pk: (question.times_asked, question.times_correct)
        for question in Question.objects.filter(times_asked__gt=0)
    }
    expected["questions"] = {
        row["question_id"]: (row["asked"], row["right"])
        for row in QuizItem.objects.filter(answered_at__isnull=False)
        .values("question_id")
        .annotate(asked=Count("id"), right=Count("id", filter=Q(verdict__in=CORRECT)))
    }
    return found, expected


def without_csrf(html):
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)


def test_the_same_answer_posted_twice_at_the_same_moment_counts_once(learner_and_quiz):
    user, quiz, topic = learner_and_quiz
    items = list(quiz.items.order_by("position"))
    pairs = []
    for number, item in enumerate(items):
        # Two tabs, the same click at the same moment (right for some items, wrong for others).
        data = answer_data(item, right=number % 2 == 0)
        pairs.append(post_together(user, [(answer_url(item), data)] * 2))
    found, expected = totals_versus_answers(user, topic)
    assert found == expected
    assert expected["review logs"] == len(items)  # one answer per item, not two
    for item, (first, second) in zip(items, pairs, strict=True):
        assert "quiz-card feedback" in first.content.decode()
        assert without_csrf(first.content.decode()) == without_csrf(second.content.decode()), (
            f"question {item.position}: the two responses show different feedback"
        )


def test_the_same_answer_posted_by_many_tabs_at_once_counts_once(learner_and_quiz):
    user, quiz, topic = learner_and_quiz
    item = quiz.items.order_by("position").first()
    responses = post_together(user, [(answer_url(item), answer_data(item, right=True))] * 4)
    found, expected = totals_versus_answers(user, topic)
    assert found == expected
    assert expected["review logs"] == 1
    feedback = {without_csrf(response.content.decode()) for response in responses}
    assert len(feedback) == 1, "the four tabs show different feedback"


def test_different_questions_of_one_quiz_answered_at_once_keep_every_total(learner_and_quiz):
    user, quiz, topic = learner_and_quiz
    items = list(quiz.items.order_by("position"))
    post_together(user, [(answer_url(item), answer_data(item, item.position % 2)) for item in items])
    found, expected = totals_versus_answers(user, topic)
    assert found == expected
    # The last of the five answers finished the quiz and counted it, whichever it was.
    quiz.refresh_from_db()
    assert quiz.is_finished and quiz.answered_count == 5
    assert found["topic score"][2] == 1


def test_two_quizzes_answering_the_same_facts_at_once_share_one_card_per_fact(topic):
    # Two tabs, two quizzes of the same topic asking the same facts, one as multiple choice and
    # the other as fill-in (so no shared question row queues them); the learner's first answer
    # creates the topic score and each fact's card. Each pair is posted at the same moment.
    # A race shows up in some runs only: four learners make four tries.
    for number in range(4):
        user = make_user(f"two-tabs-{number}")
        now = timezone.now()
        first = start_topic_quiz(user, topic, 5, now)
        # One open topic quiz per topic: the other tab's quiz is a retry, which may be open too.
        Quiz.objects.filter(pk=first.pk).update(mode=Quiz.Mode.RETRY)
        second = start_topic_quiz(user, topic, 5, now)
        for item in second.items.select_related("fact"):
            item.question = Question.objects.get(fact=item.fact, type=Question.Type.FILL_IN)
            item.options = []
            item.save()
        twins = {item.fact_id: item for item in second.items.select_related("fact")}
        shared = [item for item in first.items.order_by("position") if item.fact_id in twins]
        assert len(shared) >= 4  # five of the six facts each: at least four in common
        shared = shared[:2]  # the first pair creates the score and the cards: it is the race
        for item in shared:
            twin = twins[item.fact_id]
            right, wrong = answer_data(item, True), answer_data(twin, False)
            post_together(user, [(answer_url(item), right), (answer_url(twin), wrong)])
        found, expected = totals_versus_answers(user, topic)
        assert found == expected
        assert [found["cards"][item.fact_id][0] for item in shared] == [2] * len(shared)


@pytest.fixture
def learner_and_quiz(topic):
    user = make_user("racer")
    quiz = start_topic_quiz(user, topic, 5, timezone.now())
    for item in quiz.items.filter(options=[]).select_related("fact"):  # new facts are mixed
        mcq = Question.objects.get(fact=item.fact, type=Question.Type.MULTIPLE_CHOICE)
        item.question, item.options = mcq, [item.fact.answer, *mcq.wrong_options]
        item.save()
    assert quiz.item_count == 5 and all(len(item.options) == 4 for item in quiz.items.all())
    return user, quiz, topic


def start_together(starts):
    """Call every start function at the same moment, one thread and one connection each."""
    barrier = threading.Barrier(len(starts))
    results = [None] * len(starts)

    def run(number, start):
        try:
            barrier.wait(timeout=20)
            results[number] = start()
        except BaseException as error:
            results[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(isinstance(result, BaseException) for result in results), results
    return results


def test_quizzes_started_at_the_same_moment_on_one_topic_are_one_quiz(topic):
    user = make_user("double-start")
    now = timezone.now()
    quizzes = start_together([lambda: start_topic_quiz(user, topic, 5, now)] * 4)
    assert len({quiz.pk for quiz in quizzes}) == 1
    assert (
        Quiz.objects.filter(user=user).count() == 1 and QuizItem.objects.filter(quiz__user=user).count() == 5
    )


def test_reviews_started_at_the_same_moment_are_one_review(topic):
    user = make_user("double-review")
    for fact in topic.facts.all():
        Card.objects.create(user=user, fact=fact, topic=topic, due=timezone.now())
    now = timezone.now()
    reviews = start_together([lambda: start_review(user, now)] * 4)
    assert len({quiz.pk for quiz in reviews}) == 1
    assert Quiz.objects.filter(user=user, mode=Quiz.Mode.REVIEW).count() == 1


def test_five_review_starts_at_once_open_one_review_and_all_go_to_it(topic):
    user = make_user("reviewer")
    quiz = start_topic_quiz(user, topic, 5, timezone.now())
    post_together(user, [(answer_url(item), answer_data(item, right=True)) for item in quiz.items.all()])
    Card.objects.filter(user=user).update(due=timezone.now() - timedelta(days=1))

    responses = post_together(user, [(reverse("quizzes:review"), {})] * 5, status=302)
    reviews = Quiz.objects.filter(user=user, mode=Quiz.Mode.REVIEW)
    assert reviews.count() == 1, "parallel starts opened several reviews over the same due cards"
    take = reverse("quizzes:take", args=[reviews.get().pk])
    assert [response.url for response in responses] == [take] * 5
