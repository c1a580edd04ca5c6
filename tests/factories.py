"""Small helpers that make rows for tests."""

import itertools

from django.contrib.auth import get_user_model

from articles.models import Article, Topic

_counter = itertools.count(1)

SAMPLE_BODY = """# ViT

ViT是{{Google}}在{{2020 ~2017 ~2018}}年提出的，它把图像切成{{patch::图像块}}。

优化器常用{{AdamW|Adam-W ~Adam ~SGD::优化器}}，激活函数常用{{GELU}}。
"""

# Six facts in one topic, most with editor-chosen wrong options: enough for a five-question quiz.
QUIZ_BODY = """# 优化

ViT是{{Google}}在{{2020 ~2017 ~2018 ~2019}}年提出的。

Transformer 的激活函数常用{{GELU ~ReLU ~Sigmoid ~Tanh}}。

优化器常用{{AdamW|Adam-W ~Adam ~SGD ~RMSprop::优化器}}。

BERT 的预训练任务之一是{{MLM|掩码语言模型 ~NSP ~CLM ~RTD}}。

大模型的分词常用{{BPE ~WordPiece ~Unigram ~SentencePiece}}。
"""


def make_topic(**fields) -> Topic:
    number = next(_counter)
    fields.setdefault("name", f"Topic {number}")
    fields.setdefault("slug", f"topic-{number}")
    return Topic.objects.create(**fields)


def make_article(**fields) -> Article:
    number = next(_counter)
    fields.setdefault("topic", fields.get("topic") or make_topic())
    fields.setdefault("title", f"Article {number}")
    fields.setdefault("slug", f"article-{number}")
    fields.setdefault("body", SAMPLE_BODY)
    fields.setdefault("status", Article.Status.PUBLISHED)
    article = Article(**fields)
    article.save()
    return article


def make_user(username=None, *, staff=False, password="correct-horse-battery") -> object:
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(username=username, password=password)
    if staff:
        user.is_staff = True
        user.is_superuser = True
        user.save()
    return user
