"""Malformed and hostile requests: each gets a 4xx with the site's own page, or works; never a 500."""

import io
import logging
import sys

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.library_files import import_article_text
from articles.models import Article
from quizzes.answering import start_topic_quiz
from quizzes.models import Quiz
from tests.factories import make_article, make_quiz_topic, make_topic
from tests.test_database_outage import DatabaseSwitch

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def quiz(learner):
    return start_topic_quiz(learner, make_quiz_topic(name="优化", slug="opt"), 5, timezone.now())


def assert_site_headers(response):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


# Bodies in another character set than UTF-8


@pytest.mark.parametrize(
    "charset", ["latin-1", "cp1252", "utf-16", "UTF8", "gb2312", "no-such-codec", '"big5"']
)
def test_an_anonymous_login_in_another_charset_is_a_400_with_the_sites_page(charset, caplog):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get(reverse("login"))  # a browser's CSRF cookie and token: the post passes the check
    token = browser.cookies["csrftoken"].value
    with caplog.at_level(logging.INFO):
        # generic() sends the bytes as they are; post() would encode them in the charset.
        response = browser.generic(
            "POST",
            reverse("login"),
            f"csrfmiddlewaretoken={token}&username=x&password=y".encode(),
            content_type=f"{FORM}; charset={charset}",
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "UTF-8" in page and "只接受 UTF-8" in page
    assert 'class="site-header"' in page
    assert_site_headers(response)
    assert len(caplog.records) <= 2, [record.getMessage() for record in caplog.records]
    assert not any(record.exc_info for record in caplog.records), "no traceback for a bad request"
    assert not AccessAttempt.objects.exists()


def test_an_answer_in_latin_1_changes_nothing(learner_client, quiz):
    item = quiz.items.order_by("position").first()
    url = reverse("quizzes:answer", args=[quiz.pk, item.position])
    response = learner_client.post(url, "choice=0".encode("latin-1"), content_type=f"{FORM}; charset=latin-1")
    assert response.status_code == 400
    assert Quiz.objects.get(pk=quiz.pk).answered_count == 0


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"'])
def test_a_form_that_names_utf_8_still_works(client, learner, charset):
    response = client.post(
        reverse("login"),
        b"username=learner1&password=correct-horse-battery",
        content_type=f"{FORM}; charset={charset}",
    )
    assert response.status_code == 302


def test_multipart_in_another_charset_is_refused_too(staff_client):
    topic = make_topic()
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--b--\r\n',
        content_type="multipart/form-data; boundary=b; charset=cp1252",
    )
    assert response.status_code == 400
    assert not Article.objects.filter(topic=topic).exists()


# The quiz page's ?answered=


@pytest.mark.parametrize(
    "shown", ["²", "٣", "¹²", "1²", "99999999999999999999999", "-1", "0", "1.0", " 1", "一"]
)
def test_an_answered_position_that_is_not_a_plain_number_is_refused_or_ignored(learner_client, quiz, shown):
    response = learner_client.get(reverse("quizzes:take", args=[quiz.pk]), {"answered": shown})
    assert response.status_code in (302, 400), response.status_code  # never a 500
    assert Quiz.objects.get(pk=quiz.pk).answered_count == 0


def test_an_answered_position_in_ascii_digits_still_shows_its_feedback(learner_client, quiz):
    item = quiz.items.order_by("position").first()
    data = {"choice": "0"} if item.options else {"response": "不记得了"}
    learner_client.post(reverse("quizzes:answer", args=[quiz.pk, item.position]), data)
    response = learner_client.get(reverse("quizzes:take", args=[quiz.pk]), {"answered": str(item.position)})
    assert response.status_code == 200
    assert "feedback" in response.context


