"""Editors' queue of appealed answers: counts per answer, accept into the markup, reject."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.markup import scan
from articles.models import Article
from quizzes import appeals
from quizzes.answering import Submission, grade_fill_in, record_answer
from quizzes.models import AppealRuling, KeyFact, QuizItem
from tests.factories import fill_in_quiz, item_for, make_article, make_user

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:quizzes_appeal_changelist")


def typed_by(username, topic, answer, typed, *, appeal):
    user = make_user(username)
    now = timezone.now()
    quiz = fill_in_quiz(user, topic, now)
    item = item_for(quiz, answer)
    record_answer(user, quiz.pk, item.position, Submission(typed, None), now)
    if appeal:
        appeals.appeal(user, quiz.pk, item.position)
    return item


def test_the_queue_counts_learners_who_typed_and_appealed_each_answer(staff_client, topic):
    typed_by("a", topic, "Google", "谷歌", appeal=True)
    typed_by("b", topic, "Google", "谷歌。", appeal=True)
    typed_by("c", topic, "Google", "穀歌", appeal=False)  # the same answer, as the grader compares
    typed_by("d", topic, "Google", "谷歌", appeal=False)
    typed_by("e", topic, "GELU", "高斯误差线性单元", appeal=True)

    page = staff_client.get(QUEUE)

    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(row["answer"], row["appealed"], row["typed"]) for row in rows] == [
        ("Google", 2, 4),
        ("GELU", 1, 1),
    ]
    html = page.content.decode()
    assert "Accept as an alternative" in html and "Reject" in html


def test_accepting_writes_the_alternative_into_the_markup_and_keeps_the_fact(staff_client, topic):
    item = typed_by("a", topic, "Google", "谷歌", appeal=True)
    fact_id = item.fact_id

    response = staff_client.post(
        reverse("admin:quizzes_appeal_accept"), {"fact": fact_id, "answer": "谷歌"}, follow=True
    )

    assert "is now an alternative" in response.content.decode()
    article = Article.objects.get(slug="dl-basics")
    assert "{{Google|谷歌}}" in article.body
    fact = KeyFact.objects.get(pk=fact_id)
    assert fact.is_active and fact.alternatives == ["谷歌"]
    assert grade_fill_in(QuizItem(fact=fact), "谷歌").accepted
    ruling = AppealRuling.objects.get()
    assert (ruling.decision, ruling.response) == ("accepted", "谷歌")
    assert staff_client.get(QUEUE).context["rows"] == []
    assert [row["response"] for row in staff_client.get(QUEUE + "?ruled=1").context["rows"]] == ["谷歌"]


def test_rejecting_refuses_later_appeals_with_the_reason(staff_client, client, topic):
    item = typed_by("a", topic, "Google", "谷歌", appeal=True)
    staff_client.post(
        reverse("admin:quizzes_appeal_reject"),
        {"fact": item.fact_id, "answer": "谷歌", "reason": "请写英文公司名"},
    )
    later = typed_by("b", topic, "Google", "谷歌", appeal=False)
    client.force_login(later.quiz.user)
    response = client.post(reverse("quizzes:appeal", args=[later.quiz_id, later.position]))
    assert response.status_code == 400 and "请写英文公司名" in response.content.decode()
    assert "{{Google}}" in Article.objects.get(slug="dl-basics").body


def test_a_ruling_on_nothing_appealed_changes_nothing(staff_client, topic):
    fact = KeyFact.objects.get(answer="Google")
    body = Article.objects.get(slug="dl-basics").body
    response = staff_client.post(
        reverse("admin:quizzes_appeal_accept"), {"fact": fact.pk, "answer": "随便"}, follow=True
    )
    assert "Nobody has appealed that answer" in response.content.decode()
    assert Article.objects.get(slug="dl-basics").body == body
    assert not AppealRuling.objects.exists()
    assert staff_client.post(reverse("admin:quizzes_appeal_accept"), {"fact": "x"}).status_code == 404
    assert staff_client.get(reverse("admin:quizzes_appeal_accept")).status_code == 405


def test_learners_cannot_rule(learner_client, topic):
    item = typed_by("a", topic, "Google", "谷歌", appeal=True)
    response = learner_client.post(
        reverse("admin:quizzes_appeal_accept"), {"fact": item.fact_id, "answer": "谷歌"}
    )
    assert response.status_code == 302 and "login" in response.url
    assert not AppealRuling.objects.exists()


def test_the_queue_costs_the_same_queries_for_more_appeals(staff_client, topic):
    typed_by("a", topic, "Google", "谷歌", appeal=True)
    staff_client.get(QUEUE)  # the first request of a session also stores its time zone
    with CaptureQueriesContext(connection) as few:
        staff_client.get(QUEUE)
    for number in range(6):
        typed_by(f"more{number}", topic, "GELU", f"错{number}", appeal=True)
    with CaptureQueriesContext(connection) as many:
        page = staff_client.get(QUEUE)
    assert len(page.context["rows"]) == 7
    assert len(few) == len(many)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("{{Google}}", "{{Google|谷歌}}"),
        ("{{Google|Alphabet}}", "{{Google|Alphabet|谷歌}}"),
        ("{{Google ~Meta ~OpenAI}}", "{{Google|谷歌 ~Meta ~OpenAI}}"),
        ("{{Google::公司}}", "{{Google|谷歌::公司}}"),
        ("{{ Google | Alphabet ~Meta :: 公司 }}", "{{ Google | Alphabet|谷歌 ~Meta :: 公司 }}"),
        ("{{c1::Google::公司}}", "{{c1::Google|谷歌::公司}}"),
    ],
)
def test_the_alternative_goes_where_the_markup_reads_it(markup, expected):
    body = f"# 模型\n\nViT 是{markup}提出的。\n"
    fact = KeyFact(answer="Google", sentence=scan(body)[0].sentence, position=0)
    written = appeals.with_alternative(body, fact, "谷歌")
    assert written == body.replace(markup, expected)
    parsed = scan(written)[0]
    assert parsed.answer == "Google" and parsed.alternatives[-1] == "谷歌"


@pytest.mark.parametrize("text", ["a|b", "x~y", "a::b", "}}", "p\\q"])
def test_separators_in_an_accepted_answer_are_escaped_or_refused(text):
    body = "# 模型\n\nViT 是{{Google ~Meta}}提出的。\n"
    fact = KeyFact(answer="Google", sentence=scan(body)[0].sentence, position=0)
    try:
        written = appeals.with_alternative(body, fact, text)
    except appeals.RulingFailed:
        return
    parsed = scan(written)[0]
    assert parsed.alternatives == (text,) and parsed.wrong_options == ("Meta",)


def test_the_exact_switch_survives_edits_and_grading_reads_it(staff_client, topic):
    article = make_article(topic=topic, slug="numbers", body="# 数\n\nBERT 遮住{{15%}}的 token。\n")
    fact = KeyFact.objects.get(article=article)
    assert grade_fill_in(QuizItem(fact=fact), "0.15").accepted
    changelist = reverse("admin:quizzes_keyfact_changelist")
    staff_client.post(
        changelist + f"?article__id__exact={article.pk}",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(fact.pk),
            "form-0-is_exact": "on",
            "_save": "Save",
        },
    )
    fact.refresh_from_db()
    assert fact.is_exact
    article.body += "\n另一段落，讲{{MLM}}。\n"
    article.save()
    fact = KeyFact.objects.get(article=article, answer="15%")
    assert fact.is_exact
    assert not grade_fill_in(QuizItem(fact=fact), "0.15").accepted
    assert grade_fill_in(QuizItem(fact=fact), "15%").accepted
