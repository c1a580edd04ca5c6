"""Revisions: every save keeps one (who, when, why); a readable diff; restoring is an edit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.library_files import import_article_text
from articles.models import Article
from quizzes.answering import Submission, record_answer, start_topic_quiz
from quizzes.models import KeyFact, QuizItem
from tests.factories import QUIZ_BODY, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

GELU = "Transformer 的激活函数常用{{GELU ~ReLU ~Sigmoid ~Tanh}}。\n\n"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **changes):
    data = {
        "title": article.title,
        "slug": article.slug,
        "topic": article.topic_id,
        "status": article.status,
        "body": article.body,
        "revision_message": "",
    }
    return {**data, **changes}


def answer_everything(learner, topic):
    """A learner's quiz over the whole topic, every question answered; {fact id: item id}."""
    quiz = start_topic_quiz(learner, topic, 10, timezone.now())
    for item in quiz.items.order_by("position"):
        submission = Submission(response=None, choice="0") if item.options else Submission("x", None)
        record_answer(learner, quiz.pk, item.position, submission, timezone.now())
    return dict(QuizItem.objects.filter(quiz=quiz).values_list("fact_id", "pk"))


def test_every_admin_save_keeps_a_revision_with_author_time_and_message(staff_client, staff):
    article = make_article()
    response = staff_client.post(
        change_url(article), form_data(article, title="ViT 新标题", revision_message="改标题")
    )
    assert response.status_code == 302
    latest = article.history.latest()
    assert (latest.title, latest.history_user, latest.history_change_reason) == (
        "ViT 新标题",
        staff,
        "改标题",
    )
    assert article.history.count() == 2  # the first save made one too
    assert latest.history_date <= timezone.now()


def test_a_save_that_changes_nothing_keeps_no_revision(staff_client):
    article = make_article()
    article.save()
    Article.objects.get(pk=article.pk).save()
    assert staff_client.post(change_url(article), form_data(article)).status_code == 302
    assert article.history.count() == 1
    article.status = Article.Status.DRAFT
    article.save()
    assert article.history.count() == 2


def test_a_refused_save_keeps_no_revision(staff_client):
    article = make_article()
    response = staff_client.post(change_url(article), form_data(article, body="坏的 {{没闭合"))
    assert response.status_code == 200
    assert article.history.count() == 1


def test_imports_and_bulk_actions_keep_revisions_too(staff_client):
    text = "---\ntitle: 随机森林\ntopic: 经典机器学习\nstatus: draft\n---\n随机森林用{{Bagging}}。\n"
    import_article_text(text, "notes/rf.md")
    article = Article.objects.get()
    assert article.history.get().history_change_reason == "import: rf.md"
    staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert article.history.count() == 2
    assert article.history.latest().status == "published"


def test_change_page_lists_revisions_with_what_changed_and_links(staff_client):
    article = make_article()
    staff_client.post(change_url(article), form_data(article, title="新标题", revision_message="改标题"))
    html = staff_client.get(change_url(article)).content.decode()
    assert 'class="revision-list"' in html
    assert "改标题" in html and "editor1" in html
    first = article.history.earliest()
    assert f"?revision={first.history_id}" in html  # restore the older one
    latest = article.history.latest()
    assert f"?revision={latest.history_id}" not in html  # the current one needs no restore
    assert reverse("admin:articles_article_revision", args=[article.pk, latest.history_id]) in html


def test_revision_page_shows_a_readable_escaped_diff(staff_client):
    article = make_article(body="第一段。\n\nViT是{{Google}}提出的。\n")
    new_body = "第一段。\n\nViT是{{Google}}在{{2020}}年提出的。<script>alert(1)</script>\n"
    staff_client.post(change_url(article), form_data(article, body=new_body, revision_message="补年份"))
    record = article.history.latest()
    html = staff_client.get(
        reverse("admin:articles_article_revision", args=[article.pk, record.history_id])
    ).content.decode()
    assert '<table class="diff"' in html
    assert re.search(r'<span class="diff_(add|chg)">[^<]*2020', html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "补年份" in html
    assert f"?revision={record.history_id}" in html


def test_revision_pages_of_other_articles_or_unknown_revisions_are_404(staff_client):
    one, other = make_article(), make_article()
    record = other.history.get()
    url = reverse("admin:articles_article_revision", args=[one.pk, record.history_id])
    assert staff_client.get(url).status_code == 404
    assert staff_client.get(url.replace(str(record.history_id), "999999")).status_code == 404


def test_revision_pages_are_for_staff_only(learner_client):
    article = make_article()
    url = reverse("admin:articles_article_revision", args=[article.pk, article.history.get().history_id])
    response = learner_client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response.url


def test_restoring_a_revision_is_a_save_that_keeps_fact_identity_and_learners_answers(
    staff_client, staff
):
    topic = make_topic()
    article = make_article(topic=topic, body=QUIZ_BODY)
    before = dict(KeyFact.objects.filter(article=article).values_list("answer", "pk"))
    learner = make_user()
    answered = answer_everything(learner, topic)
    assert set(answered) == set(before.values())

    # An edit drops the GELU paragraph: its answered fact is retired, kept.
    edited = QUIZ_BODY.replace(GELU, "")
    # (The admin asks before retiring answered facts: the box is ticked.)
    data = form_data(article, body=edited, retire_answered_facts="on")
    assert staff_client.post(change_url(article), data).status_code == 302
    gelu = KeyFact.objects.get(pk=before["GELU"])
    assert not gelu.is_active

    # Restoring the first revision: the form holds its text, saving it restores it.
    first = article.history.earliest()
    page = staff_client.get(change_url(article) + f"?revision={first.history_id}")
    html = page.content.decode()
    assert "GELU ~ReLU" in html  # the old body in the editor
    assert "save to restore it" in html
    form = page.context["adminform"].form
    assert form.initial["revision_message"].startswith("Restored the revision of")
    data = form_data(Article.objects.get(pk=article.pk), body=form.initial["body"],
                     revision_message=form.initial["revision_message"])
    assert staff_client.post(change_url(article) + f"?revision={first.history_id}", data).status_code == 302

    article.refresh_from_db()
    assert article.body == QUIZ_BODY
    after = dict(KeyFact.objects.filter(article=article, is_active=True).values_list("answer", "pk"))
    assert after == before  # the same rows: identity kept, the retired one back
    assert dict(
        QuizItem.objects.filter(pk__in=answered.values()).values_list("fact_id", "pk")
    ) == answered
    still_answered = QuizItem.objects.filter(pk__in=answered.values(), answered_at__isnull=False)
    assert still_answered.count() == len(answered)
    latest = article.history.latest()
    assert latest.history_user == staff
    assert latest.history_change_reason.startswith("Restored the revision of")
    assert article.history.count() == 3


def test_an_unknown_revision_leaves_the_form_as_saved(staff_client):
    article = make_article()
    html = staff_client.get(change_url(article) + "?revision=424242").content.decode()
    assert "save to restore it" not in html
    html = staff_client.get(change_url(article) + "?revision=abc").content.decode()
    assert "save to restore it" not in html


def test_change_page_queries_do_not_grow_with_revisions(staff_client):
    article = make_article()

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(change_url(article)).status_code == 200
        return len(captured)

    count()
    few = count()
    for number in range(30):
        article.title = f"标题 {number}"
        article.save()
    assert count() == few
    assert "The newest 20 of 31 revisions." in staff_client.get(change_url(article)).content.decode()
