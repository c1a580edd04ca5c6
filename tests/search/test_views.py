"""The results page: full page or htmx partial, drafts, bad input, the navigation's box,
the admin's search, and query counts that do not grow with the library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import HX, make_article, make_topic

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


@pytest.fixture
def notes():
    topic = make_topic(name="深度学习")
    return {
        "published": make_article(topic=topic, title="残差网络", body="残差连接缓解{{梯度消失}}。\n"),
        "draft": make_article(
            topic=topic, title="草稿：残差", body="残差的草稿。\n", status=Article.Status.DRAFT
        ),
    }


def test_the_full_page_has_the_navigation_and_the_results(client, notes):
    response = client.get(URL, {"q": "残差"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'role="search"' in html
    assert 'value="残差"' in html  # the box keeps the query
    assert notes["published"].get_absolute_url() + "#p-1" in html
    assert "<mark>残差</mark>" in html


def test_under_htmx_only_the_results_come_back(client, notes):
    response = client.get(URL, {"q": "残差"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'role="search"' not in html
    assert 'class="search-results"' in html and "残差网络" in html


def test_drafts_are_hidden_from_learners_and_shown_to_editors(client, learner_client, notes):
    for reader in (client, learner_client):
        html = reader.get(URL, {"q": "残差"}).content.decode()
        assert "残差网络" in html and "草稿：残差" not in html


def test_editors_see_drafts_marked_as_drafts(staff_client, notes):
    html = staff_client.get(URL, {"q": "残差"}).content.decode()
    assert "草稿：残差" in html and "badge-draft" in html


def test_key_facts_are_shown_as_their_own_group(client, notes):
    html = client.get(URL, {"q": "梯度消失"}).content.decode()
    assert "Key facts" in html and "in 1 note" in html


def test_an_empty_search_asks_for_words(client, notes):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Type a word or two" in response.content.decode()


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(残差)", "-残差", "残差:", "(残差", ")", "'; DROP TABLE x; --", "\x00残差", "％"]
)
def test_hostile_queries_get_a_page_not_an_error(client, notes, query):
    for headers in ({}, HX):
        assert client.get(URL, {"q": query}, headers=headers).status_code == 200


def test_a_huge_query_gets_a_clear_message(client, notes):
    for headers in ({}, HX):
        response = client.get(URL, {"q": "残差" * 5000}, headers=headers)
        assert response.status_code == 400
        assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999", "2"])
def test_any_page_number_gets_a_page(client, notes, page):
    assert client.get(URL, {"q": "残差", "page": page}).status_code == 200


def test_every_page_has_the_search_box(client, notes):
    html = client.get(reverse("articles:topic_list")).content.decode()
    assert f'action="{URL}"' in html and 'hx-get="' + URL + '"' in html and 'name="q"' in html


def test_the_admin_searches_the_index(staff_client, notes):
    make_article(title="Other", body="Nothing about it.\n")
    changelist = reverse("admin:articles_article_changelist")
    html = staff_client.get(changelist, {"q": "梯度"}).content.decode()
    assert "残差网络" in html and "Other" not in html
    html = staff_client.get(changelist, {"q": "殘差"}).content.decode()  # Traditional
    assert "残差网络" in html and "草稿：残差" in html
    for query in ['"', "NEAR(", "!!!"]:
        response = staff_client.get(changelist, {"q": query})
        assert response.status_code == 200 and "Other" not in response.content.decode()


def test_query_counts_do_not_grow_with_the_library(client, learner_client, staff_client):
    topic = make_topic()

    def counts():
        result = []
        for reader in (client, learner_client, staff_client):
            for headers in ({}, HX):
                for query in ("卷积", "卷积 池化", "cnn"):
                    with CaptureQueriesContext(connection) as captured:
                        assert reader.get(URL, {"q": query}, headers=headers).status_code == 200
                    result.append(len(captured))
        return result

    def add(count):
        for _ in range(count):
            make_article(topic=topic, body="CNN 的卷积层后接{{池化}}层，卷积核共享权重。\n")

    add(2)
    counts()  # the first search of a process loads the dictionary
    small = counts()
    add(25)
    assert counts() == small
