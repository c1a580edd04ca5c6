"""An editor in the admin: a markup error refused, fixed, published, previewed, quizzed on."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from playwright.sync_api import expect

from articles.models import Article, Topic
from quizzes.models import Card, KeyFact, Quiz
from tests.e2e.conftest import DEMO_EDITOR, DEMO_LEARNER, admin_login, login, shot

ADD_URL = "/admin/articles/article/add/"
CHANGE_URL = re.compile(r"/admin/articles/article/(\d+)/change/$")

TITLE = "Swin Transformer：移位窗口注意力"
SLUG = "swin-transformer"
# Line 5 opens a fact and never closes it.
BODY_WITH_ERROR = """# Swin Transformer

Swin Transformer 由{{Microsoft ~Google ~Meta}}在{{2021 ~2019 ~2020}}年提出。

它在局部窗口内计算自注意力，并在相邻层之间使用{{移位窗口|shifted window::窗口 做跨窗口连接。
"""
UNCLOSED_COLUMN = BODY_WITH_ERROR.splitlines()[4].index("{{") + 1
BODY = BODY_WITH_ERROR.replace("::窗口 做", "::窗口}}做")
ANSWERS = ["Microsoft", "2021", "移位窗口"]


def fill_article_form(page, *, title=None, slug=None, topic=None, status=None, body=None):
    """Fill the given fields of the admin's article form (add or change)."""
    if title is not None:
        page.locator("#id_title").fill(title)
        page.locator("#id_title").press("Tab")  # the admin fills the slug in from the title
    if slug is not None:
        page.locator("#id_slug").fill(slug)
        expect(page.locator("#id_slug")).to_have_value(slug)
    if topic is not None:
        page.locator("#id_topic").select_option(label=topic.name)
    if status is not None:
        page.locator("#id_status").select_option(value=status)
    if body is not None:
        page.locator("#id_body").fill(body)


def save_and_continue(page):
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()


def add_article_through_admin(page, **fields) -> str:
    """Create an article with the admin's add form; return the URL of its change page."""
    page.goto(ADD_URL)
    fill_article_form(page, **fields)
    save_and_continue(page)
    expect(page).to_have_url(CHANGE_URL)
    return page.url


def show_preview_at_the_top(page):
    page.locator(".note-preview").evaluate("el => el.closest('fieldset').scrollIntoView()")


def markup_errors(body: str, language: str) -> list[str]:
    """The messages the model gives for a body's markup errors, in a language."""
    with translation.override(language):
        try:
            Article(body=body).clean()
        except ValidationError as error:
            return [str(message) for message in error.message_dict["body"]]
    return []


def test_editor_fixes_a_markup_error_publishes_and_sees_the_preview(
    page, open_page, live_server, demo_library
):
    topic = Topic.objects.get(slug="computer-vision")
    english = markup_errors(BODY_WITH_ERROR, "en")
    assert len(english) == 1 and f"line 5, column {UNCLOSED_COLUMN}:" in english[0], english
    assert markup_errors(BODY, "en") == []

    admin_login(page, live_server, *DEMO_EDITOR)
    page.goto(ADD_URL)
    fill_article_form(page, title=TITLE, slug=SLUG, topic=topic, status="draft", body=BODY_WITH_ERROR)
    save_and_continue(page)

    # Refused: the error, with its line and column, under the body field; nothing saved.
    expect(page).to_have_url(re.compile(re.escape(ADD_URL) + "$"))
    expect(page.locator(".errornote")).to_be_visible()
    body_errors = page.locator(".field-body .errorlist")
    expect(body_errors).to_be_visible()
    expect(body_errors).to_have_text(markup_errors(BODY_WITH_ERROR, "zh-hans"))
    assert not Article.objects.filter(slug=SLUG).exists()
    shot(page, "desktop-admin-markup-error")

    # Fixed and published.
    expect(page.locator("#id_body")).to_have_value(BODY_WITH_ERROR)
    fill_article_form(page, status="published", body=BODY)
    save_and_continue(page)

    expect(page).to_have_url(CHANGE_URL)
    article = Article.objects.get(slug=SLUG)
    assert (article.title, article.topic, article.status) == (TITLE, topic, "published")
    assert article.fact_count == len(ANSWERS)
    assert article.author.username == DEMO_EDITOR[0]

    # The preview: facts highlighted, no braces; the parsed facts with their options and hint.
    preview = page.locator(".note-preview")
    expect(preview.locator("mark.fact")).to_have_text(ANSWERS)
    assert "{{" not in preview.inner_text() and "}}" not in preview.inner_text()
    parsed = page.locator(".parsed-facts tbody tr")
    expect(parsed).to_have_count(len(ANSWERS))
    expect(parsed.nth(0)).to_contain_text("Google")
    expect(parsed.nth(1)).to_contain_text("2019")
    expect(parsed.nth(2)).to_contain_text("shifted window")
    expect(parsed.nth(2)).to_contain_text("窗口")
    show_preview_at_the_top(page)
    shot(page, "desktop-admin-preview", readme=True)

    phone = open_page(phone=True)
    admin_login(phone, live_server, *DEMO_EDITOR)
    phone.goto(page.url)
    expect(phone.locator(".note-preview mark.fact")).to_have_text(ANSWERS)
    show_preview_at_the_top(phone)
    shot(phone, "phone-admin-preview", readme=True)

    # The generated questions: a fill-in and a multiple choice for each fact, with options.
    questions = page.locator(".generated-questions tbody tr")
    expect(questions).to_have_count(len(ANSWERS))
    expect(questions.nth(0)).to_contain_text("Microsoft · Google · Meta")
    expect(questions.nth(1)).to_contain_text("2021 · 2019 · 2020")

    # Published means learners can read it, highlighted as in the preview.
    reader = open_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator("main mark.fact")).to_have_text(ANSWERS)

    # A learner who has seen every older fact of the topic gets the new ones in the next quiz.
    learner = get_user_model().objects.get(username=DEMO_LEARNER[0])
    later = timezone.now() + timedelta(days=3)
    Card.objects.bulk_create(
        Card(
            user=learner,
            fact=fact,
            topic=topic,
            due=later,
            last_review=timezone.now(),
            stability=3,
            difficulty=5,
        )
        for fact in KeyFact.objects.active().filter(topic=topic).exclude(article=article)
    )
    login(reader, live_server, *DEMO_LEARNER)
    reader.goto(topic.get_absolute_url())
    reader.locator("form.start-quiz input[value='5']").check()
    reader.locator("form.start-quiz [type=submit]").click()
    reader.wait_for_url(re.compile(r"/quiz/\d+/$"))
    quiz = Quiz.objects.filter(user=learner).latest("created_at")
    asked = set(quiz.items.values_list("fact__answer", flat=True))
    assert set(ANSWERS) <= asked, asked


def test_an_article_added_through_the_admin_gets_a_change_page(page, live_server, demo_library):
    admin_login(page, live_server, *DEMO_EDITOR)
    topic = Topic.objects.get(slug="computer-vision")

    url = add_article_through_admin(page, title=TITLE, slug=SLUG, topic=topic, status="draft", body=BODY)

    article = Article.objects.get(slug=SLUG)
    assert CHANGE_URL.search(url).group(1) == str(article.pk)
    assert article.status == "draft"
    expect(page.locator(".note-preview mark.fact")).to_have_text(ANSWERS)
