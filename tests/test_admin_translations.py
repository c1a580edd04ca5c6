"""The admin in Simplified Chinese: app names, models, fields, choices, the workbench's own
labels."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

CHINESE = {"Accept-Language": "zh-hans"}


def page(client, url):
    response = client.get(url, headers=CHINESE)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_index_names_apps_and_models_in_chinese(staff_client):
    text = visible_text(page(staff_client, reverse("admin:index")))
    for label in ("文章", "主题", "测验", "关键知识点", "题目"):
        assert label in text
    for english in ("Articles", "QUIZZES", "Quizzes", "Key facts", "Questions", "Topics"):
        assert english not in text


def test_article_change_page_labels_are_chinese(staff_client):
    article = make_article()
    text = visible_text(page(staff_client, reverse("admin:articles_article_change", args=[article.pk])))
    labels = ("标题", "正文（Markdown）", "修订说明", "修订历史")
    labels += ("输入时预览会随之更新", "留空则按标题的拼音")
    for label in labels:
        assert label in text, label
    for english in ("revision message", "Revisions", "The preview follows", "Leave empty"):
        assert english not in text, english


def test_question_list_filters_and_choices_are_chinese(staff_client):
    make_article(body="ViT是{{Google ~Meta ~OpenAI ~Microsoft}}在{{2020}}年提出的。")
    text = visible_text(page(staff_client, reverse("admin:quizzes_question_changelist")))
    for label in ("使用中", "已停用", "题型", "填空", "停用所选题目", "启用所选题目", "正确率", "区分度"):
        assert label in text, label
    for label in ("待裁定", "有申诉", "从未申诉"):
        assert label in text, label
    for english in ("retired", "Disable the selected", "times asked", "fill-in", "awaiting a ruling",
                    "never appealed", "with warnings"):
        assert english not in text, english


def test_fact_kinds_are_chinese(staff_client):
    make_article(body="ViT是{{Google}}在{{2020}}年提出的，{{自注意力}}是核心。")
    text = visible_text(page(staff_client, reverse("admin:quizzes_keyfact_changelist")))
    for label in ("数字", "英文术语", "中文术语", "公式", "代码"):
        assert label in text, label
    assert "Latin term" not in text and "chinese" not in text


def test_revision_page_is_chinese(staff_client):
    article = make_article()
    record = article.history.get()
    url = reverse("admin:articles_article_revision", args=[article.pk, record.history_id])
    text = visible_text(page(staff_client, url))
    for label in ("恢复这个版本", "正文，首次保存时", "修订"):
        assert label in text, label
