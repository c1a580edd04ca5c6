"""The learning loop in a real browser: typed answers in the first quiz, a quiz that survives
back, forward and reload, the navigation's counts after each answer, scores that fit the screen."""

import re

import pytest

from quizzes.models import Quiz
from tests.e2e.conftest import (
    DEMO_LEARNER,
    answer_right,
    answer_wrong,
    current_item,
    login,
    quiz_id_of,
    shot,
    sign_up,
)

TOPIC = "training-optimisation"

# Every element of <main> whose box reaches past the viewport's right edge (or starts left of 0),
# and the page's own scroll width: together, "nothing scrolls sideways".
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
      const name = typeof el.className === 'string' && el.className ? '.' + el.className : '';
      out.push(el.tagName.toLowerCase() + name + ' ' + Math.round(box.right));
    }
  }
  return {out, scroll: document.documentElement.scrollWidth, width};
}"""


FONT_SIZES = """() => [...document.querySelectorAll('main .figures dt, main .figures dd')]
  .map(element => parseFloat(getComputedStyle(element).fontSize))"""


def start_quiz(page, size="10"):
    page.goto(f"/topics/{TOPIC}/")
    page.locator(f"form.start-quiz input[value='{size}']").check()
    page.locator("form.start-quiz [type=submit]").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    return quiz_id_of(page)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop-1280", "phone-390"])
def test_a_new_learner_types_a_fill_in_answer_in_the_first_quiz(demo_library, open_page, live_server, phone):
    page = open_page(phone=phone)
    sign_up(page, live_server, "xiaohong", "shen-du-xue-xi-2026")
    quiz = start_quiz(page)
    typed = 0
    for _ in range(10):
        item = current_item(quiz)
        if not item.options:
            typed += 1
        answer_right(page, item)
        page.locator("#quiz-card a.next").click()
        page.locator("#quiz-card.feedback").wait_for(state="detached")
    page.locator("#quiz-card.summary").wait_for()
    assert typed >= 3, "a first quiz of ten should have typed answers"
    assert Quiz.objects.get(pk=quiz).correct_count == 10


def test_back_forward_and_reload_keep_the_quiz(demo_library, open_page, live_server):
    page = open_page(locale="en")
    login(page, live_server, *DEMO_LEARNER)
    quiz = start_quiz(page, size="5")
    answer_right(page, current_item(quiz))
    # The URL records the feedback: a reload shows it again, not the next question.
    assert page.url.endswith(f"/quiz/{quiz}/?answered=1")
    verdict = page.locator("#quiz-card.feedback h1").inner_text()
    page.reload()
    assert page.locator("#quiz-card.feedback h1").inner_text() == verdict
    page.locator("#quiz-card a.next").click()
    page.locator("#quiz-card.feedback").wait_for(state="detached")
    assert page.url.endswith(f"/quiz/{quiz}/")
    stem = page.locator("#quiz-card .stem").inner_html()
    # Back to the topic page: fetched again (no-store), it offers to resume, not a stale "start".
    page.go_back()
    page.wait_for_url(re.compile(rf"/topics/{TOPIC}/$"))
    assert page.locator(".quiz-panel").get_by_text("Resume your quiz (1 of 5 answered)").count() == 1
    assert page.locator("form.start-quiz").count() == 0
    page.go_forward()
    page.wait_for_url(re.compile(rf"/quiz/{quiz}/$"))
    assert page.locator("#quiz-card .stem").inner_html() == stem
    page.reload()
    assert page.locator("#quiz-card .stem").inner_html() == stem
    assert Quiz.objects.filter(user__username=DEMO_LEARNER[0]).count() == 1
    # Ending it is explicit; afterwards a new quiz can start.
    page.locator("form.abandon-quiz [type=submit]").click()
    page.wait_for_url(re.compile(rf"/topics/{TOPIC}/$"))
    assert page.locator("form.start-quiz").count() == 1


def test_the_navigation_counts_follow_every_answer_and_misses_can_be_retried(
    demo_library, open_page, live_server
):
    page = open_page(locale="en")
    login(page, live_server, *DEMO_LEARNER)
    quiz = start_quiz(page, size="5")
    today = page.locator("#nav-status .today-goal")
    before = int(re.search(r"(\d+)/", today.inner_text()).group(1))
    for number in range(1, 6):
        page.evaluate("window.notNavigated = true")
        item = current_item(quiz)
        if number <= 3:
            answer_right(page, item)
        else:
            answer_wrong(page, item)
        assert today.inner_text().startswith(f"Today {before + number}/")
        assert page.evaluate("window.notNavigated === true")  # out of band, no page load
        page.locator("#quiz-card a.next").click()
        page.locator("#quiz-card.feedback").wait_for(state="detached")
    summary = page.locator("#quiz-card.summary")
    summary.wait_for()
    assert summary.locator(".next-review").count() == 2
    shot(page, "quiz-summary-retry-desktop", readme=True)
    missed = set(Quiz.objects.get(pk=quiz).items.filter(verdict="wrong").values_list("fact_id", flat=True))
    summary.get_by_role("button", name="Retry the ones I missed").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    retry = Quiz.objects.get(retry_of_id=quiz)
    assert page.url.endswith(f"/quiz/{retry.pk}/")
    assert set(retry.items.values_list("fact_id", flat=True)) == missed


@pytest.mark.parametrize("phone", [False, True], ids=["desktop-1280", "phone-390"])
def test_the_scores_page_shows_every_figure_without_scrolling_sideways(
    demo_library, open_page, live_server, phone
):
    page = open_page(phone=phone)
    login(page, live_server, *DEMO_LEARNER)
    quiz = start_quiz(page, size="5")
    for _ in range(5):
        answer_right(page, current_item(quiz))
        page.locator("#quiz-card a.next").click()
        page.locator("#quiz-card.feedback").wait_for(state="detached")
    page.goto("/scores/")
    result = page.evaluate(OVERFLOWING)
    assert result["out"] == [] and result["scroll"] <= result["width"], result
    card = page.locator("main .topic-card").first
    figures, values = card.locator(".figures dt"), card.locator(".figures dd")
    assert figures.count() == values.count() == 9
    for index in range(9):  # answered, correct, accuracy, quizzes, last, best, seen, recall, due
        assert figures.nth(index).is_visible() and values.nth(index).is_visible()
    assert card.locator(".recall-words").is_visible()
    assert page.locator("main svg.heatmap:visible").count() == 1
    # Labels at a readable size: no figure or label under 12 CSS pixels.
    sizes = page.evaluate(FONT_SIZES)
    assert min(sizes) >= 12
    shot(page, "phone-scores" if phone else "scores-desktop", readme=True)
