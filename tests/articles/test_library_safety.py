"""Editors cannot lose learners' history: no deleting answered notes, edits keep history,
a failing import changes nothing, and export + import reproduces the library exactly."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models.deletion import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.library_files import Outcome, article_to_text, import_paths
from articles.models import Article, Topic
from quizzes.answering import Submission, record_answer, start_topic_quiz
from quizzes.extraction import STORED_FIELDS
from quizzes.models import Card, KeyFact, KnownTerm, Question, QuizItem, ReviewLog, TopicScore
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

BODY = """# ViT

ViT是{{Google}}在{{2020 ~2017 ~2018 ~2019}}年提出的。

激活函数常用{{GELU ~ReLU ~Tanh ~Sigmoid}}。

优化器常用{{AdamW|Adam-W ~Adam ~SGD ~RMSprop::优化器}}。
"""


@pytest.fixture
def answered():
    """A published note whose every fact a learner has answered in a finished quiz."""
    topic = make_topic(name="深度学习", slug="dl")
    article = make_article(topic=topic, slug="vit", title="ViT 入门", body=BODY)
    learner = make_user("reader")
    now = timezone.now()
    quiz = start_topic_quiz(learner, topic, 5, now)
    for item in quiz.items.select_related("fact"):
        choice = str(item.options.index(item.fact.answer)) if item.options else None
        record_answer(learner, quiz.pk, item.position, Submission(item.fact.answer, choice), now)
    assert QuizItem.objects.filter(answered_at__isnull=False).count() == 4
    return Article.objects.get(pk=article.pk)  # as the database holds it (status as text)


def history():
    """What learners have earned, to compare before and after an editor's action."""
    return {
        "answers": sorted(
            QuizItem.objects.values_list("pk", "fact_id", "question_id", "verdict", "response")
        ),
        "cards": sorted(Card.objects.values_list("pk", "fact_id", "reviews", "due")),
        "review logs": ReviewLog.objects.count(),
        "scores": sorted(TopicScore.objects.values_list("answered", "correct", "quizzes_done")),
        "facts answered": sorted(
            KeyFact.objects.filter(quiz_items__isnull=False)
            .distinct()
            .values_list("pk", "answer", "sentence")
        ),
    }


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


# --- deleting --------------------------------------------------------------------------------


def test_an_answered_note_cannot_be_deleted_and_the_admin_offers_archiving(staff_client, answered):
    before = history()
    page = staff_client.get(delete_url(answered))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cannot delete" in html  # Django's own refusal, listing the answers in the way
    assert "cannot be deleted" in html and "answers, scores and review history" in html
    assert "Archive it instead" in html and "archived" in html
    change_url = reverse("admin:articles_article_change", args=[answered.pk])
    assert f'href="{change_url}"' in html  # where to archive it

    # Confirming anyway changes nothing.
    response = staff_client.post(delete_url(answered), {"post": "yes"})
    assert response.status_code == 200 and "Archive it instead" in response.content.decode()
    assert Article.objects.filter(pk=answered.pk).exists()
    assert history() == before


def test_the_delete_selected_action_refuses_and_offers_archiving_too(staff_client, answered):
    before = history()
    changelist = reverse("admin:articles_article_changelist")
    data = {"action": "delete_selected", "_selected_action": [answered.pk]}
    for confirm in ({}, {"post": "yes"}):
        response = staff_client.post(changelist, {**data, **confirm})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Cannot delete" in html and "Archive it instead" in html
    assert Article.objects.filter(pk=answered.pk).exists()
    assert history() == before


def test_the_database_refuses_too(answered):
    # Whatever the way in (shell, a script, a future view): the answers protect their facts.
    with pytest.raises(ProtectedError):
        answered.delete()
    assert Article.objects.filter(pk=answered.pk).exists()


