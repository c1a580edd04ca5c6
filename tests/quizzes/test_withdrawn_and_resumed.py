"""A note taken off the library ends its facts' part in open quizzes; a review in progress resumes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from quizzes.answering import Submission, record_answer, start_review, start_topic_quiz
from quizzes.models import Card, Quiz, QuizItem, TopicScore
from tests.factories import HX, QUIZ_BODY, make_article, make_topic

pytestmark = pytest.mark.django_db

SECOND_BODY = """# 检测

YOLO 的全称是{{You Only Look Once ~Faster R-CNN ~SSD ~RetinaNet}}。

DETR 用{{匈牙利算法 ~贪心匹配 ~NMS ~IoU 阈值}}做标签分配。
"""


@pytest.fixture
def two_notes():
    topic = make_topic(name="混合", slug="mixed")
    kept = make_article(topic=topic, slug="kept", body=QUIZ_BODY)
    leaving = make_article(topic=topic, slug="leaving", body=SECOND_BODY)
    return topic, kept, leaving


def right_answer(item):
    if item.options:
        return Submission(None, str(item.options.index(item.fact.answer)))
    return Submission(item.fact.answer, None)


def quiz_with_both_notes(user, topic, leaving):
    """A 20-question quiz holds every fact of the topic, both notes'."""
    quiz = start_topic_quiz(user, topic, 20, timezone.now())
    assert quiz.items.filter(fact__article=leaving).exists()
    return quiz


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_unpublishing_a_note_withdraws_its_unanswered_questions_and_the_quiz_still_finishes(
    learner_client, learner, two_notes, status
):
    topic, kept, leaving = two_notes
    quiz = quiz_with_both_notes(learner, topic, leaving)
    answered_first = quiz.items.order_by("position").first()
    record_answer(learner, quiz.pk, answered_first.position, right_answer(answered_first), timezone.now())
    leaving.status = status
    leaving.save()

    shown = set()
    take = reverse("quizzes:take", args=[quiz.pk])
    for _ in range(20):
        response = learner_client.get(take)
        assert response.status_code == 200
        if "question" not in response.context:
            break
        item = response.context["question"].item
        assert item.fact.article_id == kept.pk, "a fact of the unpublished note was served"
        shown.add(item.pk)
        data = {"choice": "0"} if item.options else {"response": "不记得了"}
        learner_client.post(reverse("quizzes:answer", args=[quiz.pk, item.position]), data)
    quiz.refresh_from_db()
    assert quiz.is_finished
    assert "rows" in response.context  # the summary
    kept_facts = kept.facts.count()
    assert quiz.item_count == quiz.answered_count == kept_facts + (answered_first.fact.article_id != kept.pk)
    # The answer given before the note left is kept with everything counted from it.
    assert QuizItem.objects.filter(pk=answered_first.pk, answered_at__isnull=False).exists()
    score = TopicScore.objects.get(user=learner, topic=topic)
    assert score.answered == quiz.answered_count and score.quizzes_done == 1


def test_an_answer_to_a_question_withdrawn_while_shown_changes_nothing_and_moves_on(
    learner_client, learner, two_notes
):
    topic, kept, leaving = two_notes
    quiz = quiz_with_both_notes(learner, topic, leaving)
    item = quiz.items.filter(fact__article=leaving).first()
    leaving.status = Article.Status.DRAFT
    leaving.save()
    url = reverse("quizzes:answer", args=[quiz.pk, item.position])
    response = learner_client.post(url, {"choice": "0"}, headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("quizzes:take", args=[quiz.pk])
    no_js = learner_client.post(url, {"choice": "0"}, follow=True)
    assert "withdrawn" in no_js.content.decode()
    assert not QuizItem.objects.filter(pk=item.pk, answered_at__isnull=False).exists()
    assert not Card.objects.filter(user=learner, fact=item.fact).exists()
    assert Quiz.objects.get(pk=quiz.pk).answered_count == 0


def test_a_quiz_whose_every_fact_left_finishes_without_a_score(learner_client, learner, two_notes):
    topic, kept, leaving = two_notes
    quiz = quiz_with_both_notes(learner, topic, leaving)
    for article in (kept, leaving):
        article.status = Article.Status.ARCHIVED
        article.save()
    response = learner_client.get(reverse("quizzes:take", args=[quiz.pk]))
    assert response.status_code == 200
    quiz.refresh_from_db()
    assert quiz.is_finished and quiz.item_count == 0
    assert TopicScore.objects.get(user=learner, topic=topic).quizzes_done == 0


def test_a_republished_note_is_asked_again_in_new_quizzes(learner, two_notes):
    topic, kept, leaving = two_notes
    leaving.status = Article.Status.DRAFT
    leaving.save()
    assert (
        not start_topic_quiz(learner, topic, 20, timezone.now()).items.filter(fact__article=leaving).exists()
    )
    Quiz.objects.filter(user=learner).update(abandoned_at=timezone.now())  # a new quiz, not a resumed one
    leaving.status = Article.Status.PUBLISHED
    leaving.save()
    assert start_topic_quiz(learner, topic, 20, timezone.now()).items.filter(fact__article=leaving).exists()


# One review at a time


def make_due(learner, topic):
    quiz = start_topic_quiz(learner, topic, 5, timezone.now())
    for item in quiz.items.all():
        record_answer(learner, quiz.pk, item.position, right_answer(item), timezone.now())
    Card.objects.filter(user=learner).update(due=timezone.now() - timedelta(days=1))


def test_starting_a_review_while_one_is_open_resumes_it(learner_client, learner, two_notes):
    topic, _, _ = two_notes
    make_due(learner, topic)
    first = learner_client.post(reverse("quizzes:review"))
    review = Quiz.objects.get(user=learner, mode=Quiz.Mode.REVIEW)
    assert first.url == reverse("quizzes:take", args=[review.pk])
    second = learner_client.post(reverse("quizzes:review"))
    assert second.url == reverse("quizzes:take", args=[review.pk])
    assert Quiz.objects.filter(user=learner, mode=Quiz.Mode.REVIEW).count() == 1


def test_a_finished_review_lets_the_next_one_start(learner, two_notes):
    topic, _, _ = two_notes
    make_due(learner, topic)
    review = start_review(learner, timezone.now())
    for item in review.items.all():
        record_answer(learner, review.pk, item.position, right_answer(item), timezone.now())
    Card.objects.filter(user=learner).update(due=timezone.now() - timedelta(days=1))
    following = start_review(learner, timezone.now())
    assert following is not None and following.pk != review.pk
