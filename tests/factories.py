"""Small helpers that make rows and requests for tests."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article, Topic
from quizzes.answering import start_topic_quiz
from quizzes.models import Card

_counter = itertools.count(1)

# The header htmx sends with every request it makes.
HX = {"HX-Request": "true"}

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


def make_quiz_topic(name="深度学习", slug="dl") -> Topic:
    """A topic with one published note, QUIZ_BODY's six facts."""
    topic = make_topic(name=name, slug=slug)
    make_article(topic=topic, slug=f"{slug}-basics", body=QUIZ_BODY)
    return topic


def make_known_cards(user, facts, now, **fields) -> list[Card]:
    """Cards of facts the learner knows (FSRS's review state, due now): asked as fill-in next."""
    fields = {
        "state": Card.State.REVIEW,
        "due": now,
        "stability": 10,
        "difficulty": 5,
        "last_review": now - timedelta(days=10),
        "reviews": 1,
        "fill_in_next": True,
        **fields,
    }
    cards = [Card(user=user, fact=fact, topic_id=fact.topic_id, **fields) for fact in facts]
    return Card.objects.bulk_create(cards)


def fill_in_quiz(user, topic, now, size=6):
    """A quiz of typed questions only: every fact of the topic is one the learner knows."""
    make_known_cards(user, topic.facts.all(), now)
    quiz = start_topic_quiz(user, topic, size, now)
    assert all(not item.options for item in quiz.items.all())
    return quiz


def item_for(quiz, answer):
    """The quiz's item that asks for `answer`."""
    return quiz.items.select_related("fact").get(fact__answer=answer)


def start_quiz(client, topic, size=5, **kwargs):
    """Start a quiz on the topic through the site, as its start form does."""
    return client.post(reverse("quizzes:start_quiz", args=[topic.slug]), {"size": size}, **kwargs)


def answer_url(item, position=None) -> str:
    """Where the answer to a quiz item is posted (or to another position of its quiz)."""
    return reverse("quizzes:answer", args=[item.quiz_id, item.position if position is None else position])


def right_answer(item) -> dict:
    """The form data of a right answer: the right option, or the answer typed."""
    if item.options:
        return {"choice": str(item.options.index(item.fact.answer))}
    return {"response": item.fact.answer}


def wrong_answer(item) -> dict:
    """The form data of a wrong answer: the first wrong option, or text that grades as wrong."""
    if item.options:
        return {"choice": str(next(i for i, option in enumerate(item.options) if option != item.fact.answer))}
    return {"response": "完全不对的答案"}


def post_answer(client, item, *, right=True, **kwargs):
    """Answer the item through the site, right or wrong, as its form does."""
    return client.post(answer_url(item), right_answer(item) if right else wrong_answer(item), **kwargs)
