"""The benchmark at a tiny scale: it builds real-looking data, measures, and reports every figure."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from articles.models import Article
from articles.rendering import render_article
from bench import synthetic
from bench.library import synthetic_article
from bench.scales import SCALES
from quizzes.models import KeyFact, Question, Quiz, QuizItem
from search.indexing import index_article
from search.models import SearchDocument, SearchFact
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# notesite/urls.py routes the no-op view the same way; this module is the URLconf of one test.
urlpatterns = [path("healthz", include("notesite.health"))]

PAGES = [
    "topic list",
    "article page",
    "start a quiz",
    "question page",
    "submit an answer (fill-in)",
    "submit an answer (multiple choice)",
    "scores page",
    "review page",
    "search",
    "admin article list",
    "admin article change page",
]
OTHER_FIGURES = [
    "build the synthetic data",
    "save an article with 100 facts",
    "import 4 articles",
    "no-op view (healthz)",
    "answer submissions",
    "write anchor (bench only)",
    "answers / no-op",
    "answers / write anchor",
    "learner answers, quiet",
    "learner answers under a login flood",
    "learner p95, flood / quiet",
]


def test_bench_prints_and_saves_every_figure(tmp_path):
    out = io.StringIO()
    report_path = tmp_path / "report.json"
    call_command("bench", "--scale", "tiny", "--skip-load", "--json", str(report_path), stdout=out)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    figures = {figure["name"]: figure for figure in report["figures"]}
    table = out.getvalue()
    for name in PAGES + OTHER_FIGURES:
        assert name in figures and name in table, name
    for name in PAGES:
        page = figures[name]
        assert page["count"] == SCALES["tiny"].requests, name
        assert 0 < page["p50_ms"] <= page["p95_ms"], name
        assert page["queries"][0] > 0, name
    assert figures["submit an answer (fill-in)"]["checks"][1]["label"] == "<= 12 queries"
    assert figures["save an article with 100 facts"]["p50_ms"] > 0
    assert figures["save an edited article with 300 facts"]["p50_ms"] > 0
    assert figures["import 4 articles"]["amount"] > 0
    assert "PASS" in table or "MISS" in table


def test_bench_refuses_a_database_holding_other_data():
    make_user("a-real-learner")
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench", "--scale", "tiny", "--skip-load", stdout=io.StringIO())


def test_a_synthetic_article_is_what_rendering_its_markdown_gives():
    article = synthetic_article(123, 20)
    rendered = render_article(article.body)
    assert article.html == rendered.html
    stored = lambda facts: [(f.answer, f.sentence, f.context, f.anchor, f.hint) for f in facts]  # noqa: E731
    assert stored(article.facts) == stored(rendered.facts)


def test_a_built_articles_search_index_is_what_indexing_it_gives():
    synthetic.build(SCALES["tiny"])
    article = Article.objects.order_by("pk").last()
    built = SearchDocument.objects.get(article=article)
    facts = SearchFact.objects.filter(article=article)
    built_facts = set(facts.values_list("answer", "key", "words"))
    index_article(article)  # the real rendering and indexing
    indexed = SearchDocument.objects.get(article=article)
    for field in ("title", "facts", "paragraphs"):
        assert getattr(built, field) == getattr(indexed, field), field
    assert set(built.body.split()) == set(indexed.body.split())
    assert set(facts.values_list("answer", "key", "words")) == built_facts


def test_saving_a_built_article_keeps_its_facts_and_questions():
    synthetic.build(SCALES["tiny"])
    article = Article.objects.order_by("pk").first()
    facts = set(article.facts.values_list("pk", "fingerprint", "kind", "script"))
    questions = set(Question.objects.filter(fact__article=article).values_list("pk", "type"))
    article.save()  # the real rendering and extraction
    assert set(article.facts.values_list("pk", "fingerprint", "kind", "script")) == facts
    assert set(Question.objects.filter(fact__article=article).values_list("pk", "type")) == questions
    assert KeyFact.objects.count() == 6 * 20


def test_quizzes_prepared_for_the_load_and_never_answered_are_discarded():
    synthetic.build(SCALES["tiny"])
    learners = synthetic.rested_learners(2)
    items = synthetic.open_items(learners, 3 * synthetic.QUIZ_SIZE)
    reached = items[0]
    QuizItem.objects.filter(quiz_id=reached.quiz_id, position=reached.position).update(
        answered_at=timezone.now(), verdict="correct")
    Quiz.objects.filter(pk=reached.quiz_id).update(answered_count=1)
    quizzes_before = Quiz.objects.exclude(pk__in={item.quiz_id for item in items}).count()
    synthetic.discard_unanswered(items)
    assert set(Quiz.objects.filter(pk__in={item.quiz_id for item in items}).values_list("pk", flat=True)) == {
        reached.quiz_id
    }
    assert QuizItem.objects.filter(quiz_id=reached.quiz_id).count() == synthetic.QUIZ_SIZE
    assert Quiz.objects.count() == quizzes_before + 1  # the history's quizzes stay


def test_the_load_falls_on_the_learners_whose_last_quiz_began_longest_ago():
    synthetic.build(SCALES["tiny"])
    first, second, third = synthetic.rested_learners(3)
    assert synthetic.rested_learners(3) == [first, second, third]  # the same while nobody quizzes
    synthetic.open_items([first], synthetic.QUIZ_SIZE)  # a quiz begun now
    rested = synthetic.rested_learners(3)
    assert first not in rested[:2] and rested[:2] == [second, third]


@pytest.mark.urls(__name__)
def test_the_noop_view_answers_ok_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert len(queries) == 0
