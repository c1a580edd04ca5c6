"""Taking a quiz through the views: full pages, htmx partials, double and stale submissions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import rendering
from articles.markup import BLANK
from quizzes.models import Card, KeyFact, Question, Quiz, QuizItem, ReviewLog, TopicScore
from tests.factories import (
    HX,
    QUIZ_BODY,
    answer_url,
    make_article,
    make_known_cards,
    make_topic,
    make_user,
    post_answer,
    right_answer,
    start_quiz,
)

pytestmark = pytest.mark.django_db


def current_item(quiz):
    return quiz.items.filter(answered_at__isnull=True).order_by("position").first()


def test_anonymous_users_are_sent_to_log_in(client, topic):
    response = start_quiz(client, topic)
    assert response.status_code == 302 and reverse("login") in response.url
    assert not Quiz.objects.exists()


def test_start_quiz_fixes_questions_and_options(learner_client, learner, topic):
    response = start_quiz(learner_client, topic)
    quiz = Quiz.objects.get()
    assert response.status_code == 302 and response.url == reverse("quizzes:take", args=[quiz.pk])
    assert quiz.item_count == 5 and quiz.user == learner
    items = list(quiz.items.all())
    assert sorted(item.position for item in items) == [1, 2, 3, 4, 5]
    assert len({item.fact_id for item in items}) == 5
    # New facts are mixed from the start: a third typed, the rest multiple choice with four
    # options, the answer among them.
    types = [item.question.type for item in items]
    assert types.count(Question.Type.FILL_IN) == 2
    for item in items:
        if item.question.type == Question.Type.MULTIPLE_CHOICE:
            assert len(item.options) == 4 and item.fact.answer in item.options
        else:
            assert item.options == []

    # A reload shows the same question with the same options.
    def card(page):
        html = page.content.decode().split('id="quiz-card"')[1].split("</section>")[0]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    first = card(learner_client.get(response.url))
    assert 'name="choice"' in first or 'name="response"' in first
    assert first == card(learner_client.get(response.url))


@pytest.mark.parametrize("size", ["7", "abc", ""])
def test_bad_quiz_size_is_refused_with_a_message(learner_client, topic, size):
    response = start_quiz(learner_client, topic, size=size)
    assert response.status_code == 400
    assert "5, 10 or 20" in response.content.decode()
    assert not Quiz.objects.exists()


def test_question_page_never_carries_the_answer(learner_client, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    item = current_item(quiz)
    # Make it a fill-in question to check the blank, too.
    fill_in = Question.objects.get(fact=item.fact, type=Question.Type.FILL_IN)
    QuizItem.objects.filter(pk=item.pk).update(question=fill_in, options=[])
    html = learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    main = html.split('id="quiz-card"')[1]
    for accepted in [item.fact.answer, *item.fact.alternatives]:
        assert accepted not in main


def test_full_quiz_with_htmx_updates_everything_once(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    take_url = reverse("quizzes:take", args=[quiz.pk])
    for number in range(5):
        item = current_item(quiz)
        page = learner_client.get(take_url, headers=HX)
        assert page.status_code == 200
        assert "<html" not in page.content.decode()  # a partial, not the whole page
        response = post_answer(learner_client, item, right=number < 3, headers=HX)
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert 'class="quiz-card feedback' in html
        assert "#" + item.fact.anchor in html  # links to the paragraph
    quiz.refresh_from_db()
    assert quiz.is_finished and quiz.answered_count == 5 and quiz.correct_count == 3
    score = TopicScore.objects.get(user=learner, topic=topic)
    assert (score.answered, score.correct, score.quizzes_done) == (5, 3, 1)
    assert score.last_score == score.best_score == pytest.approx(0.6)
    assert score.recent_scores == [0.6]
    assert Card.objects.filter(user=learner).count() == 5
    assert ReviewLog.objects.count() == 5
    summary = learner_client.get(take_url).content.decode()
    assert "Quiz finished" in summary or "测验完成" in summary
    assert summary.count('class="correct"') + summary.count('class="typo"') == 3


def test_without_javascript_answers_redirect_to_feedback(learner_client, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    item = current_item(quiz)
    response = post_answer(learner_client, item)
    assert response.status_code == 302
    assert response.url == reverse("quizzes:take", args=[quiz.pk]) + f"?answered={item.position}"
    feedback = learner_client.get(response.url).content.decode()
    assert "<html" in feedback and 'class="quiz-card feedback correct"' in feedback
    following = learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert f"{item.position + 1} " in following or "question-card" not in following


def test_double_submission_counts_once_and_shows_the_same_feedback(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    item = current_item(quiz)
    first = post_answer(learner_client, item, headers=HX)
    # The second click sends a different answer: it must not be graded again.
    second = post_answer(learner_client, item, right=False, headers=HX)
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(first.content.decode()) == strip(second.content.decode())
    quiz.refresh_from_db()
    assert (quiz.answered_count, quiz.correct_count) == (1, 1)
    assert TopicScore.objects.get(user=learner).answered == 1
    assert ReviewLog.objects.count() == 1


def test_a_stale_page_is_graded_against_the_question_it_showed(learner_client, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    first, second = quiz.items.order_by("position")[:2]
    post_answer(learner_client, first)
    # A second tab still shows question 1 and answers it: nothing changes, question 2 stays open.
    post_answer(learner_client, first, right=False)
    second.refresh_from_db()
    assert not second.is_answered
    first.refresh_from_db()
    assert first.verdict == "correct"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose one of the options"),
        ({"choice": "x"}, "Choose one of the options"),
        ({"choice": "4"}, "not one of this question"),
        ({"choice": "-1"}, "not one of this question"),
    ],
)
def test_malformed_multiple_choice_answers_get_400_and_change_nothing(
    learner_client, topic, data, message
):
    start_quiz(learner_client, topic, size=5)
    item = Quiz.objects.get().items.exclude(options=[]).first()
    response = learner_client.post(answer_url(item), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    item.refresh_from_db()
    assert not item.is_answered and not Card.objects.exists()


@pytest.mark.parametrize(
    ("response_text", "message"),
    [("", "Type an answer"), ("  ", "Type an answer"), ("x" * 10000, "too long")],
)
def test_malformed_fill_in_answers_get_400(learner_client, topic, response_text, message):
    start_quiz(learner_client, topic, size=5)
    item = current_item(Quiz.objects.get())
    fill_in = Question.objects.get(fact=item.fact, type=Question.Type.FILL_IN)
    QuizItem.objects.filter(pk=item.pk).update(question=fill_in, options=[])
    response = learner_client.post(answer_url(item), {"response": response_text}, headers=HX)
    assert response.status_code == 400 and message in response.content.decode()
    assert response["HX-Retarget"] == "#quiz-error"
    assert not QuizItem.objects.filter(answered_at__isnull=False).exists()


def test_unknown_position_is_400_and_another_learners_quiz_is_404(learner_client, client, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    assert (
        learner_client.post(
            reverse("quizzes:answer", args=[quiz.pk, 99]), {"choice": "0"}
        ).status_code
        == 400
    )
    other = make_user("someone-else")
    client.force_login(other)
    assert client.get(reverse("quizzes:take", args=[quiz.pk])).status_code == 404
    item = current_item(quiz)
    assert post_answer(client, item).status_code == 404
    assert not QuizItem.objects.filter(answered_at__isnull=False).exists()


def test_fill_in_grading_is_forgiving(learner_client, topic):
    start_quiz(learner_client, topic, size=10)
    quiz = Quiz.objects.get()
    item = quiz.items.get(fact__answer="AdamW")
    fill_in = Question.objects.get(fact=item.fact, type=Question.Type.FILL_IN)
    QuizItem.objects.filter(pk=item.pk).update(question=fill_in, options=[])
    response = learner_client.post(answer_url(item), {"response": " ａｄａｍ-ｗ。"}, headers=HX)
    assert "feedback correct" in response.content.decode()


def test_topic_page_offers_to_resume_an_unfinished_quiz(learner_client, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get()
    page = learner_client.get(reverse("articles:topic_detail", args=[topic.slug])).content.decode()
    assert reverse("quizzes:take", args=[quiz.pk]) in page


def test_a_topic_without_questions_says_so(learner_client):
    empty = make_topic(slug="empty")
    response = start_quiz(learner_client, empty)
    assert response.status_code == 302
    assert not Quiz.objects.exists()


def test_known_facts_are_asked_as_fill_in(learner_client, learner, topic):
    now = timezone.now()
    make_known_cards(learner, KeyFact.objects.all(), now)
    start_quiz(learner_client, topic, size=5)
    types = set(Quiz.objects.get().items.values_list("question__type", flat=True))
    assert types == {Question.Type.FILL_IN}


def test_query_counts_stay_constant_as_library_and_history_grow(learner_client, learner, topic):
    def measure():
        counts = {}
        Quiz.objects.filter(user=learner).update(abandoned_at=timezone.now())  # starting again resumes
        with CaptureQueriesContext(connection) as captured:
            start_quiz(learner_client, topic, size=5)
        counts["start a quiz"] = len(captured)
        quiz = Quiz.objects.filter(user=learner).order_by("-pk").first()
        take = reverse("quizzes:take", args=[quiz.pk])
        with CaptureQueriesContext(connection) as captured:
            learner_client.get(take)
        counts["question page"] = len(captured)
        item = current_item(quiz)
        data = right_answer(item)
        with CaptureQueriesContext(connection) as captured:
            learner_client.post(answer_url(item), data, headers=HX)
        counts["answer"] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            learner_client.get(reverse("articles:topic_detail", args=[topic.slug]))
        counts["topic page"] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            learner_client.get(reverse("quizzes:review"))
        counts["review page"] = len(captured)
        return counts

    # Warm up: the learner's first answer on a topic creates the score row (an insert).
    start_quiz(learner_client, topic, size=5)
    warm_up = current_item(Quiz.objects.get(user=learner))
    post_answer(learner_client, warm_up)
    small = measure()
    for number in range(6):
        make_article(topic=topic, slug=f"more-{number}", body=QUIZ_BODY.replace("ViT", f"ViT{number}"))
    for _ in range(3):
        start_quiz(learner_client, topic, size=5)
        quiz = Quiz.objects.filter(user=learner).order_by("-pk").first()
        while (item := current_item(quiz)) is not None:
            post_answer(learner_client, item)
    large = measure()
    assert large == small
    assert small["answer"] <= 12


def test_a_question_that_points_back_shows_the_sentence_before(learner_client, learner):
    topic = make_topic(name="上采样", slug="upsampling")
    make_article(
        topic=topic,
        slug="transposed",
        body="转置卷积把普通卷积转置过来用。它常被叫作{{反卷积 ~空洞卷积 ~分组卷积 ~可变形卷积}}。\n",
    )
    start_quiz(learner_client, topic, size=5)
    quiz = Quiz.objects.get(user=learner)
    page = learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert '<p class="context">转置卷积把普通卷积转置过来用。</p>' in page
    assert page.index('class="context"') < page.index('class="stem"')


def test_the_question_and_its_feedback_show_the_stored_sentence_without_running_markdown(
    learner_client, learner, topic, monkeypatch
):
    start_quiz(learner_client, topic)
    item = current_item(Quiz.objects.get())
    stored = "存储的<em>句子</em>" + BLANK
    KeyFact.objects.filter(pk=item.fact_id).update(sentence_html=stored)

    def no_markdown(*args, **kwargs):
        raise AssertionError("a stored sentence was rendered again")

    monkeypatch.setattr(rendering, "markdown_with", no_markdown)
    rendering.sentence_html.cache_clear()
    question = learner_client.get(reverse("quizzes:take", args=[item.quiz_id]), headers=HX)
    assert "存储的<em>句子</em><span class=\"blank\">" in question.content.decode()
    feedback = learner_client.post(answer_url(item), right_answer(item), headers=HX)
    assert '存储的<em>句子</em><mark class="fact">' in feedback.content.decode()
