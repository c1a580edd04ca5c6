"""The admin: markup errors refuse the save, preview and parsed facts show."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def post_article(client, topic, body, slug="new-note"):
    return client.post(
        reverse("admin:articles_article_add"),
        {"title": "新笔记", "slug": slug, "topic": topic.pk, "status": "published", "body": body},
    )


def test_markup_error_is_a_form_error_with_line_and_column_and_nothing_is_saved(staff_client):
    topic = make_topic()
    response = post_article(staff_client, topic, "第一行\n\nViT是{{Google在2020年提出的。")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any(error.startswith("line 3, column 5:") for error in errors), errors
    assert "line 3, column 5" in response.content.decode()
    assert not Article.objects.exists()


def test_valid_article_saves_with_author_and_fact_count(staff_client, staff):
    topic = make_topic()
    response = post_article(staff_client, topic, "ViT是{{Google}}在{{2020}}年提出的。")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == staff
    assert article.fact_count == 2
    assert '<mark class="fact" id="fact-1">Google</mark>' in article.body_html


def test_change_page_shows_preview_and_parsed_facts(staff_client):
    article = make_article()
    page = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="note-preview note-body"' in html
    assert '<mark class="fact" id="fact-1">Google</mark>' in html
    # The parsed facts table lists alternatives, wrong options and hints.
    assert "Adam-W" in html and "SGD" in html and "图像块" in html


def test_changelist_shows_topic_status_facts_and_filters(staff_client):
    make_article(title="ViT 入门")
    page = staff_client.get(
        reverse("admin:articles_article_changelist") + "?status__exact=published&q=ViT"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "ViT 入门" in html
    assert "column-fact_count" in html and "column-topic" in html and "column-status" in html


def test_slug_may_be_left_empty_to_be_made_from_the_title(staff_client):
    page = staff_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Leave empty to make one from the title (in pinyin)." in page
    assert 'name="slug"' in page and 'id="id_slug"' in page


def test_admin_is_for_staff_only(learner_client):
    response = learner_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_markup_errors_speak_the_editors_language(staff_client):
    topic = make_topic()
    body = "正常\n\n没有闭合 {{AdamW ~Adam"
    data = {"title": "坏", "slug": "bad", "topic": topic.pk, "status": "draft", "body": body}
    add = reverse("admin:articles_article_add")
    page = staff_client.post(add, data, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "第 3 行第 6 列：“{{” 没有闭合" in page
    page = staff_client.post(add, data, headers={"Accept-Language": "en"}).content.decode()
    assert "line 3, column 6: unclosed &quot;{{&quot;" in page
    assert not Article.objects.filter(slug="bad").exists()


def test_admin_query_counts_do_not_grow_with_the_library(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = make_topic()
    article = make_article(topic=topic)

    def counts():
        result = {}
        for name, url in (
            ("list", reverse("admin:articles_article_changelist")),
            ("change", reverse("admin:articles_article_change", args=[article.pk])),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert staff_client.get(url).status_code == 200
            result[name] = len(captured)
        return result

    counts()  # warm-up: the first change page also fills Django's content-type cache
    small = counts()
    for number in range(12):
        make_article(topic=make_topic(), slug=f"more-{number}")
    assert counts() == small

