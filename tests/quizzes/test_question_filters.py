"""The questions list's curation filters: warnings (as stored at save) and appeals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import appeals
from quizzes.answering import Submission, record_answer
from quizzes.models import Appeal, AppealRuling, Question
from tests.factories import QUIZ_BODY, fill_in_quiz, item_for, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db
QUESTIONS = reverse("admin:quizzes_question_changelist")

# The second fact's stem names its answer elsewhere ("ReLU" shows twice): a give-away warning.
WARNED_BODY = """# 激活

常用的激活函数是{{ReLU ~Sigmoid ~Tanh}}，ReLU 计算很快。

归一化常用{{LayerNorm ~BatchNorm ~GroupNorm}}。
"""


def answers_listed(staff_client, query) -> set[str]:
    response = staff_client.get(QUESTIONS + query)
    assert response.status_code == 200
    return {question.fact.answer for question in response.context["cl"].result_list}


def appeal_typed(username, topic, answer, typed):
    user = make_user(username)
    now = timezone.now()
    quiz = fill_in_quiz(user, topic, now)
    item = item_for(quiz, answer)
    record_answer(user, quiz.pk, item.position, Submission(typed, None), now)
    appeals.appeal(user, quiz.pk, item.position)


def test_the_warnings_filter_lists_only_questions_of_warned_facts(staff_client):
    make_article(topic=make_topic(slug="act"), slug="act", body=WARNED_BODY)
    assert answers_listed(staff_client, "?warnings=yes") == {"ReLU"}
    assert answers_listed(staff_client, "?warnings=no") == {"LayerNorm"}
    assert answers_listed(staff_client, "") == {"ReLU", "LayerNorm"}


def test_the_warnings_column_shows_the_warning_in_the_readers_language(staff_client):
    make_article(topic=make_topic(slug="act"), slug="act", body=WARNED_BODY)
    english = staff_client.get(QUESTIONS + "?warnings=yes").content.decode()
    assert "The question shows its own answer: ReLU appears elsewhere in it." in english
    chinese = staff_client.get(QUESTIONS + "?warnings=yes", headers={"Accept-Language": "zh-hans"})
    assert "ReLU" in chinese.content.decode()
    assert "The question shows its own answer" not in chinese.content.decode()


def test_the_appeals_filter_separates_awaiting_ruled_and_never_appealed(staff_client, topic):
    appeal_typed("a", topic, "Google", "谷歌")
    appeal_typed("b", topic, "GELU", "高斯误差线性单元")
    gelu = Appeal.objects.get(fact__answer="GELU")
    AppealRuling.objects.create(
        fact=gelu.fact, normalised=gelu.normalised, response=gelu.response, decision="rejected"
    )

    assert answers_listed(staff_client, "?appeals=awaiting") == {"Google"}
    assert answers_listed(staff_client, "?appeals=any") == {"Google", "GELU"}
    never = answers_listed(staff_client, "?appeals=none")
    assert "Google" not in never and "GELU" not in never
    assert {"AdamW", "MLM", "BPE"} <= never


def test_a_new_answer_appealed_after_a_ruling_awaits_again(staff_client, topic):
    appeal_typed("a", topic, "GELU", "高斯误差线性单元")
    first = Appeal.objects.get()
    AppealRuling.objects.create(
        fact=first.fact, normalised=first.normalised, response=first.response, decision="rejected"
    )
    assert answers_listed(staff_client, "?appeals=awaiting") == set()
    appeal_typed("b", topic, "GELU", "高斯线性")
    assert answers_listed(staff_client, "?appeals=awaiting") == {"GELU"}


def test_an_unknown_filter_value_lists_everything_without_error(staff_client, topic):
    everything = answers_listed(staff_client, "")
    assert answers_listed(staff_client, "?appeals=bogus&warnings=maybe") == everything


def test_the_filtered_list_costs_the_same_queries_at_any_size(staff_client, topic):
    def queries_for(query):
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(QUESTIONS + query)
        return len(captured)

    queries_for("")  # the first request of a session loads what later ones find cached
    small = queries_for("?appeals=any&warnings=no")
    for number in range(5):
        make_article(topic=make_topic(), slug=f"more-{number}", body=QUIZ_BODY)
        appeal_typed(f"u{number}", topic, "Google", f"谷歌{number}")
    assert Question.objects.count() > 30
    assert queries_for("?appeals=any&warnings=no") == small
