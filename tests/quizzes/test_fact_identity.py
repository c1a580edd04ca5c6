"""Facts keep their identity through edits made in the admin: learners' history stays with them."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from quizzes.answering import Submission, record_answer, start_topic_quiz
from quizzes.models import Card, KeyFact, Question, QuizItem, ReviewLog, TopicScore
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

NOTE = """# 归一化与优化

Batch Normalization 由 {{Ioffe}} 和 Szegedy 在 {{2015 ~2014 ~2016 ~2017}} 年提出。

Transformer 的激活函数常用{{GELU ~ReLU ~Sigmoid ~Tanh}}。

优化器常用{{Adam W|Adam-W ~Adam ~SGD ~RMSprop::优化器}}，生成器用关键字{{yield ~return ~async ~await}}返回值。

逻辑回归里正类的概率是 {{p ~1-p ~q ~2p}}。

Lasso 回归使用 {{L1 ~L2 ~L0 ~Linf}} 正则。
"""
ANSWERS = ["Ioffe", "2015", "GELU", "Adam W", "yield", "p", "L1"]


def answer_everything(learner, topic, right=True):
    """One finished quiz in which the learner answers every fact of the topic."""
    now = timezone.now()
    quiz = start_topic_quiz(learner, topic, 10, now)
    for item in quiz.items.select_related("fact"):
        answer = item.fact.answer if right else "不知道"
        choice = str(item.options.index(item.fact.answer) if right else 0) if item.options else None
        record_answer(learner, quiz.pk, item.position, Submission(answer, choice), now)
    return quiz


@pytest.fixture
def learned():
    """The note, answered by two learners, with every fill-in question disabled by the editor."""
    topic = make_topic(name="深度学习", slug="dl")
    article = make_article(topic=topic, slug="bn", title="BN", body=NOTE)
    for name, right in (("ann", True), ("bob", False)):
        answer_everything(make_user(name), topic, right)
    assert QuizItem.objects.filter(answered_at__isnull=False).count() == 2 * len(ANSWERS)
    Question.objects.filter(type=Question.Type.FILL_IN).update(is_disabled=True)
    return Article.objects.get(pk=article.pk)


def fact(article, answer) -> KeyFact:
    return KeyFact.objects.get(article=article, answer=answer, retired_at__isnull=True)


def history_of(fact_id) -> dict:
    """Everything learners and the editor gave this fact."""
    return {
        "cards": sorted(
            Card.objects.filter(fact_id=fact_id).values_list(
                "pk", "user_id", "topic_id", "reviews", "stability", "due", "misses"
            )
        ),
        "review logs": ReviewLog.objects.filter(card__fact_id=fact_id).count(),
        "answers": sorted(
            QuizItem.objects.filter(fact_id=fact_id).values_list("pk", "question_id", "verdict", "response")
        ),
        "questions": sorted(
            Question.objects.filter(fact_id=fact_id).values_list(
                "pk", "type", "times_asked", "times_correct", "is_disabled"
            )
        ),
    }


def scores() -> list:
    return sorted(TopicScore.objects.values_list("user__username", "topic__slug", "answered", "correct"))


def save(client, article, body, *, confirm=False, topic=None, follow=False):
    data = {
        "title": article.title,
        "slug": article.slug,
        "topic": topic.pk if topic else article.topic_id,
        "status": "published",
        "body": body,
    }
    if confirm:
        data["retire_answered_facts"] = "on"
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, data, follow=follow)


KEEPING_EDITS = [
    # (what the editor did, the fact it touches, its answer after, the new body)
    ("sentence extended", "Ioffe", "Ioffe", NOTE.replace("由 {{Ioffe}}", "由谷歌的 {{Ioffe}}")),
    ("sentence shortened", "GELU", "GELU", NOTE.replace("Transformer 的激活函数常用", "激活函数常用")),
    (
        "sentence reworded",
        "GELU",
        "GELU",
        NOTE.replace("Transformer 的激活函数常用{{", "Transformer 常用的激活函数是{{"),
    ),
    ("typo fixed", "Ioffe", "Ioffe", NOTE.replace("Batch Normalization", "Batch Normalizaton")),
    (
        "paragraph moved",
        "L1",
        "L1",
        NOTE.replace("\nLasso 回归使用 {{L1 ~L2 ~L0 ~Linf}} 正则。\n", "").replace(
            "# 归一化与优化\n", "# 归一化与优化\n\nLasso 回归使用 {{L1 ~L2 ~L0 ~Linf}} 正则。\n"
        ),
    ),
    (
        "alternatives, options and hint changed",
        "Adam W",
        "Adam W",
        NOTE.replace(
            "{{Adam W|Adam-W ~Adam ~SGD ~RMSprop::优化器}}", "{{Adam W|Adam-W|AdamW ~SGD ~Adagrad ~Lion}}"
        ),
    ),
    ("answer spelling corrected", "Adam W", "AdamW", NOTE.replace("{{Adam W|", "{{AdamW|")),
    ("backticks added to the answer", "yield", "`yield`", NOTE.replace("{{yield ", "{{`yield` ")),
]


@pytest.mark.parametrize("edit, before, after, body", KEEPING_EDITS, ids=[e[0] for e in KEEPING_EDITS])
def test_an_edit_that_keeps_the_fact_keeps_its_card_answers_statistics_and_disabled_questions(
    staff_client, learned, edit, before, after, body
):
    ids = {answer: fact(learned, answer).pk for answer in ANSWERS}
    histories = {pk: history_of(pk) for pk in ids.values()}
    topic_scores = scores()

    response = save(staff_client, learned, body, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]  # saved at once: nothing retired

    continued = fact(learned, after)
    assert continued.pk == ids[before] and continued.is_active
    for pk, history in histories.items():
        assert history_of(pk) == history, (edit, pk)
    assert history_of(continued.pk)["questions"][0][-1] is True  # still disabled
    assert scores() == topic_scores
    assert set(KeyFact.objects.filter(article=learned).values_list("pk", flat=True)) == set(ids.values())
    assert "retired (answered" not in response.content.decode()


DIFFERENT_FACTS = [
    ("p becomes 1-p", "p", "1-p", NOTE.replace("{{p ~1-p ~q ~2p}}", "{{1-p ~p ~q ~2p}}")),
    (
        "2015 becomes 2016",
        "2015",
        "2016",
        NOTE.replace("{{2015 ~2014 ~2016 ~2017}}", "{{2016 ~2014 ~2015 ~2017}}"),
    ),
    ("L1 becomes L2", "L1", "L2", NOTE.replace("{{L1 ~L2 ~L0 ~Linf}}", "{{L2 ~L1 ~L0 ~Linf}}")),
    (
        "a new answer in a new sentence",
        "GELU",
        "BPE",
        NOTE.replace("Transformer 的激活函数常用{{GELU ~ReLU ~Sigmoid ~Tanh}}", "大模型的分词常用{{BPE}}"),
    ),
]


@pytest.mark.parametrize("edit, before, after, body", DIFFERENT_FACTS, ids=[e[0] for e in DIFFERENT_FACTS])
def test_a_changed_answer_retires_the_fact_after_confirmation_and_carries_no_history(
    staff_client, learned, edit, before, after, body
):
    old = fact(learned, before)
    history = history_of(old.pk)
    topic_scores = scores()

    asked = save(staff_client, learned, body)
    assert asked.status_code == 200  # a confirmation first: nothing saved
    assert Article.objects.get(pk=learned.pk).body == NOTE and fact(learned, before).pk == old.pk
    response = save(staff_client, learned, body, confirm=True, follow=True)
    assert response.redirect_chain

    old.refresh_from_db()
    assert not old.is_active and old.retired_at is not None
    assert history_of(old.pk) == history  # kept for the record, on the retired fact
    new = fact(learned, after)
    assert new.pk != old.pk and new.is_active
    assert not Card.objects.filter(fact=new).exists() and not QuizItem.objects.filter(fact=new).exists()
    assert all(times == 0 for *_, times, _correct, _disabled in history_of(new.pk)["questions"])
    assert not Question.objects.filter(fact=new, is_disabled=True).exists()
    assert scores() == topic_scores
    assert "1 new, 1 retired (answered by 2 learners)" in response.content.decode()


def test_the_confirmation_lists_the_answered_facts_and_keeps_the_editors_text(staff_client, learned):
    body = NOTE.replace("{{p ~1-p ~q ~2p}}", "{{1-p ~p}}").replace("{{L1 ~L2 ~L0 ~Linf}}", "{{L2}}")
    body += "\n我刚写的新段落：{{BPE}}。\n"
    response = save(staff_client, learned, body)
    html = response.content.decode()
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["body"].value() == body  # the text stays in the form
    errors = form.errors["retire_answered_facts"]
    assert len(errors) == 2
    assert any("“p”" in error and "answered by 2 learners" in error for error in errors), errors
    assert any("“L1”" in error and "Lasso 回归使用 ＿＿ 正则" in error for error in errors), errors
    assert 'name="retire_answered_facts"' in html and "Facts learners have answered" in html
    assert "我刚写的新段落" in html
    assert not KeyFact.objects.filter(answer="BPE").exists()  # nothing saved
    assert KeyFact.objects.filter(article=learned, retired_at__isnull=False).count() == 0


def test_removing_a_fact_nobody_answered_needs_no_confirmation(staff_client, learned):
    with_extra = NOTE + "\n补充：分词常用{{WordPiece}}。\n"
    save(staff_client, learned, with_extra)
    assert KeyFact.objects.filter(answer="WordPiece").exists()
    response = save(staff_client, learned, NOTE, follow=True)
    assert response.redirect_chain
    assert not KeyFact.objects.filter(answer="WordPiece").exists()  # never answered: gone
    assert "7 facts kept, 0 reworded (history kept), 0 new, 1 retired" in response.content.decode()


def test_the_message_says_what_the_save_did(staff_client, learned):
    body = (
        NOTE.replace("由 {{Ioffe}}", "由谷歌的 {{Ioffe}}")
        .replace("{{Adam W|", "{{AdamW|")
        .replace("{{L1 ~L2 ~L0 ~Linf}}", "{{L2}}")
        + "\n分词常用{{BPE}}。\n"
    )
    response = save(staff_client, learned, body, confirm=True, follow=True)
    # Kept: GELU, p. Reworded: Ioffe and 2015 (their sentence), Adam W (now AdamW) and yield
    # (its sentence names AdamW). New: L2 and BPE. Retired: L1.
    assert "2 facts kept, 4 reworded (history kept), 2 new, 1 retired (answered by 2 learners)" in (
        response.content.decode()
    )


def test_the_message_in_chinese(staff_client, learned):
    body = NOTE.replace("由 {{Ioffe}}", "由谷歌的 {{Ioffe}}").replace("{{L1 ~L2 ~L0 ~Linf}}", "{{L2}}")
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    asked = save(staff_client, learned, body).content.decode()
    assert "学习者答过的知识点" in asked and "2 位学习者答过" in asked
    html = save(staff_client, learned, body, confirm=True, follow=True).content.decode()
    assert "保留 4 个知识点，改写 2 个（保留历史），新增 1 个，退役 1 个（2 位学习者答过）" in html


def test_an_open_quiz_shows_the_new_sentence_and_accepts_the_corrected_answer(staff_client, learned):
    learner = make_user("carol")
    quiz = start_topic_quiz(learner, learned.topic, 10, timezone.now())
    body = NOTE.replace("{{Adam W|", "{{AdamW|").replace("优化器常用", "训练 Transformer 时优化器常用")
    save(staff_client, learned, body)
    item = quiz.items.select_related("fact").get(fact__answer="AdamW")
    assert "训练 Transformer 时优化器常用" in item.fact.sentence
    if item.options:  # multiple choice: the corrected spelling is the option to choose
        assert "AdamW" in item.options and "Adam W" not in item.options
        submission = Submission(None, str(item.options.index("AdamW")))
    else:
        submission = Submission("AdamW", None)
    staff_client.force_login(learner)
    page = staff_client.get(reverse("quizzes:take", args=[quiz.pk]) + f"?q={item.position}")
    assert page.status_code == 200
    answered = record_answer(learner, quiz.pk, item.position, submission, timezone.now())
    assert answered.is_correct


def test_saving_an_unchanged_note_writes_nothing_about_its_facts(learned):
    article = Article.objects.get(pk=learned.pk)
    before = list(KeyFact.objects.order_by("pk").values()), list(Question.objects.order_by("pk").values())
    with CaptureQueriesContext(connection) as queries:
        article.save()
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
        and "articles_article" not in query["sql"]
    ]
    assert writes == []
    assert article.fact_changes.kept == len(ANSWERS) and article.fact_changes.reworded == 0
    after = list(KeyFact.objects.order_by("pk").values()), list(Question.objects.order_by("pk").values())
    assert after == before


def test_a_moved_note_takes_its_facts_cards_and_scores_to_the_new_topic(staff_client, learned):
    old_topic = learned.topic
    new_topic = make_topic(name="优化", slug="opt")
    other = make_article(
        topic=old_topic, slug="other", body="另一篇：分词常用{{BPE ~WordPiece ~Unigram ~SentencePiece}}。"
    )
    ann = TopicScore.objects.get(user__username="ann", topic=old_topic)
    before = {name: scores_of(name) for name in ("ann", "bob")}
    answer_everything(make_user("dan"), old_topic)  # answers the other note's fact too
    dan_before = scores_of("dan")
    ids = {answer: fact(learned, answer).pk for answer in ANSWERS}
    histories = {pk: history_of(pk) for pk in ids.values()}

    response = save(staff_client, learned, NOTE, topic=new_topic, follow=True)
    assert response.redirect_chain

    assert set(KeyFact.objects.filter(article=learned).values_list("topic_id", flat=True)) == {new_topic.pk}
    assert set(Card.objects.filter(fact__article=learned).values_list("topic_id", flat=True)) == {
        new_topic.pk
    }
    for pk, history in histories.items():
        moved = history_of(pk)
        assert [card[:3] for card in moved["cards"]] == [(c[0], c[1], new_topic.pk) for c in history["cards"]]
        assert {k: v for k, v in moved.items() if k != "cards"} == {
            k: v for k, v in history.items() if k != "cards"
        }
    # Every answer counted once, in the topic its fact is in now.
    assert scores_of("ann") == {"dl": (0, 0), "opt": before["ann"]["dl"]}
    assert scores_of("bob") == {"dl": (0, 0), "opt": before["bob"]["dl"]}
    assert scores_of("dan") == {"dl": (1, 1), "opt": (dan_before["dl"][0] - 1, dan_before["dl"][1] - 1)}
    ann_now = TopicScore.objects.get(user__username="ann", topic=old_topic)
    assert (ann_now.quizzes_done, ann_now.best_score) == (ann.quizzes_done, ann.best_score)
    assert other.facts.get().topic_id == old_topic.pk

    # Moving back brings everything back, still counted once.
    save(staff_client, learned, NOTE, topic=old_topic)
    assert scores_of("ann") == {"dl": before["ann"]["dl"], "opt": (0, 0)}
    assert scores_of("dan") == {"dl": dan_before["dl"], "opt": (0, 0)}


def scores_of(username) -> dict:
    return {slug: (answered, correct) for name, slug, answered, correct in scores() if name == username}


def test_a_retired_fact_comes_back_with_its_history_when_its_paragraph_is_restored(staff_client, learned):
    old = fact(learned, "L1")
    history = history_of(old.pk)
    without = NOTE.replace("Lasso 回归使用 {{L1 ~L2 ~L0 ~Linf}} 正则。\n", "")
    save(staff_client, learned, without, confirm=True)
    old.refresh_from_db()
    assert old.retired_at is not None and not old.is_active
    save(staff_client, learned, NOTE)
    old.refresh_from_db()
    assert old.retired_at is None and old.is_active
    assert history_of(old.pk) == history


def test_a_draft_keeps_its_facts_inactive_but_not_retired(learned):
    learned.status = Article.Status.DRAFT
    learned.save()
    assert not KeyFact.objects.filter(article=learned, is_active=True).exists()
    assert not KeyFact.objects.filter(article=learned, retired_at__isnull=False).exists()
    learned.status = Article.Status.PUBLISHED
    learned.body = NOTE.replace("由 {{Ioffe}}", "由谷歌的 {{Ioffe}}")
    learned.save()
    assert (learned.fact_changes.kept, learned.fact_changes.reworded) == (len(ANSWERS) - 2, 2)  # Ioffe, 2015


# --- importing -------------------------------------------------------------------------------


def test_an_import_keeps_identity_and_reports_what_it_did_per_file(tmp_path, learned):
    from articles.library_files import article_to_text

    ids = {answer: fact(learned, answer).pk for answer in ANSWERS}
    histories = {pk: history_of(pk) for pk in ids.values()}
    edited = NOTE.replace("由 {{Ioffe}}", "由谷歌的 {{Ioffe}}").replace("{{L1 ~L2 ~L0 ~Linf}}", "{{L2}}")
    (tmp_path / "bn.md").write_text(article_to_text(learned).replace(NOTE, edited), encoding="utf-8")
    (tmp_path / "new.md").write_text(
        "---\ntitle: 新\nslug: new\ntopic: 深度学习\ntopic_slug: dl\nstatus: published\n---\n"
        "分词常用{{BPE}}。\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert any(
        "bn.md" in line
        and "updated" in line
        and "4 facts kept, 2 reworded (history kept), 1 new, 1 retired (answered by 2 learners)" in line
        for line in lines
    ), lines
    assert any(
        "new.md" in line and "0 facts kept, 0 reworded (history kept), 1 new, 0 retired" in line
        for line in lines
    )
    for answer in ("Ioffe", "2015", "GELU", "p"):
        assert fact(learned, answer).pk == ids[answer]
    for pk, history in histories.items():
        assert history_of(pk) == history
    assert KeyFact.objects.get(pk=ids["L1"]).retired_at is not None

    out = io.StringIO()
    call_command("import_articles", str(tmp_path), stdout=out)  # again: nothing to do
    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()
