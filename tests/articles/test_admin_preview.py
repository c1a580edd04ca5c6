"""The editor's live preview: the partial for unsaved text, for staff only."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.admin_preview import MAX_PREVIEW_CHARS
from articles.models import Article
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/articles/article/preview/"


def preview(client, body, **headers):
    return client.post(PREVIEW, {"body": body}, headers={"HX-Request": "true", **headers})


def test_the_url_is_the_admins():
    assert reverse("admin:articles_article_preview") == PREVIEW


def test_preview_shows_the_note_with_its_facts_highlighted_and_saves_nothing(staff_client):
    body = "# ViT\n\nViT是{{Google ~Meta}}在{{2020}}年提出的，它把图像切成{{patch::图像块}}。\n"
    response = preview(staff_client, body)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="note-body note-preview-live">' in html
    assert '<mark class="fact" id="fact-1">Google</mark>' in html
    assert '<mark class="fact" id="fact-3">patch</mark>' in html
    assert "{{" not in html and "~Meta" not in html
    assert "3 key facts" in html
    assert 'data-error-lines=""' in html
    assert not Article.objects.exists()


def test_preview_lists_every_markup_error_with_line_and_column(staff_client):
    body = "第一行\n\nViT是{{Google在2020年提出的。\n\n优化器是{{}}。\n\n{{AdamW ~AdamW}}\n"
    html = preview(staff_client, body).content.decode()
    assert "line 3, column 5:" in html
    assert "line 5, column 5:" in html
    assert "line 7, column 10:" in html  # at the wrong option
    assert 'data-error-lines="3 5 7"' in html
    assert '<mark class="fact"' not in html  # no half-rendered note beside the errors


def test_preview_errors_speak_chinese(staff_client):
    html = preview(staff_client, "正常\n\n没有闭合 {{AdamW ~Adam", **{"Accept-Language": "zh-hans"})
    assert "第 3 行第 6 列：“{{” 没有闭合" in html.content.decode()


def test_preview_escapes_what_the_editor_writes(staff_client):
    html = preview(staff_client, '<script>alert(1)</script> 与 {{<b>x</b>}} [a](javascript:alert(1))')
    text = html.content.decode()
    assert "<script>alert" not in text and "<b>x</b>" not in text
    assert "javascript:" not in text
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize(
    "body",
    [
        "",
        "\x00\x01\x02\x03 {{\x02}} \ufffd",
        "{{" * 5000,
        "}}" * 5000 + "{{a|b~c::d" * 100,
        ">" * 3000 + " 深的引用 {{x}}",
        "- " * 2000 + "深的列表",
        "[" * 300 + "](" * 200,  # Python-Markdown's links are quadratic in nested brackets
        "$" * 4000 + "{{x}}" + "`" * 3000,
        "\r\n\r\r\n" * 1000,
        "\\" * 10000 + "{{",
    ],
)
def test_garbage_never_gets_a_500(staff_client, body):
    response = preview(staff_client, body)
    assert response.status_code == 200
    assert 'class="live-preview-result"' in response.content.decode()


def test_text_over_the_limit_is_refused_with_a_message_before_parsing(staff_client):
    response = preview(staff_client, "{{x}}" + "长" * MAX_PREVIEW_CHARS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "too long to preview" in html
    assert "<mark" not in html
    assert preview(staff_client, "长" * (MAX_PREVIEW_CHARS - 10)).status_code == 200


def test_preview_is_post_only(staff_client):
    assert staff_client.get(PREVIEW).status_code == 405


def test_preview_is_for_staff_only(learner_client, client):
    for someone in (learner_client, Client()):
        response = preview(someone, "{{secret}}")
        assert response.status_code == 302
        assert reverse("admin:login") in response.url
        assert b"<mark" not in response.content


def test_staff_without_article_permissions_get_no_preview():
    user = make_user("helper")
    user.is_staff = True
    user.save()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    assert preview(client, "{{x}}").status_code == 403


def test_preview_needs_the_csrf_token(staff):
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.force_login(staff)
    assert preview(client, "{{x}}").status_code == 403
    client.get(reverse("admin:articles_article_add"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(PREVIEW, {"body": "{{x}}"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and b'<mark class="fact"' in response.content


def test_the_editor_posts_to_the_preview_as_the_editor_types(staff_client):
    html = staff_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'data-markdown-editor' in html
    assert f'hx-post="{PREVIEW}"' in html
    assert 'hx-trigger="load, input changed delay:500ms"' in html
    assert 'hx-target="#live-preview"' in html
    assert "js/admin-editor.js" in html and "htmx" in html
    assert "<script>" not in html.replace(" ", "")  # no inline script: the policy forbids it


def test_preview_warns_of_give_aways_as_a_save_would(staff_client):
    body = (
        "# 激活\n\n"
        "比 ReLU 更平滑的{{GELU ~ReLU ~Swish ~Tanh}}常用于 Transformer。\n\n"
        "ViT-B/16 把图像切成边长为{{16}}像素的块。\n\n"
        "正则化常用{{权重衰减}}。\n"
    )
    html = preview(staff_client, body).content.decode()
    assert 'data-warning-lines="3 5"' in html
    assert "line 3, column" in html and "ReLU" in html
    assert "line 5, column" in html
    assert "line 7," not in html
    assert '<mark class="fact"' in html  # warnings sit beside the note, they don't replace it
    assert not Article.objects.exists()


def test_preview_warnings_speak_chinese(staff_client):
    body = "ViT-B/16 把图像切成边长为{{16}}像素的块。\n"
    html = preview(staff_client, body, **{"Accept-Language": "zh-hans"}).content.decode()
    assert "第 1 行第 18 列：题目泄露了答案：16" in html
