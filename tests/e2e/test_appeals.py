"""In a real browser: "I was right" on a wrong verdict, "I don't know", and the editor's ruling."""

import re

from django.contrib.auth import get_user_model

from articles.models import Article
from quizzes.models import Appeal, KeyFact, Quiz, QuizItem
from tests.e2e.conftest import (
    DEMO_EDITOR,
    DEMO_LEARNER,
    admin_login,
    current_item,
    learned,
    login,
    quiz_id_of,
    shot,
)

TOPIC = "training-optimisation"


def start_fill_in_quiz(page, live_server, *, javascript=True):
    login(page, live_server, *DEMO_LEARNER)
    learner = get_user_model().objects.get(username=DEMO_LEARNER[0])
    learned(learner, KeyFact.objects.filter(topic__slug=TOPIC, is_active=True))
    page.goto(f"/topics/{TOPIC}/")
    page.locator("form.start-quiz input[value='5']").check()
    page.locator("form.start-quiz [type=submit]").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    return quiz_id_of(page)


def test_a_learner_appeals_a_wrong_verdict_and_says_i_dont_know(demo_library, open_page, live_server):
    page = open_page()
    quiz = start_fill_in_quiz(page, live_server)
    item = current_item(quiz)
    assert not item.options
    page.evaluate("window.notNavigated = true")
    page.locator("#response").fill("我的说法不同但意思一样")
    page.locator("#quiz-card .fill-in [type=submit]").click()
    page.locator("#quiz-card.feedback.wrong").wait_for()

    page.locator("#quiz-card form.appeal [type=submit]").click()

    page.locator("#quiz-card.feedback.correct .appealed").wait_for()
    assert page.evaluate("window.notNavigated === true")  # swapped in place
    shot(page, "quiz-appeal-desktop")
    assert QuizItem.objects.get(pk=item.pk).verdict == "correct"
    assert Appeal.objects.filter(item=item).count() == 1

    page.locator("#quiz-card a.next").click()
    page.locator("#quiz-card.feedback").wait_for(state="detached")
    second = current_item(quiz)
    page.locator("#quiz-card .give-up [type=submit]").click()  # nothing typed: no "required" stop
    feedback = page.locator("#quiz-card.feedback.wrong")
    feedback.wait_for()
    assert second.fact.answer.strip("`$") in feedback.inner_text()
    assert page.locator("#quiz-card form.appeal").count() == 0
    assert Quiz.objects.get(pk=quiz).answered_count == 2


def test_an_appeal_works_without_javascript(demo_library, open_page, live_server):
    page = open_page(java_script_enabled=False)
    quiz = start_fill_in_quiz(page, live_server)
    item = current_item(quiz)
    page.locator("#response").fill("另一种说法")
    page.locator("#quiz-card .fill-in [type=submit]").click()
    page.wait_for_url(re.compile(r"\?answered=\d+$"))
    page.locator("#quiz-card form.appeal [type=submit]").click()
    page.wait_for_url(re.compile(r"\?answered=\d+$"))
    assert page.locator("#quiz-card.feedback.correct .appealed").count() == 1
    assert QuizItem.objects.get(pk=item.pk).verdict == "correct"


def test_an_editor_accepts_an_appealed_answer_as_an_alternative(demo_library, open_page, live_server):
    learner_page = open_page()
    quiz = start_fill_in_quiz(learner_page, live_server)
    item = current_item(quiz)
    learner_page.locator("#response").fill("一个同义词")
    learner_page.locator("#quiz-card .fill-in [type=submit]").click()
    learner_page.locator("#quiz-card form.appeal [type=submit]").click()
    learner_page.locator("#quiz-card .appealed").wait_for()

    page = open_page()
    admin_login(page, live_server, *DEMO_EDITOR)
    page.goto("/admin/quizzes/appeal/")
    row = page.locator(".appeal-queue tbody tr").filter(has_text="一个同义词")
    assert "1" in row.locator("td").nth(3).inner_text()
    shot(page, "admin-appeal-queue")
    row.locator("form.inline-ruling button.default").click()
    page.locator(".messagelist .success").wait_for()
    assert "|一个同义词" in Article.objects.get(pk=item.fact.article_id).body
    fact = KeyFact.objects.get(pk=item.fact_id)
    assert fact.is_active and "一个同义词" in fact.alternatives
