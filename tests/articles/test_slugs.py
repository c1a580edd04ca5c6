"""Slugs: ASCII from Chinese titles by pinyin, unique, editable, also on import."""

import textwrap

import pytest
from django.urls import reverse

from articles.library_files import Outcome, import_article_text
from articles.models import Article, Topic
from articles.slugs import slug_from_title, unique_slug
from tests.factories import make_article, make_topic


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Swin Transformer：移位窗口注意力", "swin-transformer-yi-wei-chuang-kou-zhu-yi-li"),
        ("梯度检查点", "ti-du-jian-cha-dian"),
        ("ViT 入门", "vit-ru-men"),
        ("BERT预训练", "bert-yu-xun-lian"),
        ("Adam 与 AdamW 的区别", "adam-yu-adamw-de-qu-bie"),
        ("重庆", "chong-qing"),  # a heteronym read as in the word
        ("IoU / GIoU", "iou-giou"),
        ("！！！", "note"),  # nothing to spell: still a slug
        ("", "note"),
    ],
)
def test_slug_from_title_is_ascii_pinyin(title, slug):
    assert slug_from_title(title) == slug
    assert slug_from_title(title).isascii()


def test_slug_from_title_respects_the_length_and_ends_cleanly():
    slug = slug_from_title("注意力机制" * 30, max_length=40)
    assert len(slug) <= 40 and not slug.endswith("-")


def test_unique_slug_adds_the_first_free_number():
    taken = {"vit", "vit-2", "vit-3"}
    assert unique_slug("vit", taken.__contains__) == "vit-4"
    assert unique_slug("gan", taken.__contains__) == "gan"
    long = "a" * 200
    assert unique_slug(long, {long}.__contains__) == "a" * 198 + "-2"


@pytest.mark.django_db
def test_saving_without_a_slug_makes_one_and_collisions_get_a_suffix():
    topic = make_topic()
    first = Article.objects.create(topic=topic, title="目标检测", body="YOLO 是{{单阶段}}检测器。\n")
    second = Article.objects.create(topic=topic, title="目标检测", body="DETR。\n")
    assert (first.slug, second.slug) == ("mu-biao-jian-ce", "mu-biao-jian-ce-2")
    first.title = "换了标题"
    first.save()
    assert Article.objects.get(pk=first.pk).slug == "mu-biao-jian-ce"  # a slug once made stays


@pytest.mark.django_db
def test_topics_get_pinyin_slugs_too():
    assert Topic.objects.create(name="生成模型").slug == "sheng-cheng-mo-xing"
    assert Topic.objects.create(name="生成·模型").slug == "sheng-cheng-mo-xing-2"


@pytest.mark.django_db
def test_admin_makes_the_slug_when_left_empty_and_keeps_an_edited_one(staff_client):
    topic = make_topic()
    add = reverse("admin:articles_article_add")
    data = {"title": "激活函数", "slug": "", "topic": topic.pk, "status": "draft", "body": "常用{{GELU}}。"}
    assert staff_client.post(add, data).status_code == 302
    assert Article.objects.filter(slug="ji-huo-han-shu").exists()

    assert staff_client.post(add, data).status_code == 302
    assert Article.objects.filter(slug="ji-huo-han-shu-2").exists()

    data = {**data, "slug": "activations"}
    assert staff_client.post(add, data).status_code == 302
    article = Article.objects.get(slug="activations")
    change = reverse("admin:articles_article_change", args=[article.pk])
    response = staff_client.post(change, {**data, "slug": "activation-functions"})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).slug == "activation-functions"


@pytest.mark.django_db
def test_admin_refuses_a_slug_another_article_has(staff_client):
    make_article(slug="taken")
    topic = make_topic()
    data = {"title": "别的", "slug": "taken", "topic": topic.pk, "status": "draft", "body": "x"}
    response = staff_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]
    assert Article.objects.filter(slug="taken").count() == 1


NO_SLUG = textwrap.dedent(
    """\
    ---
    title: 随机森林
    topic: 经典机器学习
    status: published
    ---
    随机森林用{{Bagging}}集成决策树。
    """
)


@pytest.mark.django_db
def test_import_without_a_slug_makes_one_and_importing_again_updates_it():
    assert import_article_text(NO_SLUG, "rf.md").outcome is Outcome.CREATED
    article = Article.objects.get()
    assert article.slug == "sui-ji-sen-lin"
    assert article.topic.slug == "jing-dian-ji-qi-xue-xi"
    assert import_article_text(NO_SLUG, "rf.md").outcome is Outcome.UNCHANGED
    changed = NO_SLUG.replace("{{Bagging}}", "{{Bagging}}（自助采样）")
    assert import_article_text(changed, "rf.md").outcome is Outcome.UPDATED
    assert Article.objects.count() == 1
