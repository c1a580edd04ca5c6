"""The term bank on whole libraries: the demo without editors' options, notes held out, the
report, and learners' mistakes turned into options without losing anyone's data."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.library_files import import_article_text
from quizzes.extraction import regenerate_for_mistakes
from quizzes.grading import grade
from quizzes.management.commands.load_demo import DEMO_DIR
from quizzes.models import Card, KeyFact, Question, Quiz, QuizItem
from terms.files import import_terms_file
from terms.lookup import load_bank
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

HOLDOUT_DIR = Path(__file__).parent / "holdout"
AUTOMATIC_TERM_SOURCES = {"bank", "number"}
_FACT = re.compile(r"\{\{(.*?)\}\}")


def without_editor_options(text: str) -> str:
    """Every `~wrong` option removed, as a new editor would write the notes."""

    def strip(match):
        body = match.group(1)
        answer_part, separator, hint = body.partition("::")
        return "{{" + answer_part.split("~")[0].rstrip() + separator + hint + "}}"

    return _FACT.sub(strip, text)


def import_dir(directory: Path, *, strip_options: bool) -> None:
    for path in sorted(directory.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        result = import_article_text(without_editor_options(text) if strip_options else text, str(path))
        assert result.outcome.value != "failed", result.detail


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def test_demo_without_editor_options_still_gets_good_multiple_choice():
    import_terms_file(DEMO_DIR / "terms.txt")
    import_dir(DEMO_DIR, strip_options=True)
    facts = KeyFact.objects.active()
    assert not facts.exclude(wrong_options=[]).exists()
    mcqs = Question.objects.filter(fact__in=facts, type="mcq", is_generated=True)
    sources = mcqs.values_list("option_sources", flat=True)
    good = sum(1 for chosen in sources if set(chosen) <= AUTOMATIC_TERM_SOURCES)
    print(f"demo without ~: {good}/{facts.count()} facts have an MCQ of siblings or same-shape numbers")
    assert share(good, facts.count()) >= 0.90
    # No generated option grades as correct or is another name of the answer.
    bank = load_bank()
    for question in mcqs.select_related("fact"):
        fact = question.fact
        accepted = [*fact.alternatives, *bank.aliases_for(fact.answer)]
        for option in question.wrong_options:
            assert option not in accepted, (fact.answer, option)
            assert not grade(option, fact.answer, accepted, known_terms=[option]).accepted


def test_notes_held_out_get_options_of_the_answers_own_category():
    import_terms_file(DEMO_DIR / "terms.txt")
    import_dir(HOLDOUT_DIR, strip_options=False)
    bank = load_bank()
    facts = list(KeyFact.objects.active().prefetch_related("questions"))
    assert len(facts) >= 30
    automatic = own = 0
    for fact in facts:
        category = bank.category_of(fact.answer)
        for question in fact.questions.all():
            if question.type != "mcq" or not question.is_generated:
                continue
            for option, source in zip(question.wrong_options, question.option_sources, strict=True):
                automatic += 1
                same = source == "number" or (category and bank.category_of(option) == category)
                own += bool(same)
    print(f"held-out notes: {own}/{automatic} automatic options of the answer's own category")
    assert automatic >= 60
    assert share(own, automatic) >= 0.80


def test_demo_library_has_no_warnings_and_the_report_says_so():
    call_command("load_demo", stdout=StringIO())
    assert not KeyFact.objects.exclude(warnings=[]).exists()
    out = StringIO()
    call_command("question_report", stdout=out)
    report = out.getvalue()
    assert report.count("0 facts with warnings") == 7
    assert "from the term bank" in report
    assert "warning:" not in report


LEAKY = "# 注\n\n模型名 ViT-B/16 末尾的数字说的就是 patch 边长{{16}}。\n"


def test_report_lists_a_warning_with_its_place():
    make_article(slug="leaky", body=LEAKY)
    out = StringIO()
    call_command("question_report", stdout=out)
    assert "1 facts with warnings" in out.getvalue()
    assert "warning: leaky line 3, column" in out.getvalue()


def test_the_admin_shows_warnings_beside_the_fact(staff_client):
    article = make_article(slug="leaky", body=LEAKY)
    html = staff_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "line 3, column" in html and "16 appears elsewhere" in html
    html = staff_client.get(reverse("admin:quizzes_keyfact_changelist"), {"warned": "yes"}).content.decode()
    assert "16 appears elsewhere" in html


BODY = "# 优化\n\n训练大模型常用的优化器是{{AdamW}}。\n"


def answer_wrongly(fact, user, typed):
    question = Question.objects.get(fact=fact, type="fill_in")
    quiz = Quiz.objects.create(user=user, topic=fact.topic, item_count=1, answered_count=1)
    Quiz.objects.filter(pk=quiz.pk).update(finished_at=quiz.created_at)  # one open quiz a topic
    QuizItem.objects.create(
        quiz=quiz, position=0, question=question, fact=fact, response=typed, verdict="wrong",
        answered_at=quiz.created_at,
    )
    Card.objects.get_or_create(user=user, fact=fact, defaults={"topic": fact.topic, "due": quiz.created_at})


def test_frequent_learner_mistakes_become_options_and_nothing_is_lost():
    article = make_article(body=BODY)
    fact = KeyFact.objects.get(article=article)
    assert not Question.objects.filter(fact=fact, type="mcq", is_generated=True).exists()
    learners = [make_user() for _ in range(3)]
    for user in learners:
        answer_wrongly(fact, user, "Adam")
    for user in learners[:2]:
        answer_wrongly(fact, user, "Lion ")  # only two learners: not yet frequent
    answer_wrongly(fact, learners[0], "SGD")
    answer_wrongly(fact, learners[1], "sgd")
    answer_wrongly(fact, learners[2], "ＳＧＤ")
    answer_wrongly(fact, learners[0], "RMSProp")
    answer_wrongly(fact, learners[1], "RMSProp")
    answer_wrongly(fact, learners[2], "rmsprop")
    items_before = QuizItem.objects.count()
    assert regenerate_for_mistakes() == 1
    mcq = Question.objects.get(fact=fact, type="mcq")
    assert mcq.is_generated
    assert set(mcq.wrong_options[:3]) == {"Adam", "SGD", "RMSProp"}
    assert mcq.option_sources == ["mistake", "mistake", "mistake"]
    assert KeyFact.objects.get(article=article).pk == fact.pk
    assert QuizItem.objects.count() == items_before and Card.objects.count() == 3


def test_mistakes_are_read_in_a_constant_number_of_queries():
    def queries_for(facts_count):
        with transaction.atomic():
            count = _queries_for(facts_count)
            transaction.set_rollback(True)
        return count

    def _queries_for(facts_count):
        body = "# 优化\n\n" + "\n\n".join(f"第 {i} 个优化器是{{{{Opt{i}}}}}。" for i in range(facts_count))
        article = make_article(body=body)
        users = [make_user() for _ in range(3)]
        for fact in KeyFact.objects.filter(article=article):
            for user in users:
                answer_wrongly(fact, user, "Wrong")
        with CaptureQueriesContext(connection) as captured:
            regenerate_for_mistakes()
        return len(captured)

    assert queries_for(5) == queries_for(10)
