"""The site's own error pages: in its layout where a request is at hand, standalone where not."""

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse

from tests.factories import make_topic


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, heading", [("en", "Page not found"), ("zh-hans", "页面不存在")]
)
def test_a_missing_page_is_a_404_in_the_sites_layout_and_language(language, heading):
    make_topic(name="深度学习", slug="dl")
    response = Client(headers={"Accept-Language": language}).get("/notes/no-such-note/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in page
    assert f'href="{reverse("articles:topic_list")}"' in page  # a way back
    assert 'class="site-header"' in page


@pytest.mark.django_db
def test_a_post_without_csrf_token_gets_the_sites_explanation():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Form expired" in page and "表单已过期" in page
    assert "<style" not in page and "style=" not in page


@pytest.mark.parametrize("name, words", [("500.html", "Something went wrong"), ("503.html", "unavailable")])
def test_pages_without_a_request_need_no_database_script_or_inline_style(name, words):
    # No django_db mark: a query while rendering would fail the test.
    page = loader.get_template(name).render({"stylesheet": "/static/css/site.css"})
    assert words in page
    assert "/static/css/site.css" in page
    assert "<script" not in page and "<style" not in page and "style=" not in page