# Lengths on the login form


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_over_long_username_is_a_form_error_that_reaches_neither_axes_nor_the_database(client, length):
    response = client.post(reverse("login"), {"username": "用" * length, "password": "x"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_username_of_the_longest_allowed_length_is_an_ordinary_failure(client):
    response = client.post(reverse("login"), {"username": "u" * 150, "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get().username == "u" * 150


def test_an_over_long_password_is_refused_before_hashing(client, learner):
    response = client.post(reverse("login"), {"username": "learner1", "password": "p" * 5000})
    assert response.status_code == 200
    assert "at most 4096 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


# A signed-in visitor's 404 while the database is down


def test_a_signed_in_visitors_404_while_the_database_is_down_is_still_a_404_page(learner):
    switch = DatabaseSwitch()
    browser = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    browser.force_login(learner)
    switch.down()
    try:
        response = browser.get("/no/such/page/")
    finally:
        switch.up()
    page = response.content.decode()
    assert response.status_code == 404, page[:300]
    assert "Page not found" in page and "Traceback" not in page
    assert_site_headers(response)


def test_the_same_404_with_the_database_up_is_in_the_layout_with_the_user(learner_client):
    response = learner_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "learner1" in response.content.decode()


# HEAD on read-only pages


def test_head_is_answered_on_public_and_learner_pages(client, learner, quiz):
    article = make_article(slug="head-note")
    for url in (
        reverse("articles:topic_list"),
        article.topic.get_absolute_url(),
        article.get_absolute_url(),
        reverse("login"),
        reverse("accounts:signup"),
        reverse("password_reset"),
    ):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""
    client.force_login(learner)
    for url in (
        reverse("quizzes:scores"),
        reverse("quizzes:review"),
        reverse("accounts:settings"),
        reverse("quizzes:take", args=[quiz.pk]),
    ):
        assert client.head(url).status_code == 200, url


def test_read_only_pages_still_refuse_writes(client):
    article = make_article(slug="put-note")
    assert client.put(article.get_absolute_url()).status_code == 405
    assert client.delete(reverse("articles:topic_list")).status_code == 405


# Oversized note bodies


@override_settings(NOTESITE_MAX_BODY_CHARS=2000)
def test_an_oversized_body_is_refused_in_the_admin_and_the_editors_text_comes_back(staff_client):
    topic = make_topic()
    body = "ViT是{{Google}}。" + "[" * 3000 + "结尾的文字"
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        {"title": "长笔记", "slug": "long", "topic": topic.pk, "status": "published", "body": body},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This note is too long: 3020 characters, at most 2000." in page
    assert "结尾的文字" in page and response.context["adminform"].form["body"].value() == body
    assert not Article.objects.exists()


@override_settings(NOTESITE_MAX_BODY_CHARS=2000)
def test_an_oversized_edit_keeps_the_stored_note(staff_client):
    article = make_article(slug="kept")
    before = article.body
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": article.title,
            "slug": "kept",
            "topic": article.topic_id,
            "status": "published",
            "body": "$" * 2001,
        },
    )
    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == before


@override_settings(NOTESITE_MAX_BODY_CHARS=2000)
def test_an_oversized_body_is_refused_by_the_import():
    text = "---\ntitle: 长\nslug: long\ntopic: 深度学习\nstatus: published\n---\n" + "`" * 2500 + "\n"
    result = import_article_text(text, "long.md")
    assert result.outcome.value == "failed"
    assert "too long" in result.detail
    assert not Article.objects.exists()


def test_a_body_at_the_limit_is_accepted(staff_client, settings):
    settings.NOTESITE_MAX_BODY_CHARS = 40
    topic = make_topic()
    body = "ViT是{{Google}}提出的。" + "x" * (40 - len("ViT是{{Google}}提出的。"))
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        {"title": "刚好", "slug": "edge", "topic": topic.pk, "status": "published", "body": body},
    )
    assert response.status_code == 302


def test_head_keeps_the_gets_length_and_sends_no_body(client):
    article = make_article(slug="head-length")
    response = client.head(article.get_absolute_url())
    assert response.content == b""
    assert int(response["Content-Length"]) > 1000


# Logs


def test_a_refused_request_is_logged_on_one_line_and_a_server_error_keeps_its_traceback():
    from notesite.logs import ClientErrorsOnOneLine

    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    one_line = ClientErrorsOnOneLine()
    refused = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad Request", (), exc_info)
    refused.status_code = 400
    suspicious = logging.LogRecord(
        "django.security.DisallowedHost", logging.ERROR, __file__, 1, "x", (), exc_info
    )
    failed = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error", (), exc_info)
    failed.status_code = 500
    assert all(one_line.filter(record) for record in (refused, suspicious, failed))
    assert refused.exc_info is None and suspicious.exc_info is None
    assert failed.exc_info is exc_info
    handler = logging.StreamHandler(io.StringIO())
    assert handler.format(refused).count("\n") == 0