def test_a_note_nobody_answered_is_deleted_without_fuss(staff_client):
    article = make_article(body=BODY)
    page = staff_client.get(delete_url(article)).content.decode()
    assert "Are you sure" in page and "Archive it instead" not in page
    response = staff_client.post(delete_url(article), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists() and not KeyFact.objects.exists()


def test_archiving_retires_the_facts_and_keeps_every_answer(staff_client, answered):
    before = history()
    changelist = reverse("admin:articles_article_changelist")
    staff_client.post(changelist, {"action": "archive", "_selected_action": [answered.pk]})
    answered.refresh_from_db()
    assert answered.status == Article.Status.ARCHIVED
    assert not KeyFact.objects.filter(article=answered, is_active=True).exists()
    assert history() == before
    assert Client().get(answered.get_absolute_url()).status_code == 404  # learners no longer see it


# --- editing ---------------------------------------------------------------------------------


def test_editing_an_answered_note_in_the_admin_keeps_its_history(staff_client, answered):
    before = history()
    kept = KeyFact.objects.get(article=answered, answer="Google")
    gelu = KeyFact.objects.get(article=answered, answer="GELU")
    # GELU's sentence is extended (the same fact), AdamW is removed, Google and 2020 stay.
    body = BODY.replace("激活函数常用", "Transformer 的激活函数常用").replace(
        "优化器常用{{AdamW|Adam-W ~Adam ~SGD ~RMSprop::优化器}}。", "优化器另文再谈。"
    )
    change_url = reverse("admin:articles_article_change", args=[answered.pk])
    form = {"title": answered.title, "slug": answered.slug, "topic": answered.topic_id}
    form |= {"status": "published", "body": body}
    # Removing a fact the learner answered asks first, and saves nothing meanwhile.
    response = staff_client.post(change_url, form)
    assert response.status_code == 200 and "AdamW" in response.content.decode()
    assert history() == before and Article.objects.get(pk=answered.pk).body == BODY
    response = staff_client.post(change_url, {**form, "retire_answered_facts": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]

    after = history()
    reworded = after.pop("facts answered")
    assert after == {key: value for key, value in before.items() if key != "facts answered"}
    assert [row[:2] for row in reworded] == [row[:2] for row in before["facts answered"]]
    facts = KeyFact.objects.filter(article=answered)
    assert facts.get(answer="Google").pk == kept.pk and facts.get(answer="Google").is_active
    gelu_now = facts.get(answer="GELU")
    assert gelu_now.pk == gelu.pk and gelu_now.is_active
    assert gelu_now.sentence.startswith("Transformer")
    adamw = facts.get(answer="AdamW")
    assert not adamw.is_active and adamw.retired_at is not None
    # The learner's finished quiz still shows every question and answer.
    learner = Client(headers={"Accept-Language": "en"})
    learner.force_login(get_user_model().objects.get(username="reader"))
    quiz = QuizItem.objects.first().quiz
    summary = learner.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert "4 of 4 correct" in summary and "AdamW" in summary and "GELU" in summary


# --- importing -------------------------------------------------------------------------------


# What a save writes into a fact, less what differs between databases (its topic's id) and
# between runs (when it retired).
NATURAL_FACT_FIELDS = [name for name in STORED_FIELDS if name not in ("topic", "retired_at")]


def library_rows():
    """The whole library and what it generates, by natural keys (ids differ between databases)."""
    return {
        "topics": sorted(Topic.objects.values_list("slug", "name", "description", "order")),
        "articles": sorted(
            Article.objects.values_list(
                "slug", "title", "topic__slug", "status", "body", "body_html", "fact_count"
            )
        ),
        "facts": sorted(KeyFact.objects.values_list("article__slug", "fingerprint", *NATURAL_FACT_FIELDS)),
        "questions": sorted(
            Question.objects.values_list(
                "fact__article__slug",
                "fact__fingerprint",
                "type",
                "wrong_options",
                "is_generated",
                "is_disabled",
            )
        ),  # fmt: skip
        "known terms": sorted(KnownTerm.objects.values_list("text", flat=True)),
    }


def test_a_failing_import_changes_nothing_for_that_file(tmp_path, answered):
    rows, before = library_rows(), history()
    # The same note, moved to a new topic, retitled, with a markup error at its end.
    broken = answered.body + "\n新的一段：{{没有闭合\n"
    text = article_to_text(answered).replace(answered.body, broken)
    text = text.replace("topic: 深度学习", "topic: 全新主题").replace("topic_slug: dl", "topic_slug: new")
    text = text.replace("title: ViT 入门", "title: 改过的标题")
    (tmp_path / "a-broken.md").write_text(text, encoding="utf-8")
    good = article_to_text(answered).replace("slug: vit", "slug: other").replace("{{Google}}", "{{谷歌}}")
    (tmp_path / "b-good.md").write_text(good, encoding="utf-8")

    results = {result.path.rsplit("/", 1)[1]: result for result in import_paths([tmp_path])}
    assert results["a-broken.md"].outcome is Outcome.FAILED
    assert "unclosed" in results["a-broken.md"].detail and "line " in results["a-broken.md"].detail
    assert results["b-good.md"].outcome is Outcome.CREATED  # the good file still imports

    after = library_rows()
    assert not Topic.objects.filter(slug="new").exists()
    assert after["topics"] == rows["topics"]
    for key in ("articles", "facts", "questions"):  # rows start with the note's slug
        assert [row for row in after[key] if row[0] != "other"] == rows[key], key
    assert history() == before


def test_a_file_with_a_null_character_fails_cleanly(tmp_path, answered):
    # PostgreSQL cannot store U+0000 in text; SQLite can. Either way: a failed file, no crash,
    # the other files imported.
    rows = library_rows()
    text = article_to_text(answered).replace("slug: vit", "slug: nul").replace("ViT是", "ViT\x00是")
    (tmp_path / "a-nul.md").write_text(text, encoding="utf-8")
    good = article_to_text(answered).replace("slug: vit", "slug: other")
    (tmp_path / "b-good.md").write_text(good, encoding="utf-8")
    results = {result.path.rsplit("/", 1)[1]: result for result in import_paths([tmp_path])}
    assert results["a-nul.md"].outcome is Outcome.FAILED, results["a-nul.md"]
    assert "null character" in results["a-nul.md"].detail
    assert results["b-good.md"].outcome is Outcome.CREATED
    assert not Article.objects.filter(slug="nul").exists()
    assert [row for row in library_rows()["articles"] if row[0] != "other"] == rows["articles"]


def test_export_then_import_into_an_empty_database_reproduces_the_demo_library(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    before = library_rows()
    assert len(before["articles"]) > 20 and len(before["facts"]) > 200
    call_command("export_articles", str(tmp_path), stdout=io.StringIO())

    # An empty library: no topics, notes, facts, questions or known terms.
    Article.objects.all().delete()
    Topic.objects.all().delete()
    KnownTerm.objects.all().delete()
    assert not KeyFact.objects.exists() and not Question.objects.exists()

    call_command("import_articles", str(tmp_path), verbosity=0, stdout=io.StringIO())
    after = library_rows()
    assert {key: len(rows) for key, rows in after.items()} == {key: len(rows) for key, rows in before.items()}
    for key in before:
        assert after[key] == before[key], key
