"""A learner's quizzes in a real browser: with htmx, without JavaScript, by keyboard alone."""

import re

from django.contrib.auth import get_user_model

from quizzes.models import KeyFact, Quiz
from tests.e2e.conftest import DEMO_LEARNER, current_item, learned, login, quiz_id_of, shot, sign_up

TOPIC = "training-optimisation"
FULL_WIDTH = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}


def typed_variant(answer: str, number: int) -> str:
    """The answer as a hurried learner types it: other case, full-width, extra spaces."""
    text = answer.strip("`$")
    if number % 3 == 0:
        return "".join(FULL_WIDTH.get(char, char) for char in text)
    if number % 3 == 1:
        return "  " + " ".join(text) + "  " if not text.isascii() else text.swapcase()
    return f"  {text}  "


def answer_by_mouse(page, item, number):
    if item.options:
        index = item.options.index(item.fact.answer)
        page.locator(f"#quiz-card .options button[data-key='{index + 1}']").click()
    else:
        # Case counts in code: a code answer gets only the other variants.
        variant = number if item.fact.kind != "code" or number % 3 != 1 else 2
        page.locator("#response").fill(typed_variant(item.fact.answer, variant))
        page.locator("#quiz-card .fill-in [type=submit]").click()


def test_a_new_learner_signs_up_takes_a_quiz_and_sees_the_scores(demo_library, open_page, live_server):
    page = open_page()
    sign_up(page, live_server, "xiaoming", "shen-du-xue-xi-2026")
    page.locator("form[action$='/accounts/logout/'] [type=submit]").click()
    login(page, live_server, "xiaoming", "shen-du-xue-xi-2026")
    learner = get_user_model().objects.get(username="xiaoming")
    learned(learner, KeyFact.objects.filter(topic__slug=TOPIC, answer__regex=r"^[A-Za-z0-9.]+$")[:4])

    page.goto(f"/topics/{TOPIC}/")
    page.locator("form.start-quiz [type=submit]").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    quiz = quiz_id_of(page)
    shot(page, "quiz-question-desktop", readme=True)
    kinds = set()
    for number in range(10):
        if number == 3:
            # Reloading mid-quiz shows the same question again.
            stem = page.locator("#quiz-card .stem").inner_html()
            page.reload()
            assert page.locator("#quiz-card .stem").inner_html() == stem
        item = current_item(quiz)
        kinds.add("mcq" if item.options else "fill_in")
        page.evaluate("window.notNavigated = true")
        answer_by_mouse(page, item, number)
        feedback = page.locator("#quiz-card.feedback")
        feedback.wait_for()
        # Feedback swapped in place: the page did not navigate.
        assert page.evaluate("window.notNavigated === true")
        assert "correct" in feedback.get_attribute("class").split(), feedback.inner_text()
        if number == 0:
            shot(page, "quiz-feedback-desktop", readme=True)
        page.locator("#quiz-card a.next").click()
        page.locator("#quiz-card.feedback").wait_for(state="detached")
    assert kinds == {"mcq", "fill_in"}
    page.locator("#quiz-card.summary").wait_for()
    shot(page, "quiz-summary-desktop", readme=True)
    assert Quiz.objects.get(pk=quiz).correct_count == 10

    page.goto("/scores/")
    card = page.locator("main .topic-card").first
    assert "10" in card.inner_text()
    assert page.locator("main svg").count() >= 1
    shot(page, "scores-desktop", readme=True)


def test_a_quiz_can_be_taken_to_the_end_without_javascript(demo_library, open_page, live_server):
    page = open_page(java_script_enabled=False)
    login(page, live_server, *DEMO_LEARNER)
    page.goto(f"/topics/{TOPIC}/")
    page.locator("form.start-quiz input[value='5']").check()
    page.locator("form.start-quiz [type=submit]").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    quiz = quiz_id_of(page)
    for number in range(5):
        item = current_item(quiz)
        answer_by_mouse(page, item, number)
        page.wait_for_url(re.compile(r"\?answered=\d+$"))  # a plain post and redirect
        assert page.locator("#quiz-card.feedback.correct").count() == 1
        page.locator("#quiz-card a.next").click()
    page.locator("#quiz-card.summary").wait_for()
    assert Quiz.objects.get(pk=quiz).is_finished


def test_a_quiz_by_keyboard_alone(demo_library, open_page, live_server):
    page = open_page()
    login(page, live_server, *DEMO_LEARNER)
    learner = get_user_model().objects.get(username=DEMO_LEARNER[0])
    learned(learner, KeyFact.objects.filter(topic__slug=TOPIC, answer__regex=r"^[A-Za-z]+$")[:2])
    page.goto(f"/topics/{TOPIC}/")
    start = page.locator("form.start-quiz [type=submit]")
    for _ in range(60):  # Tab through the page to the start button
        page.keyboard.press("Tab")
        if start.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError("the start button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    quiz = quiz_id_of(page)
    for _ in range(10):
        item = current_item(quiz)
        if item.options:
            page.keyboard.press(str(item.options.index(item.fact.answer) + 1))
        else:
            page.keyboard.type(item.fact.answer.strip("`$"))
            page.keyboard.press("Enter")
        page.locator("#quiz-card.feedback").wait_for()
        # Focus moved to the feedback, announced by its live region.
        assert page.evaluate("document.activeElement.closest('#quiz-card.feedback') !== null")
        page.keyboard.press("Enter")
        page.locator("#quiz-card.feedback").wait_for(state="detached")
    page.locator("#quiz-card.summary").wait_for()
    assert Quiz.objects.get(pk=quiz).correct_count == 10
