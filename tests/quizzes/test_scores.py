"""The "my scores" page: what it shows, to whom, and at what cost in queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.markup import BLANK
from quizzes.models import Card, KeyFact, TopicScore
from quizzes.scheduling import retrievability
from quizzes.scores import MOST_MISSED_LIMIT
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

SCORES_URL = reverse("quizzes:scores")


def make_card(user, fact, *, now=None, due_in_days=3.0, reviewed_days_ago=2, misses=0):
    """A card in FSRS's review state, as if the fact had been answered a few times."""
    now = now or timezone.now()
    return Card.objects.create(
        user=user,
        fact=fact,
        topic_id=fact.topic_id,
        state=Card.State.REVIEW,
        stability=8.0,
        difficulty=5.0,
        due=now + timedelta(days=due_in_days),
        last_review=now - timedelta(days=reviewed_days_ago),
        reviews=3,
        misses=misses,
    )


def facts_of(article):
    facts = list(KeyFact.objects.filter(article=article).order_by("position"))
    assert facts, "the sample article should yield key facts"
    return facts


@pytest.fixture
def vision(learner):
    """A topic with one note of five facts: the learner has met two and is due on one."""
    topic = make_topic(name="计算机视觉", slug="cv")
    article = make_article(topic=topic, title="ViT 入门", slug="vit")
    facts = facts_of(article)
    TopicScore.objects.create(
        user=learner,
        topic=topic,
        answered=8,
        correct=6,
        quizzes_done=2,
        last_score=0.7,
        best_score=0.8,
        recent_scores=[0.8, 0.7],
    )
    due_card = make_card(learner, facts[0], due_in_days=-1, misses=3)
    later_card = make_card(learner, facts[1], due_in_days=5, misses=1)
    return {"topic": topic, "article": article, "facts": facts, "cards": [due_card, later_card]}


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(SCORES_URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={SCORES_URL}"


def test_a_new_learner_sees_an_empty_state(learner_client):
    response = learner_client.get(SCORES_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No scores yet" in page
    assert reverse("articles:topic_list") in page
    assert "<svg" not in page
    assert response.context["rows"] == []


def test_scores_come_from_topic_score_not_from_answers(learner_client, vision):
    # No quiz or answer rows exist: the totals can only come from TopicScore.
    (row,) = learner_client.get(SCORES_URL).context["rows"]
    assert row.topic == vision["topic"]
    assert (row.score.answered, row.score.correct, row.score.quizzes_done) == (8, 6, 2)
    assert row.accuracy == 0.75
    assert (row.last_score, row.best_score) == (0.7, 0.8)


def test_mastery_recall_and_due_per_topic(learner_client, vision):
    response = learner_client.get(SCORES_URL)
    (row,) = response.context["rows"]
    assert row.active_facts == len(vision["facts"]) == 5
    assert row.seen == 2
    assert row.mastery == pytest.approx(0.4)
    assert row.due == 1
    now = timezone.now()
    expected = sum(retrievability(card, now) for card in vision["cards"]) / 2
    assert 0 < row.mean_recall < 1
    assert row.mean_recall == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    "left_out", [{"suspended": True}, {"buried_until": timezone.now() + timedelta(hours=8)}]
)
def test_a_topics_due_count_leaves_out_suspended_and_buried_cards(learner_client, vision, left_out):
    Card.objects.filter(pk=vision["cards"][0].pk).update(**left_out)
    response = learner_client.get(SCORES_URL)
    (row,) = response.context["rows"]
    assert row.due == 0 == response.context["habit"].today.due


def test_the_page_shows_the_numbers(learner_client, vision):
    page = learner_client.get(SCORES_URL).content.decode()
    assert "计算机视觉" in page
    assert '<dd class="num">8</dd>' in page
    assert '<dd class="num">6</dd>' in page
    assert '<dd class="num">75%</dd>' in page
    assert '<dd class="num">70%</dd>' in page and '<dd class="num">80%</dd>' in page  # last, best
    assert "2 / 5" in page
    assert "(40%)" in page
    assert reverse("quizzes:review") in page  # the due count links to the review


def test_the_charts_are_accessible_svg_drawn_by_the_app(learner_client, vision):
    page = learner_client.get(SCORES_URL).content.decode()
    # The bar chart, one sparkline, and the heatmap twice (a year; recent months for phones).
    assert page.count('role="img"') == 4
    assert 'aria-label="Accuracy by topic: 计算机视觉 75%"' in page
    assert "<title>Accuracy by topic</title>" in page
    assert "last quiz scores, oldest first: 80%, 70%" in page
    assert "<polyline" in page
    # Nothing from another host (a plain "cdn" search also hit random CSRF tokens now and then).
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert "<script>" not in page
    assert 'style="' not in page


def test_a_topic_without_finished_quizzes_has_no_trend(learner_client, learner):
    article = make_article(title="GAN", slug="gan")
    make_card(learner, facts_of(article)[0])
    page = learner_client.get(SCORES_URL).content.decode()
    assert "no quiz yet" in page
    assert "<polyline" not in page


def test_a_topic_with_cards_but_no_score_row_is_listed(learner_client, learner):
    article = make_article(title="GAN", slug="gan")
    make_card(learner, facts_of(article)[0])
    response = learner_client.get(SCORES_URL)
    (row,) = response.context["rows"]
    assert row.topic == article.topic
    assert row.score is None
    assert row.seen == 1
    assert row.accuracy is None
    assert '<dd class="num">–</dd>' in response.content.decode()  # no accuracy, last or best yet


def test_retired_facts_count_neither_in_mastery_nor_in_missed(learner_client, learner, vision):
    KeyFact.objects.filter(pk=vision["facts"][0].pk).update(is_active=False)
    response = learner_client.get(SCORES_URL)
    (row,) = response.context["rows"]
    assert (row.seen, row.active_facts, row.due) == (1, 4, 0)
    assert [missed.card.fact for missed in response.context["most_missed"]] == [vision["facts"][1]]


def test_most_missed_facts_link_to_their_paragraph(learner_client, vision):
    response = learner_client.get(SCORES_URL)
    missed = response.context["most_missed"]
    assert [entry.card.misses for entry in missed] == [3, 1]
    fact = vision["facts"][0]
    assert fact.anchor
    page = response.content.decode()
    assert f'href="{vision["article"].get_absolute_url()}#{fact.anchor}"' in page
    assert "Missed 3 times" in page


def test_a_missed_fact_is_shown_in_its_sentence_with_the_answer_highlighted(learner_client, vision):
    page = learner_client.get(SCORES_URL).content.decode()
    first = vision["facts"][0]
    assert f'<mark class="fact">{first.answer}</mark>' in page
    assert BLANK not in page


def test_a_missed_code_answer_is_shown_as_code(learner_client, learner):
    article = make_article(body="生成器用{{`yield`}}返回值，面积是{{$a^2$}}。\n")
    code_fact, math_fact = facts_of(article)
    make_card(learner, code_fact, misses=2)
    make_card(learner, math_fact, misses=1)
    page = learner_client.get(SCORES_URL).content.decode()
    assert '<mark class="fact"><code>yield</code></mark>' in page
    assert '<mark class="fact"><math display="inline">' in page
    assert "&lt;code&gt;" not in page


def test_most_missed_lists_the_top_ten_most_missed_first(learner_client, learner):
    facts = []
    for number in range(3):
        facts += facts_of(make_article(title=f"Note {number}", slug=f"note-{number}"))
    for misses, fact in enumerate(facts, start=1):
        make_card(learner, fact, misses=misses)
    missed = learner_client.get(SCORES_URL).context["most_missed"]
    assert len(missed) == MOST_MISSED_LIMIT < len(facts)
    assert [entry.card.misses for entry in missed] == list(range(len(facts), len(facts) - 10, -1))


def test_no_missed_facts_yet(learner_client, learner):
    article = make_article()
    make_card(learner, facts_of(article)[0], misses=0)
    page = learner_client.get(SCORES_URL).content.decode()
    assert "No missed facts yet." in page


def test_another_learners_scores_stay_private(learner_client, vision):
    other = make_user("someone-else")
    topic = make_topic(name="生成模型", slug="gen")
    TopicScore.objects.create(user=other, topic=topic, answered=3, correct=1)
    make_card(other, vision["facts"][2], misses=9)
    response = learner_client.get(SCORES_URL)
    assert [row.topic for row in response.context["rows"]] == [vision["topic"]]
    assert [entry.card.misses for entry in response.context["most_missed"]] == [3, 1]
    assert response.context["rows"][0].seen == 2
    assert "生成模型" not in response.content.decode()


def add_history(user, topics: int, notes_per_topic: int, scores: int = 10):
    """Topics, notes and facts; a score row and a card (some missed, some due) per fact."""
    for topic_number in range(topics):
        topic = make_topic()
        TopicScore.objects.create(
            user=user,
            topic=topic,
            answered=20,
            correct=15,
            quizzes_done=scores,
            last_score=0.6,
            best_score=0.9,
            recent_scores=[0.5 + n / 40 for n in range(scores)],
        )
        for _ in range(notes_per_topic):
            for index, fact in enumerate(facts_of(make_article(topic=topic))):
                make_card(user, fact, due_in_days=index - 2, misses=(index + topic_number) % 3)


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SCORES_URL)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_library_or_history(learner_client, learner):
    add_history(learner, topics=1, notes_per_topic=1, scores=1)
    count_queries(learner_client)  # a new session reads the learner's time zone once
    small = count_queries(learner_client)

    add_history(learner, topics=4, notes_per_topic=3)
    make_article(topic=make_topic())  # library growth the learner has not touched
    large = count_queries(learner_client)

    assert len(learner_client.get(SCORES_URL).context["rows"]) == 5
    assert small == large, f"{small} queries with a little history, {large} with more"
    assert large <= 9


def test_the_scores_page_speaks_chinese_to_a_chinese_browser(learner_client, vision):
    page = learner_client.get(SCORES_URL, headers={"Accept-Language": "zh-hans"})
    text = page.content.decode()
    assert "<h1>我的成绩</h1>" in text
    assert 'aria-label="各主题正确率：计算机视觉 75%"' in text
    assert "答错 3 次" in text
