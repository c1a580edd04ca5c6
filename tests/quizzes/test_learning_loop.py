"""The learning loop through the views: progression, one open quiz, retry, suspend and bury,
the navigation's counts, feedback kept in the URL, private pages, reminders."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Card, LearnerProfile, Question, Quiz, QuizItem
from quizzes.reminders import send_reminders
from tests.factories import HX, QUIZ_BODY, make_article, make_user, post_answer, start_quiz

pytestmark = pytest.mark.django_db


def open_quiz(user):
    return Quiz.objects.open().get(user=user)


def finish(client, quiz, right=lambda item: True):
    for item in quiz.items.order_by("position"):
        post_answer(client, item, right=right(item))
    quiz.refresh_from_db()
    return quiz


def test_a_new_learner_types_answers_in_their_first_quiz(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    types = list(open_quiz(learner).items.values_list("question__type", flat=True))
    assert Question.Type.FILL_IN in types and Question.Type.MULTIPLE_CHOICE in types


def test_right_as_multiple_choice_comes_back_as_fill_in_the_same_day(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner))
    recognised = set(quiz.items.filter(question__type="mcq").values_list("fact_id", flat=True))
    assert recognised
    start_quiz(learner_client, topic, size=5)
    again = open_quiz(learner)
    for item in again.items.filter(fact_id__in=recognised):
        assert item.question.type == Question.Type.FILL_IN


def test_a_fill_in_miss_drops_the_fact_back_to_multiple_choice(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner), right=lambda item: bool(item.options))
    typed_and_missed = set(quiz.items.filter(question__type="fill_in").values_list("fact_id", flat=True))
    assert (
        typed_and_missed and not Card.objects.filter(fact_id__in=typed_and_missed, fill_in_next=True).exists()
    )
    retry = Quiz.objects.get(pk=quiz.pk)
    learner_client.post(reverse("quizzes:retry", args=[retry.pk]))
    for item in Quiz.objects.get(retry_of=quiz).items.all():
        assert item.question.type == Question.Type.MULTIPLE_CHOICE


def test_starting_again_resumes_the_open_quiz(learner_client, learner, topic):
    first = start_quiz(learner_client, topic)
    second = start_quiz(learner_client, topic)
    assert Quiz.objects.count() == 1
    assert first.url == second.url == reverse("quizzes:take", args=[open_quiz(learner).pk])


def test_the_database_refuses_a_second_open_quiz_on_a_topic(learner, topic):
    from django.db import IntegrityError, transaction

    Quiz.objects.create(user=learner, topic=topic, item_count=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quiz.objects.create(user=learner, topic=topic, item_count=5)
    Quiz.objects.create(user=learner, topic=topic, item_count=5, mode=Quiz.Mode.RETRY)  # a retry may


def test_abandon_ends_the_quiz_keeps_its_answers_and_lets_a_new_one_start(learner_client, learner, topic):
    start_quiz(learner_client, topic)
    quiz = open_quiz(learner)
    first = quiz.items.get(position=1)
    post_answer(learner_client, first)
    response = learner_client.post(reverse("quizzes:abandon", args=[quiz.pk]))
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    quiz.refresh_from_db()
    assert quiz.is_abandoned and quiz.answered_count == 1 and Card.objects.filter(fact=first.fact).exists()
    # Its remaining questions can no longer be answered; the page shows what was done.
    refused = post_answer(learner_client, quiz.items.get(position=2))
    assert refused.status_code == 400 and "ended this quiz" in refused.content.decode()
    page = learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert "Quiz ended" in page and "You answered 1 of 5" in page
    start_quiz(learner_client, topic)
    assert Quiz.objects.open().filter(user=learner).count() == 1 and open_quiz(learner).pk != quiz.pk


def test_abandoning_someone_elses_quiz_is_404(learner_client, topic):
    other = make_user("other")
    quiz = Quiz.objects.create(user=other, topic=topic, item_count=5)
    assert learner_client.post(reverse("quizzes:abandon", args=[quiz.pk])).status_code == 404
    quiz.refresh_from_db()
    assert quiz.is_open


def test_starting_a_review_again_resumes_it(learner_client, learner, topic):
    start_quiz(learner_client, topic)
    finish(learner_client, open_quiz(learner))
    Card.objects.update(due=timezone.now() - timedelta(minutes=1))
    first = learner_client.post(reverse("quizzes:review"))
    second = learner_client.post(reverse("quizzes:review"))
    assert first.url == second.url and Quiz.objects.filter(mode=Quiz.Mode.REVIEW).count() == 1


def test_retry_asks_exactly_the_missed_questions_once(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner), right=lambda item: item.position % 2 == 0)
    missed = set(quiz.items.filter(verdict="wrong").values_list("fact_id", flat=True))
    page = learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert "Retry the ones I missed" in page and page.count("Next review:") == len(missed)
    response = learner_client.post(reverse("quizzes:retry", args=[quiz.pk]))
    retry = Quiz.objects.get(retry_of=quiz)
    assert response.url == reverse("quizzes:take", args=[retry.pk])
    assert set(retry.items.values_list("fact_id", flat=True)) == missed and retry.item_count == len(missed)
    learner_client.post(reverse("quizzes:retry", args=[quiz.pk]))  # a second click: the same retry
    assert Quiz.objects.filter(retry_of=quiz).count() == 1


def test_a_perfect_quiz_has_nothing_to_retry(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner))
    assert (
        "Retry the ones I missed"
        not in learner_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    )
    learner_client.post(reverse("quizzes:retry", args=[quiz.pk]))
    assert not Quiz.objects.filter(retry_of=quiz).exists()


def test_an_unfinished_quiz_cannot_be_retried(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    assert learner_client.post(reverse("quizzes:retry", args=[open_quiz(learner).pk])).status_code == 400


def test_suspended_facts_leave_quizzes_reviews_and_due_counts_until_taken_back(
    learner_client, learner, topic
):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner))
    fact = quiz.items.get(position=1).fact
    response = learner_client.post(reverse("quizzes:suspend", args=[fact.pk]), headers=HX)
    assert response.status_code == 200 and "Ask me this again" in response.content.decode()
    Card.objects.update(due=timezone.now() - timedelta(minutes=1))
    assert Card.objects.for_user(learner).active().due(timezone.now()).count() == 4
    learner_client.post(reverse("quizzes:review"))
    review = Quiz.objects.get(mode=Quiz.Mode.REVIEW)
    assert fact.pk not in set(review.items.values_list("fact_id", flat=True))
    account = learner_client.get(reverse("accounts:settings")).content.decode()
    assert fact.answer in account and reverse("quizzes:unsuspend", args=[fact.pk]) in account
    learner_client.post(reverse("quizzes:unsuspend", args=[fact.pk]))
    assert Card.objects.for_user(learner).active().due(timezone.now()).count() == 5


def test_a_suspended_fact_is_not_asked_in_a_topic_quiz(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner))
    fact = quiz.items.get(position=1).fact
    learner_client.post(reverse("quizzes:suspend", args=[fact.pk]))
    for _ in range(3):
        start_quiz(learner_client, topic, size=5)
        assert fact.pk not in set(open_quiz(learner).items.values_list("fact_id", flat=True))
        learner_client.post(reverse("quizzes:abandon", args=[open_quiz(learner).pk]))


def test_bury_lasts_until_the_learners_midnight(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner))
    fact = quiz.items.get(position=1).fact
    learner_client.post(reverse("quizzes:bury", args=[fact.pk]))
    card = Card.objects.get(fact=fact)
    local = card.buried_until.astimezone(timezone.get_default_timezone())
    assert (local.hour, local.minute) == (0, 0) and card.buried_until > timezone.now()
    assert card.buried_until - timezone.now() <= timedelta(days=1)
    Card.objects.update(due=timezone.now() - timedelta(minutes=1))
    assert Card.objects.for_user(learner).active().due(timezone.now()).count() == 4
    assert Card.objects.for_user(learner).active().due(card.buried_until).count() == 5  # back tomorrow


def test_suspending_another_learners_fact_is_404(learner_client, topic):
    other = make_user("other")
    fact = topic.facts.first()
    Card.objects.create(user=other, fact=fact, topic=topic, due=timezone.now())
    assert learner_client.post(reverse("quizzes:suspend", args=[fact.pk])).status_code == 404
    assert not Card.objects.filter(suspended=True).exists()


def test_the_answer_sends_the_navigation_counts_out_of_band(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = finish(learner_client, open_quiz(learner))
    Card.objects.update(due=timezone.now() - timedelta(minutes=1))
    learner_client.post(reverse("quizzes:review"))
    review = open_quiz(learner)
    item = review.items.get(position=1)
    html = post_answer(learner_client, item, headers=HX).content.decode()
    assert 'id="nav-status"' in html and 'hx-swap-oob="true"' in html
    assert "4 facts due now" in html  # five were due; one is reviewed
    assert f"Today {quiz.item_count + 1}/20" in html


def test_each_card_action_posts_to_its_own_address_with_and_without_htmx(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    item = open_quiz(learner).items.get(position=1)
    feedback = post_answer(learner_client, item, headers=HX).content.decode()
    for name in ("suspend", "bury"):
        url = reverse(f"quizzes:{name}", args=[item.fact_id])
        assert f'action="{url}" hx-post="{url}"' in feedback
    suspend = reverse("quizzes:suspend", args=[item.fact_id])
    suspended = learner_client.post(suspend, headers=HX).content.decode()
    url = reverse("quizzes:unsuspend", args=[item.fact_id])
    assert f'action="{url}" hx-post="{url}"' in suspended


def test_the_url_records_the_feedback_so_a_reload_keeps_it(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    quiz = open_quiz(learner)
    item = quiz.items.get(position=1)
    response = post_answer(learner_client, item, headers=HX)
    url = reverse("quizzes:take", args=[quiz.pk]) + "?answered=1"
    assert response["HX-Replace-Url"] == url
    reload = learner_client.get(url).content.decode()
    assert 'class="quiz-card feedback' in reload and "Question 2" not in reload


@pytest.mark.parametrize("value", ["x", "1.0", "²", "٣", "-1", "", "1 ", "99999999"])
def test_a_malformed_answered_parameter_is_refused(learner_client, learner, topic, value):
    start_quiz(learner_client, topic, size=5)
    response = learner_client.get(reverse("quizzes:take", args=[open_quiz(learner).pk]), {"answered": value})
    assert response.status_code == 400


def test_an_answered_parameter_for_an_unanswered_question_shows_the_quiz(learner_client, learner, topic):
    start_quiz(learner_client, topic, size=5)
    url = reverse("quizzes:take", args=[open_quiz(learner).pk])
    assert learner_client.get(url, {"answered": "3"}).url == url
    assert learner_client.get(url, {"answered": "77"}).url == url


@pytest.mark.parametrize(
    "name", ["quizzes:scores", "quizzes:review", "accounts:settings", "articles:topic_list"]
)
def test_pages_with_personal_data_are_private_and_never_stored(learner_client, name):
    header = learner_client.get(reverse(name))["Cache-Control"]
    assert "private" in header and "no-store" in header


def test_anonymous_pages_stay_cacheable(client):
    assert "no-store" not in client.get(reverse("articles:topic_list")).get("Cache-Control", "")


def test_the_account_page_sets_goal_time_zone_and_reminders(learner_client, learner):
    data = {"section": "habits", "daily_goal": "35", "timezone": "America/New_York", "email_reminders": "on"}
    assert learner_client.post(reverse("accounts:settings"), data).status_code == 302
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.daily_goal, profile.timezone, profile.email_reminders) == (35, "America/New_York", True)
    assert "Today 0/35" in learner_client.get(reverse("quizzes:scores")).content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("daily_goal", "0"), ("daily_goal", "abc"), ("daily_goal", "501"), ("timezone", "Mars/Base")],
)
def test_bad_goal_or_time_zone_changes_nothing(learner_client, learner, field, value):
    data = {"section": "habits", "daily_goal": "30", "timezone": "Asia/Shanghai"} | {field: value}
    response = learner_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200 and "Nothing was changed" in response.content.decode()
    assert not LearnerProfile.objects.filter(user=learner).exists()


def test_the_scores_page_shows_streak_heatmap_and_recall_in_words(learner_client, learner, topic):
    LearnerProfile.objects.create(user=learner, daily_goal=5)
    start_quiz(learner_client, topic, size=5)
    finish(learner_client, open_quiz(learner))
    page = learner_client.get(reverse("quizzes:scores")).content.decode()
    assert "1 day in a row" in page
    assert 'class="heatmap"' in page and "5 answers on 1 day" in page
    assert "You would likely recall 5 of these 5 facts now." in page


def reminded_learner(email="learner@example.org", tz="Asia/Shanghai"):
    user = make_user(f"r{tz.replace('/', '')}")
    user.email = email
    user.save()
    LearnerProfile.objects.create(user=user, email_reminders=True, timezone=tz)
    return user


def due_cards(user, topic, count, now):
    for fact in list(topic.facts.all())[:count]:
        Card.objects.create(user=user, fact=fact, topic=topic, due=now - timedelta(hours=1))


def test_reminders_are_sent_once_a_day_with_the_count(topic):
    now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    user = reminded_learner()
    due_cards(user, topic, 3, now)
    assert send_reminders(now).sent == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["learner@example.org"]
    assert "3" in mail.outbox[0].subject and "/review/" in mail.outbox[0].body
    assert send_reminders(now + timedelta(hours=5)).sent == 0  # the same local day
    assert send_reminders(now + timedelta(hours=16)).sent == 1  # 01:00 the next day in Shanghai
    assert len(mail.outbox) == 2


def test_no_reminder_when_off_nothing_due_or_no_address(topic):
    now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    off = make_user("off")
    off.email = "off@example.org"
    off.save()
    LearnerProfile.objects.create(user=off)  # reminders are off by default
    due_cards(off, topic, 2, now)
    reminded_learner(email="", tz="Europe/Paris")
    nothing = reminded_learner(email="idle@example.org", tz="UTC")
    suspended = reminded_learner(email="sus@example.org", tz="Europe/Berlin")
    due_cards(suspended, topic, 1, now)
    Card.objects.filter(user=suspended).update(suspended=True)
    outcome = send_reminders(now)
    assert outcome.sent == 0 and mail.outbox == []
    assert outcome.nothing_due == 2 and nothing.learner_profile.last_reminded_on is None


def test_the_reminder_command_prints_to_the_console_backend(topic, settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    user = reminded_learner()
    due_cards(user, topic, 2, timezone.now())
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "sent 1" in out and "To: learner@example.org" in out and "Subject: " in out
    assert QuizItem.objects.count() == 0  # it only reads and mails


def test_query_counts_of_the_new_pages_stay_constant_as_history_grows(learner_client, learner, topic):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(method, url, data=None, **headers):
        with CaptureQueriesContext(connection) as captured:
            response = getattr(learner_client, method)(url, data or {}, headers=headers)
        assert response.status_code in (200, 302)
        return len(captured)

    def measure():
        start_quiz(learner_client, topic, size=5)
        quiz = finish(learner_client, open_quiz(learner), right=lambda item: item.position != 2)
        take = reverse("quizzes:take", args=[quiz.pk])
        fact = quiz.items.get(position=1).fact_id
        counts = {
            "feedback page": queries("get", take, {"answered": "1"}),
            "summary": queries("get", take),
            "account page": queries("get", reverse("accounts:settings")),
            "suspend": queries("post", reverse("quizzes:suspend", args=[fact]), **HX),
            "bury": queries("post", reverse("quizzes:bury", args=[fact]), **HX),
            "unsuspend": queries("post", reverse("quizzes:unsuspend", args=[fact]), **HX),
            "retry": queries("post", reverse("quizzes:retry", args=[quiz.pk])),
        }
        Quiz.objects.filter(user=learner).update(abandoned_at=timezone.now())
        # The account page's list of suspended facts grows from one measure to the next.
        Card.objects.filter(user=learner, fact=quiz.items.get(position=3).fact).update(suspended=True)
        return counts

    learner_client.get(reverse("accounts:settings"))  # a new session reads the time zone once
    small = measure()
    for number in range(4):
        make_article(topic=topic, slug=f"more-{number}", body=QUIZ_BODY.replace("ViT", f"ViT{number}"))
    for _ in range(4):
        measure()
    assert measure() == small
