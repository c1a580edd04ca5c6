"""Facts follow their article: identity across edits, retiring, questions regenerated."""

from importlib import import_module

import pytest
from django.utils import timezone

from articles.markup import BLANK
from articles.models import Article
from articles.rendering import sentence_html
from quizzes.models import Card, KeyFact, Question
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

BODY = """ViT是{{Google}}在{{2020 ~2017 ~2018 ~2019}}年提出的。

激活函数常用{{GELU ~ReLU ~Tanh ~Sigmoid}}。

优化器常用{{AdamW|Adam-W ~Adam ~SGD ~RMSprop::优化器}}。
"""


def facts_by_answer(article):
    return {fact.answer: fact for fact in KeyFact.objects.filter(article=article)}


def test_saving_extracts_facts_with_their_parts_and_questions():
    article = make_article(body=BODY)
    facts = facts_by_answer(article)
    assert set(facts) == {"Google", "2020", "GELU", "AdamW"}
    adamw = facts["AdamW"]
    assert adamw.alternatives == ["Adam-W"] and adamw.wrong_options == ["Adam", "SGD", "RMSprop"]
    assert adamw.hint == "优化器" and adamw.kind == "latin" and adamw.is_active
    assert adamw.anchor.startswith("p-")
    assert facts["2020"].kind == "number"
    for answer in ("2020", "GELU", "AdamW"):  # three wrong options each
        types = set(facts[answer].questions.values_list("type", flat=True))
        assert types == {Question.Type.FILL_IN, Question.Type.MULTIPLE_CHOICE}
    # "Google" has only two other Latin answers beside it: a fill-in question, no bad MCQ.
    assert set(facts["Google"].questions.values_list("type", flat=True)) == {Question.Type.FILL_IN}
    mcq = adamw.questions.get(type=Question.Type.MULTIPLE_CHOICE)
    assert mcq.wrong_options == ["Adam", "SGD", "RMSprop"]


def test_extraction_twice_changes_nothing():
    article = make_article(body=BODY)
    before = list(KeyFact.objects.values())
    questions = list(Question.objects.values())
    article.save()
    assert list(KeyFact.objects.values()) == before
    assert list(Question.objects.values()) == questions


def test_editing_keeps_the_identity_of_unchanged_facts():
    article = make_article(body=BODY)
    ids = {answer: fact.pk for answer, fact in facts_by_answer(article).items()}
    article.body = BODY.replace("激活函数常用", "Transformer 的激活函数常用") + "\n新增：{{BPE}}。\n"
    article.save()
    after = facts_by_answer(article)
    assert after["Google"].pk == ids["Google"] and after["AdamW"].pk == ids["AdamW"]
    # Its sentence was extended: the same fact, reworded.
    assert after["GELU"].pk == ids["GELU"]
    assert after["GELU"].sentence.startswith("Transformer 的激活函数常用")
    assert "BPE" in after and after["BPE"].pk not in ids.values()


def test_a_removed_fact_that_was_answered_is_retired_not_deleted():
    article = make_article(body=BODY)
    learner = make_user()
    gelu = facts_by_answer(article)["GELU"]
    Card.objects.create(user=learner, fact=gelu, topic=article.topic, due=timezone.now())
    article.body = BODY.replace("激活函数常用{{GELU ~ReLU ~Tanh ~Sigmoid}}。", "")
    article.save()
    gelu.refresh_from_db()
    assert not gelu.is_active and gelu.retired_at is not None
    assert Card.objects.filter(fact=gelu).exists()


def test_drafts_and_archived_articles_have_no_active_facts_and_publishing_restores_them():
    article = make_article(body=BODY, status=Article.Status.DRAFT)
    assert not KeyFact.objects.active().exists()
    article.status = Article.Status.PUBLISHED
    article.save()
    ids = set(KeyFact.objects.active().values_list("pk", flat=True))
    assert len(ids) == 4
    article.status = Article.Status.ARCHIVED
    article.save()
    assert not KeyFact.objects.active().exists()
    article.status = Article.Status.PUBLISHED
    article.save()
    assert set(KeyFact.objects.active().values_list("pk", flat=True)) == ids


def test_a_disabled_question_stays_disabled_across_re_extraction():
    article = make_article(body=BODY)
    question = facts_by_answer(article)["Google"].questions.get(type=Question.Type.FILL_IN)
    question.is_disabled = True
    question.save()
    article.body = BODY + "\n另一句：{{BERT}}。\n"
    article.save()
    question.refresh_from_db()
    assert question.is_disabled


def test_wrong_options_come_from_the_topic_when_the_article_has_too_few():
    topic = make_topic()
    make_article(topic=topic, body="模型A叫{{ResNet}}。\n\n模型B叫{{DenseNet}}。\n\n模型C叫{{MobileNet}}。")
    article = make_article(topic=topic, body="视觉 Transformer 的名字是{{ViT}}。")
    mcq = facts_by_answer(article)["ViT"].questions.filter(type=Question.Type.MULTIPLE_CHOICE).first()
    # "ViT" is three letters; the topic's answers are too long to pass for it.
    assert mcq is None or len(mcq.wrong_options) == 3
    other = make_article(topic=topic, body="常见骨干网络之一是{{EfficientNet}}。")
    mcq = facts_by_answer(other)["EfficientNet"].questions.get(type=Question.Type.MULTIPLE_CHOICE)
    assert set(mcq.wrong_options) <= {"ResNet", "DenseNet", "MobileNet"}
    assert len(mcq.wrong_options) == 3


def test_no_option_of_any_demo_question_grades_as_correct_and_coverage_is_high():
    from django.core.management import call_command

    from quizzes.grading import grade

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    facts = KeyFact.objects.active().prefetch_related("questions")
    with_mcq = 0
    for fact in facts:
        mcq = [q for q in fact.questions.all() if q.type == Question.Type.MULTIPLE_CHOICE and q.is_generated]
        if not mcq:
            continue
        with_mcq += 1
        options = mcq[0].wrong_options
        assert len(options) == len(set(options)) == 3, fact.answer
        for option in options:
            assert not grade(option, fact.answer, fact.alternatives).accepted, (fact.answer, option)
    assert with_mcq / facts.count() >= 0.8


def test_each_fact_stores_its_sentence_as_html_and_an_edit_renders_it_again():
    body = "# T\n\n注意力的复杂度是 $O(n^2)$，由{{Vaswani}}等人提出，代码见 `attn()`。\n"
    article = make_article(body=body)
    fact = KeyFact.objects.get(article=article)
    assert fact.sentence_html == sentence_html(fact.sentence)
    assert "<code>attn()</code>" in fact.sentence_html and "<math" in fact.sentence_html
    assert BLANK in fact.sentence_html  # the answer is filled in when it is shown
    article.body = article.body.replace("代码见 `attn()`", "代码见 **源码**")
    article.save()
    fact.refresh_from_db()
    assert "<strong>源码</strong>" in fact.sentence_html and "attn()" not in fact.sentence_html


def test_the_migration_renders_the_sentences_of_facts_stored_without_html():
    from django.apps import apps

    migration = import_module("quizzes.migrations.0009_keyfact_sentence_html")
    make_article()
    KeyFact.objects.update(sentence_html="")
    migration.render_stored_sentences(apps, None)
    facts = list(KeyFact.objects.all())
    assert facts and all(fact.sentence_html == sentence_html(fact.sentence) for fact in facts)
