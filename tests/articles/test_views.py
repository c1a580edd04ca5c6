"""Reading pages: who sees what."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    topic = make_topic(name="计算机视觉", slug="cv")
    return {
        "topic": topic,
        "published": make_article(topic=topic, title="ViT 入门", slug="vit"),
        "draft": make_article(
            topic=topic, title="草稿笔记", slug="draft-note", status=Article.Status.DRAFT
        ),
        "archived": make_article(
            topic=topic, title="旧笔记", slug="old-note", status=Article.Status.ARCHIVED
        ),
    }


def test_topic_list_counts_only_published_articles_for_learners(client, library):
    response = client.get(reverse("articles:topic_list"))
    assert response.status_code == 200
    assert response.context["topics"][0].article_count == 1
    assert "计算机视觉" in response.content.decode()


def test_topic_list_counts_drafts_for_staff(staff_client, library):
    response = staff_client.get(reverse("articles:topic_list"))
    assert response.context["topics"][0].article_count == 3


def test_topic_page_lists_published_articles_only_for_learners(learner_client, library):
    page = learner_client.get(reverse("articles:topic_detail", args=["cv"])).content.decode()
    assert "ViT 入门" in page
    assert "草稿笔记" not in page
    assert "旧笔记" not in page


def test_staff_see_drafts_clearly_marked(staff_client, library):
    page = staff_client.get(reverse("articles:topic_detail", args=["cv"])).content.decode()
    assert "草稿笔记" in page
    assert 'class="badge badge-draft"' in page
    article = staff_client.get(reverse("articles:article_detail", args=["draft-note"]))
    assert article.status_code == 200
    assert 'class="banner banner-draft"' in article.content.decode()


@pytest.mark.parametrize("slug", ["draft-note", "old-note"])
def test_unpublished_article_is_404_for_learners_and_anonymous(
    client, learner_client, library, slug
):
    url = reverse("articles:article_detail", args=[slug])
    assert learner_client.get(url).status_code == 404
    learner_client.logout()
    assert client.get(url).status_code == 404


def test_article_page_highlights_facts_without_braces(client, library):
    page = client.get(reverse("articles:article_detail", args=["vit"])).content.decode()
    assert '<mark class="fact" id="fact-1">Google</mark>' in page
    assert "{{" not in page and "}}" not in page.split("<body")[1]
    # Alternatives, wrong options and hints never leak into the reading page. (The random CSRF
    # token and CSP nonce go first: "SGD" could turn up in one by chance.)
    page = re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', "", page)
    assert "Adam-W" not in page and "SGD" not in page and "图像块" not in page


def test_unknown_topic_and_article_are_404(client, db):
    assert client.get(reverse("articles:topic_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("articles:article_detail", args=["nope"])).status_code == 404


def test_reading_pages_send_a_nonce_csp(client, library):
    response = client.get(reverse("articles:article_detail", args=["vit"]))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


def test_reading_query_counts_do_not_grow_with_the_library(client, library):
    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        for url in (
            reverse("articles:topic_list"),
            reverse("articles:topic_detail", args=["cv"]),
            reverse("articles:article_detail", args=["vit"]),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    small = counts()
    for number in range(15):
        make_article(topic=library["topic"], slug=f"more-{number}")
        make_topic(slug=f"extra-{number}")
    assert counts() == small
