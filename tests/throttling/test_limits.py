"""Rate limits and login throttling, counted in the shared cache: the database's and Redis's."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Quiz
from tests.factories import make_quiz_topic, make_user
from throttling.client import client_ip

pytestmark = pytest.mark.django_db

@pytest.fixture
def topic():
    return make_quiz_topic(name="优化", slug="opt")


def signup_data(number):
    return {
        "username": f"newcomer{number}",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
    }


def assert_too_many(response, language="en"):
    page = response.content.decode()
    assert response.status_code == 429, page[:300]
    assert 'class="site-header"' in page  # the site's layout
    assert response["Retry-After"].isdigit()
    assert ("Too many requests" if language == "en" else "请求太频繁") in page


def test_signups_past_the_rate_from_one_address_are_refused_with_429(shared_cache, settings):
    settings.NOTESITE_RATES = {**settings.NOTESITE_RATES, "signup": "3/h"}
    for number in range(3):
        response = Client().post(reverse("accounts:signup"), signup_data(number))
        assert response.status_code == 302, f"signup {number} is within the rate"
    english = Client(headers={"Accept-Language": "en"})
    assert_too_many(english.post(reverse("accounts:signup"), signup_data(9)))
    assert not get_user_model().objects.filter(username="newcomer9").exists()
    other = Client(REMOTE_ADDR="10.1.2.3").post(reverse("accounts:signup"), signup_data(10))
    assert other.status_code == 302, "another address has its own count"


def test_reading_the_signup_page_is_never_limited(shared_cache, settings):
    settings.NOTESITE_RATES = {**settings.NOTESITE_RATES, "signup": "1/h"}
    for _ in range(5):
        assert Client().get(reverse("accounts:signup")).status_code == 200


def test_quiz_starts_past_the_rate_are_refused_and_open_no_quiz(shared_cache, settings, topic, learner):
    settings.NOTESITE_RATES = {**settings.NOTESITE_RATES, "quiz-start": "4/10m"}
    browser = Client(headers={"Accept-Language": "zh-hans"})
    browser.force_login(learner)
    url = reverse("quizzes:start_quiz", args=[topic.slug])
    for _ in range(4):
        assert browser.post(url, {"size": "5"}).status_code == 302
    assert_too_many(browser.post(url, {"size": "5"}), language="zh-hans")
    assert Quiz.objects.filter(user=learner).count() == 1  # later starts resume the open quiz
    other = Client()
    other.force_login(make_user("learner2"))
    assert other.post(url, {"size": "5"}).status_code == 302, "another learner has their own count"


def test_review_starts_past_the_rate_are_refused(shared_cache, settings, learner):
    settings.NOTESITE_RATES = {**settings.NOTESITE_RATES, "review-start": "2/10m"}
    browser = Client(headers={"Accept-Language": "en"})
    browser.force_login(learner)
    for _ in range(2):
        assert browser.post(reverse("quizzes:review")).status_code == 302
    assert_too_many(browser.post(reverse("quizzes:review")))
    assert browser.get(reverse("quizzes:review")).status_code == 200, "reading the page is not limited"


def test_password_resets_past_the_rate_are_refused(shared_cache, settings, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.NOTESITE_EMAIL_ENABLED = True
    settings.NOTESITE_RATES = {**settings.NOTESITE_RATES, "password-reset": "2/h"}
    make_user("mailed").__class__.objects.filter(username="mailed").update(email="mailed@example.org")
    for _ in range(2):
        response = Client().post(reverse("password_reset"), {"email": "mailed@example.org"})
        assert response.status_code == 302
    assert_too_many(
        Client(headers={"Accept-Language": "en"}).post(
            reverse("password_reset"), {"email": "mailed@example.org"}
        )
    )
    assert len(mailoutbox) == 2


def test_a_rate_counts_across_clients_like_across_workers(shared_cache, settings, learner):
    # Separate clients share nothing but the cache, as gunicorn's workers and app servers do.
    settings.NOTESITE_RATES = {**settings.NOTESITE_RATES, "review-start": "3/10m"}
    statuses = []
    for _ in range(5):
        browser = Client()
        browser.force_login(learner)
        statuses.append(browser.post(reverse("quizzes:review")).status_code)
    assert statuses == [302, 302, 302, 429, 429]


def test_the_database_cache_counts_every_increment(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "throttling.cache.AtomicDatabaseCache", "LOCATION": "notesite_cache"},
    }
    cache = caches["ratelimit"]
    cache.add("hits", 0, 3600)
    for _ in range(7):
        cache.incr("hits")
    assert cache.get("hits") == 7
    with pytest.raises(ValueError):
        cache.incr("never-added")


# Login throttling (django-axes)


def test_a_locked_address_is_refused_before_any_password_is_hashed(client, learner):
    for number in range(5):
        client.post(reverse("login"), {"username": f"guess{number}", "password": "x"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("login"), {"username": "learner1", "password": "correct-horse-battery"}
        )
    assert response.status_code == 429
    user_table = get_user_model()._meta.db_table
    assert not [q["sql"] for q in queries if user_table in q["sql"]], "the user row was never read"
    assert sum(attempt.failures_since_start for attempt in AccessAttempt.objects.all()) == 5, (
        "refusals during the lockout are not recorded (nor extend it)"
    )


# The client's address


@pytest.mark.parametrize(
    "behind_proxy, forwarded, expected",
    [
        (False, "203.0.113.9", "10.0.0.1"),  # the header is ignored unless behind a proxy
        (True, "203.0.113.9", "203.0.113.9"),
        (True, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # what the client claimed comes first
        (True, "2001:db8::1", "2001:db8::1"),
        (True, "not-an-address", "10.0.0.1"),
        (True, "", "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_the_proxy_only_when_told(
    settings, rf, behind_proxy, forwarded, expected
):
    settings.BEHIND_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_failures_lock_the_forwarded_address_not_the_proxy(settings, learner):
    settings.BEHIND_PROXY = True
    for number in range(5):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
            reverse("login"), {"username": f"guess{number}", "password": "x"}
        )
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = other.post(reverse("login"), {"username": "learner1", "password": "correct-horse-battery"})
    assert response.status_code == 302
