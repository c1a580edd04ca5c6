"""Editors see each article's facts and questions and can disable a bad question."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Question
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BODY = "ViT是{{Google}}在{{2020 ~2017 ~2018 ~2019}}年提出的。"


def test_article_change_page_lists_facts_questions_and_statistics(staff_client):
    article = make_article(body=BODY)
    html = staff_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="generated-questions"' in html
    assert "2017 · 2018 · 2019" in html  # the MCQ's options
    assert "ViT是＿＿在2020年提出的。" in html  # the stem, other facts as plain text
    assert "asked 0×" in html or "出题 0 次" in html  # times asked


def test_disabling_a_question_in_the_changelist(staff_client):
    article = make_article(body=BODY)
    question = Question.objects.get(fact__answer="2020", type=Question.Type.MULTIPLE_CHOICE)
    url = reverse("admin:quizzes_question_changelist") + f"?fact__article__id__exact={article.pk}"
    page = staff_client.get(url)
    assert page.status_code == 200
    formset = page.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "_save": "Save",
    }
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = str(form.instance.pk)
        if form.instance.pk == question.pk:
            data[f"form-{index}-is_disabled"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_disabled
    # Disabled questions are never asked; the fact keeps its fill-in question.
    article.save()
    question.refresh_from_db()
    assert question.is_disabled


def test_learners_cannot_reach_question_admin(learner_client):
    response = learner_client.get(reverse("admin:quizzes_question_changelist"))
    assert response.status_code == 302


def test_discrimination_index_follows_moodle():
    from quizzes.statistics import discrimination_index

    # Strong learners get it right, weak ones wrong: a discriminating question.
    good = [(1.0, 0.9)] * 6 + [(0.0, 0.2)] * 6
    assert discrimination_index(good) > 0.9
    # The reverse: the question misleads the strong learners.
    assert discrimination_index([(0.0, 0.9)] * 6 + [(1.0, 0.2)] * 6) < -0.9
    # Too few answers, or nobody ever wrong: nothing to say.
    assert discrimination_index(good[:5]) is None
    assert discrimination_index([(1.0, 0.5 + i / 100) for i in range(12)]) is None


def test_admin_shows_discrimination_once_a_question_has_enough_answers(staff_client):
    from django.utils import timezone

    from quizzes.models import Quiz, QuizItem
    from tests.factories import make_user

    article = make_article(body=BODY)
    question = Question.objects.get(fact__answer="2020", type=Question.Type.MULTIPLE_CHOICE)
    other = Question.objects.get(fact__answer="Google", type=Question.Type.FILL_IN)
    for number in range(12):
        strong = number % 2 == 0
        quiz = Quiz.objects.create(
            user=make_user(),
            topic=article.topic,
            item_count=2,
            answered_count=2,
            correct_count=2 if strong else 0,
            finished_at=timezone.now(),
        )
        for position, asked in enumerate((question, other), start=1):
            QuizItem.objects.create(
                quiz=quiz,
                position=position,
                question=asked,
                fact=asked.fact,
                verdict="correct" if strong else "wrong",
                answered_at=timezone.now(),
            )
    Question.objects.filter(pk__in=[question.pk, other.pk]).update(times_asked=12)
    html = staff_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "1.00" in html  # perfectly discriminating on this made-up history


def test_the_change_page_costs_the_same_queries_for_any_number_of_facts(staff_client):
    def queries_for(article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        staff_client.get(url)  # the first visit of a session loads what later ones find cached
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    few = make_article(body="\n\n".join(f"第 {n} 条：模型{{{{M{n}}}}}。" for n in range(2)))
    many = make_article(body="\n\n".join(f"第 {n} 条：模型{{{{M{n}}}}}。" for n in range(12)))
    assert many.facts.count() == 12
    assert queries_for(many) == queries_for(few)
