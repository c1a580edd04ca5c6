"""The learner's appeal ("I was right") and "I don't know": what they change, exactly once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import appeals
from quizzes.answering import Submission, abandon, record_answer, start_topic_quiz
from quizzes.models import (
    Appeal,
    AppealRuling,
    Card,
    Question,
    Quiz,
    QuizItem,
    ReviewLog,
    TopicScore,
)
from tests.factories import HX, fill_in_quiz, item_for, make_user
from tests.quizzes.test_concurrency import ON_POSTGRES, post_together, totals_versus_answers

pytestmark = pytest.mark.django_db


def appeal_url(item):
    return reverse("quizzes:appeal", args=[item.quiz_id, item.position])


def answer_wrong(user, item, now, typed="谷歌"):
    return record_answer(user, item.quiz_id, item.position, Submission(typed, None), now)


def test_an_appeal_counts_the_answer_as_correct_everywhere(learner, learner_client, topic):
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    item = item_for(quiz, "Google")
    answer_wrong(learner, item, now)
    score = TopicScore.objects.get(user=learner, topic=topic)
    assert (score.answered, score.correct) == (1, 0)

    response = learner_client.post(appeal_url(item), headers=HX)

    assert response.status_code == 200
    assert "Counted as correct on your appeal" in response.content.decode()
    item.refresh_from_db()
    assert item.verdict == QuizItem.Verdict.CORRECT and item.response == "谷歌"
    assert Quiz.objects.get(pk=quiz.pk).correct_count == 1
    assert Question.objects.get(pk=item.question_id).times_correct == 1
    score.refresh_from_db()
    assert (score.answered, score.correct) == (1, 1)
    recorded = Appeal.objects.get()
    assert (recorded.user, recorded.fact_id, recorded.response, recorded.normalised) == (
        learner,
        item.fact_id,
        "谷歌",
        "谷歌",
    )
    card = Card.objects.get(user=learner, fact=item.fact)
    assert card.misses == 0
    assert list(card.logs.values_list("rating", flat=True)) == [3]


def test_the_card_becomes_the_one_a_right_answer_would_have_made(learner, topic):
    now = timezone.now()
    other = make_user("right-first-time")
    appealed_quiz, right_quiz = fill_in_quiz(learner, topic, now), fill_in_quiz(other, topic, now)
    appealed, right = item_for(appealed_quiz, "GELU"), item_for(right_quiz, "GELU")
    answer_wrong(learner, appealed, now, typed="gelu activation")
    record_answer(other, right.quiz_id, right.position, Submission("GELU", None), now)
    wrong_card = Card.objects.get(user=learner, fact=appealed.fact)
    assert wrong_card.misses == 1

    appeals.appeal(learner, appealed.quiz_id, appealed.position)

    fields = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews", "misses")
    appealed_card = Card.objects.values(*fields).get(user=learner, fact=appealed.fact)
    right_card = Card.objects.values(*fields).get(user=other, fact=right.fact)
    assert appealed_card == right_card
    assert appealed_card["due"] > wrong_card.due


def test_an_appeal_of_an_older_answer_replays_the_reviews_after_it(learner, topic):
    now, later = timezone.now(), timezone.now() + timedelta(days=3)
    other = make_user("right-first-time")
    first = {user: fill_in_quiz(user, topic, now, size=6) for user in (learner, other)}
    answer_wrong(learner, item_for(first[learner], "BPE"), now, typed="WordPiece")
    record_answer(
        other, first[other].pk, item_for(first[other], "BPE").position, Submission("BPE", None), now
    )
    for user in (learner, other):  # both answer it right three days later, in a new quiz
        abandon(user, first[user].pk, later)
        second = start_topic_quiz(user, topic, 6, later)
        item = item_for(second, "BPE")
        typed = Submission(None, str(item.options.index("BPE"))) if item.options else Submission("BPE", None)
        record_answer(user, second.pk, item.position, typed, later)

    appeals.appeal(learner, first[learner].pk, item_for(first[learner], "BPE").position)

    fields = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews", "misses")
    cards = [Card.objects.values(*fields).get(user=user, fact__answer="BPE") for user in (learner, other)]
    assert cards[0] == cards[1]
    assert cards[0]["reviews"] == 3 and cards[0]["misses"] == 0


def test_a_second_appeal_changes_nothing(learner, learner_client, topic):
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    item = item_for(quiz, "Google")
    answer_wrong(learner, item, now)
    for _ in range(3):
        learner_client.post(appeal_url(item))
    assert Appeal.objects.count() == 1
    assert Quiz.objects.get(pk=quiz.pk).correct_count == 1
    assert TopicScore.objects.get(user=learner, topic=topic).correct == 1
    assert Question.objects.get(pk=item.question_id).times_correct == 1
    assert ReviewLog.objects.filter(card__user=learner, card__fact=item.fact).count() == 1


def test_without_javascript_the_appeal_redirects_to_the_feedback(learner, learner_client, topic):
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    item = item_for(quiz, "Google")
    answer_wrong(learner, item, now)
    page = learner_client.get(reverse("quizzes:take", args=[quiz.pk]) + f"?answered={item.position}")
    assert "I was right" in page.content.decode()

    response = learner_client.post(appeal_url(item))

    assert response.status_code == 302
    assert response.url == reverse("quizzes:take", args=[quiz.pk]) + f"?answered={item.position}"
    page = learner_client.get(response.url).content.decode()
    assert "Counted as correct on your appeal" in page and "I was right" not in page


@pytest.mark.parametrize("verdict", ["right", "multiple choice", "not answered", "gave up"])
def test_only_a_wrong_typed_answer_can_be_appealed(learner, learner_client, topic, verdict):
    now = timezone.now()
    if verdict == "multiple choice":
        quiz = start_topic_quiz(learner, topic, 5, now)
        item = next(item for item in quiz.items.order_by("position") if item.options)
        wrong = next(i for i, option in enumerate(item.options) if option != item.fact.answer)
        record_answer(learner, quiz.pk, item.position, Submission(None, str(wrong)), now)
    else:
        quiz = fill_in_quiz(learner, topic, now)
        item = item_for(quiz, "Google")
        if verdict == "right":
            record_answer(learner, quiz.pk, item.position, Submission("google", None), now)
        elif verdict == "gave up":
            record_answer(learner, quiz.pk, item.position, Submission(None, None, gave_up=True), now)
    before = Quiz.objects.values("correct_count").get(pk=quiz.pk)

    response = learner_client.post(appeal_url(item), headers=HX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#appeal-status"
    assert response.content.decode()
    assert not Appeal.objects.exists()
    assert Quiz.objects.values("correct_count").get(pk=quiz.pk) == before


def test_nobody_appeals_someone_elses_answer(learner, topic, client):
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    item = item_for(quiz, "Google")
    answer_wrong(learner, item, now)
    client.force_login(make_user("intruder"))
    assert client.post(appeal_url(item)).status_code == 404
    assert client.get(appeal_url(item)).status_code == 405
    assert not Appeal.objects.exists()


def test_appeals_are_throttled_per_learner(learner, learner_client, topic, settings):
    settings.NOTESITE_APPEAL_RATE = "2/h"
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    items = list(quiz.items.order_by("position"))
    for item in items:
        answer_wrong(learner, item, now, typed="完全不对")
    statuses = [learner_client.post(appeal_url(item), headers=HX).status_code for item in items[:3]]
    assert statuses == [200, 200, 429]
    refused = learner_client.post(appeal_url(items[3]), headers=HX)
    assert refused.status_code == 429 and "Too many appeals" in refused.content.decode()
    assert Appeal.objects.count() == 2
    # Another learner has appeals of their own.
    other = make_user("other-learner")
    other_quiz = fill_in_quiz(other, topic, now)
    other_item = other_quiz.items.first()
    answer_wrong(other, other_item, now, typed="完全不对")
    learner_client.force_login(other)
    assert learner_client.post(appeal_url(other_item), headers=HX).status_code == 200


def test_an_answer_editors_rejected_is_refused_with_their_reason(learner, learner_client, topic, staff):
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    item = item_for(quiz, "Google")
    AppealRuling.objects.create(
        fact=item.fact,
        normalised="alphabet",
        response="Alphabet",
        decision="rejected",
        reason="Alphabet 是 Google 的母公司",
        decided_by=staff,
    )
    answer_wrong(learner, item, now, typed="ALPHABET")
    response = learner_client.post(appeal_url(item), headers=HX)
    assert response.status_code == 400
    assert "Alphabet 是 Google 的母公司" in response.content.decode()
    assert not Appeal.objects.exists()
    assert QuizItem.objects.get(pk=item.pk).verdict == QuizItem.Verdict.WRONG


def test_appealing_in_a_finished_quiz_raises_its_score_in_the_topic(learner, topic):
    now = timezone.now()
    quiz = fill_in_quiz(learner, topic, now)
    items = list(quiz.items.order_by("position"))
    for item in items:
        answer_wrong(learner, item, now, typed="完全不对")
    score = TopicScore.objects.get(user=learner, topic=topic)
    assert (score.last_score, score.best_score, score.recent_scores) == (0.0, 0.0, [0.0])

    appeals.appeal(learner, quiz.pk, items[0].position)

    score.refresh_from_db()
    assert (score.last_score, score.best_score, score.recent_scores) == (0.1667, 0.1667, [0.1667])
    assert (score.answered, score.correct, score.quizzes_done) == (6, 1, 1)


@pytest.mark.parametrize("question", ["fill-in", "multiple choice"])
def test_i_dont_know_shows_the_answer_and_counts_a_miss(learner, learner_client, topic, question):
    now = timezone.now()
    if question == "fill-in":
        quiz = fill_in_quiz(learner, topic, now)
    else:
        quiz = start_topic_quiz(learner, topic, 5, now)
    item = quiz.items.order_by("position").first()
    page = learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert 'name="gave_up"' in page and "formnovalidate" in page

    response = learner_client.post(
        reverse("quizzes:answer", args=[quiz.pk, item.position]), {"gave_up": "1"}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert item.fact.answer in html and "Counted as a miss" in html and "I was right" not in html
    item.refresh_from_db()
    assert (item.verdict, item.response) == (QuizItem.Verdict.WRONG, "")
    assert TopicScore.objects.get(user=learner, topic=topic).answered == 1
    assert Card.objects.get(user=learner, fact=item.fact).misses >= 1


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="row locks are what is under test: PostgreSQL pass only")
@pytest.mark.django_db(transaction=True)
def test_the_same_appeal_from_many_tabs_at_once_counts_once(topic):
    user = make_user("four-tabs")
    now = timezone.now()
    quiz = fill_in_quiz(user, topic, now)
    item = item_for(quiz, "Google")
    answer_wrong(user, item, now)

    responses = post_together(user, [(appeal_url(item), {})] * 4)

    assert all("Counted as correct on your appeal" in r.content.decode() for r in responses)
    assert Appeal.objects.filter(item=item).count() == 1
    found, expected = totals_versus_answers(user, topic)
    # The cards were made known before the quiz: each has one review more than its answers.
    found["cards"] = {
        fact: (found["cards"][fact][0] - 1, found["cards"][fact][1]) for fact in expected["cards"]
    }
    assert found == expected
    assert Card.objects.get(user=user, fact=item.fact).misses == 0
