"""The write anchor: one lock, three updates, one insert and a partial, routed only by bench.urls."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from quizzes.models import Card, KeyFact, Question, ReviewLog, TopicScore
from tests.factories import make_article, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def card(learner):
    article = make_article(body="ViT是{{Google}}提出的。")
    fact = KeyFact.objects.get(article=article)
    TopicScore.objects.create(user=learner, topic=article.topic)
    return Card.objects.create(user=learner, fact=fact, topic=article.topic, due=timezone.now())


def anchor_url(card_id):
    return reverse("bench_write_anchor", urlconf="bench.urls", args=[card_id])


@pytest.mark.urls("bench.urls")
def test_the_write_anchor_locks_one_row_makes_three_updates_and_one_insert(learner_client, learner, card):
    with CaptureQueriesContext(connection) as queries:
        response = learner_client.post(anchor_url(card.pk), headers=HX)
    assert response.status_code == 200
    assert f'<p class="write-anchor">{card.pk} · ' in response.content.decode()
    # The session's own save (its first request stores the time zone) is the middleware's.
    ours = [query["sql"] for query in queries if "django_session" not in query["sql"]]
    statements = [sql.split(None, 1)[0].upper() for sql in ours]
    assert statements.count("UPDATE") == 3 and statements.count("INSERT") == 1, statements
    if connection.features.has_select_for_update:
        assert sum("FOR UPDATE" in sql for sql in ours) == 1
    card.refresh_from_db()
    assert card.reviews == 1
    assert TopicScore.objects.get(user=learner, topic=card.topic).answered == 1
    assert Question.objects.get(fact=card.fact, type=Question.Type.FILL_IN).times_asked == 1
    assert ReviewLog.objects.filter(card=card).count() == 1


@pytest.mark.urls("bench.urls")
def test_the_write_anchor_writes_only_the_signed_in_learners_own_card(client, card):
    assert client.post(anchor_url(card.pk)).status_code == 302  # to the login page
    client.force_login(make_user("someone-else"))
    assert client.post(anchor_url(card.pk)).status_code == 404
    client.force_login(card.user)
    assert client.get(anchor_url(card.pk)).status_code == 405
    assert not ReviewLog.objects.exists()


def test_the_site_does_not_route_the_write_anchor():
    with pytest.raises(NoReverseMatch):
        reverse("bench_write_anchor", args=[1])
    with pytest.raises(Resolver404):
        resolve(anchor_url(1))
