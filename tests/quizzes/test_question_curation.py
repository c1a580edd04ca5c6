"""The questions list as a curation queue: filters, readable options and statistics, sorting,
bulk disable and enable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import KeyFact, Question
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LIST = "/admin/quizzes/question/"
BODY = "ViT是{{Google ~Meta ~OpenAI ~Microsoft}}在{{2020 ~2017 ~2018 ~2019}}年提出的。\n"


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list), response.content.decode()


def test_the_url_is_the_admins():
    assert reverse("admin:quizzes_question_changelist") == LIST


def test_filters_split_active_and_retired_facts(staff_client):
    article = make_article(body=BODY)
    retired = KeyFact.objects.get(article=article, answer="Google")
    KeyFact.objects.filter(pk=retired.pk).update(is_active=False)
    active, _ = listed(staff_client, "?fact_status=active")
    gone, _ = listed(staff_client, "?fact_status=retired")
    assert {q.fact.answer for q in active} == {"2020"}
    assert {q.fact.answer for q in gone} == {"Google"}
    everything, html = listed(staff_client)
    assert len(everything) == 4
    assert "?fact_status=retired" in html  # offered in the sidebar


def test_filters_by_disabled_and_type(staff_client):
    make_article(body=BODY)
    Question.objects.filter(fact__answer="2020", type="mcq").update(is_disabled=True)
    disabled, _ = listed(staff_client, "?is_disabled__exact=1")
    assert [(q.fact.answer, q.type) for q in disabled] == [("2020", "mcq")]
    fill_in, _ = listed(staff_client, "?type__exact=fill_in")
    assert {q.type for q in fill_in} == {"fill_in"} and len(fill_in) == 2


def test_options_show_as_a_list_not_json(staff_client):
    make_article(body=BODY)
    _, html = listed(staff_client, "?type__exact=mcq")
    assert '<ul class="option-list"><li class="correct-option">2020</li><li>2017</li>' in html
    assert '["2017", "2018", "2019"]' not in html and "[&quot;2017" not in html


def test_options_are_escaped(staff_client):
    make_article(body="标签是{{<b>x</b> ~<i>y</i> ~<u>z</u> ~<s>w</s>}}。\n")
    _, html = listed(staff_client, "?type__exact=mcq")
    assert "<li>&lt;i&gt;y&lt;/i&gt;</li>" in html
    assert "<i>y</i>" not in html


def test_sorting_by_share_correct_and_discrimination(staff_client):
    make_article(body=BODY)
    stats = {("Google", "mcq"): (10, 9, 0.1), ("Google", "fill_in"): (10, 2, 0.6),
             ("2020", "mcq"): (10, 5, -0.2), ("2020", "fill_in"): (0, 0, None)}
    for (answer, kind), (asked, correct, discrimination) in stats.items():
        Question.objects.filter(fact__answer=answer, type=kind).update(
            times_asked=asked, times_correct=correct, discrimination=discrimination
        )
    columns = listed(staff_client)[1]
    assert "column-share_correct" in columns and "column-discrimination_index" in columns
    order = list(staff_client.get(LIST).context["cl"].list_display)
    share = order.index("share_correct")
    rows, html = listed(staff_client, f"?o={share}")
    assert [q.share_correct for q in rows] == [0.2, 0.5, 0.9, None]  # never asked: last
    assert "20%" in html and "90%" in html
    rows, _ = listed(staff_client, f"?o={order.index('discrimination_index')}")
    assert [q.discrimination for q in rows] == [-0.2, 0.1, 0.6, None]
    assert "-0.20" in _ and "0.60" in _
    rows, _ = listed(staff_client, f"?o=-{order.index('discrimination_index')}")
    assert [q.discrimination for q in rows][1:] == [0.6, 0.1, -0.2]


def test_bulk_disable_and_enable(staff_client):
    make_article(body=BODY)
    chosen = list(Question.objects.filter(fact__answer="Google").values_list("pk", flat=True))
    response = staff_client.post(LIST, {"action": "disable", "_selected_action": chosen}, follow=True)
    assert "2 questions disabled." in response.content.decode()
    assert set(Question.objects.filter(is_disabled=True).values_list("pk", flat=True)) == set(chosen)
    staff_client.post(LIST, {"action": "enable", "_selected_action": chosen[:1]})
    assert list(Question.objects.filter(is_disabled=True).values_list("pk", flat=True)) == chosen[1:]


def test_a_bulk_disabled_question_stays_disabled_when_the_article_is_saved(staff_client):
    article = make_article(body=BODY)
    chosen = list(Question.objects.filter(fact__answer="2020").values_list("pk", flat=True))
    staff_client.post(LIST, {"action": "disable", "_selected_action": chosen})
    article.body = BODY + "\n另起一段，讲别的。\n"
    article.save()
    assert Question.objects.filter(pk__in=chosen, is_disabled=True).count() == 2


def test_learners_cannot_disable_questions(learner_client):
    make_article(body=BODY)
    chosen = list(Question.objects.values_list("pk", flat=True))
    response = learner_client.post(LIST, {"action": "disable", "_selected_action": chosen})
    assert response.status_code == 302
    assert not Question.objects.filter(is_disabled=True).exists()


def test_list_queries_do_not_grow_with_questions(staff_client):
    make_article(body=BODY)

    def count():
        with CaptureQueriesContext(connection) as captured:
            listed(staff_client, "?fact_status=active")
        return len(captured)

    count()
    few = count()
    for number in range(10):
        make_article(body=BODY, slug=f"more-{number}")
    assert count() == few
