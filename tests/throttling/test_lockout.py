"""Locked log-ins refused cheaply: one cache read, no write, no session, the site's own page."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def learner(shared_cache):
    return make_user("learner1", password=PASSWORD)


def fail_from(client, usernames, address="10.0.0.1"):
    for username in usernames:
        client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def log_in(client, username="learner1", address="10.0.0.1", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=address, headers=headers
    )


def test_a_locked_address_is_refused_with_one_read_and_no_write(client, learner):
    fail_from(client, [f"guess{number}" for number in range(5)])
    fields = ("username", "failures_since_start", "attempt_time")
    attempts_before = list(AccessAttempt.objects.values_list(*fields))
    with CaptureQueriesContext(connection) as queries:
        response = log_in(client)
    assert response.status_code == 429
    assert len(queries) <= 1, [query["sql"] for query in queries]
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert list(AccessAttempt.objects.values_list(*fields)) == (
        attempts_before
    ), "refusals neither count nor extend the lock"
    assert "_auth_user_id" not in client.session


def test_the_address_page_speaks_of_the_address_not_an_account(client, learner):
    fail_from(client, [f"guess{number}" for number in range(5)])
    response = log_in(client)
    page = response.content.decode()
    assert "Log-ins from your address paused" in page
    assert "5 failed log-ins came from your network address" in page
    assert "The account" not in page
    assert "Try again in about 15 min." in page
    assert int(response["Retry-After"]) == 15 * 60


def test_the_attempt_that_locks_the_address_gets_the_same_page(client, learner):
    fail_from(client, [f"guess{number}" for number in range(4)])
    fifth = client.post(reverse("login"), {"username": "guess4", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert fifth.status_code == 429
    assert "Log-ins from your address paused" in fifth.content.decode()


def test_a_locked_username_names_the_account_from_any_address(client, learner):
    fail_from(Client(), ["learner1"] * 3, address="10.0.0.1")
    fail_from(Client(), ["learner1"] * 2, address="10.0.0.2")
    with CaptureQueriesContext(connection) as queries:
        response = log_in(client, address="10.0.0.3")
    assert response.status_code == 429
    assert len(queries) <= 1
    page = response.content.decode()
    assert "The account “learner1” is locked after 5 failed log-in attempts" in page
    assert "from your network address" not in page


def test_other_addresses_and_usernames_still_log_in(client, learner):
    make_user("learner2", password=PASSWORD)
    fail_from(client, [f"guess{number}" for number in range(5)])
    assert log_in(Client(), username="learner2", address="10.0.0.9").status_code == 302
    assert log_in(Client(), address="10.0.0.9").status_code == 302


def test_fewer_failures_than_the_limit_lock_nothing(client, learner):
    fail_from(client, [f"guess{number}" for number in range(4)])
    assert log_in(client).status_code == 302


def test_a_reset_ends_the_lock_at_once(client, learner):
    fail_from(client, [f"guess{number}" for number in range(5)])
    assert log_in(client).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert log_in(client).status_code == 302


def test_the_lock_ends_with_its_cool_off(client, learner, settings):
    fail_from(client, [f"guess{number}" for number in range(5)])
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time.replace(year=2020))
    caches["ratelimit"].clear()  # what the cache's own expiry does when the cool-off ends
    assert log_in(client).status_code == 302


def test_the_refusal_carries_the_security_headers_and_no_script(client, learner):
    fail_from(client, [f"guess{number}" for number in range(5)])
    response = log_in(client)
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in response.content.decode()


def test_the_refusal_is_in_the_readers_language(client, learner):
    fail_from(client, [f"guess{number}" for number in range(5)])
    page = log_in(client, **{"Accept-Language": "zh-hans"}).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "来自你的网络地址的登录已暂停" in page
    assert "约 15 分钟后再试" in page


def test_reading_the_login_page_of_a_locked_address_is_not_refused(client, learner):
    fail_from(client, [f"guess{number}" for number in range(5)])
    assert client.get(reverse("login"), REMOTE_ADDR="10.0.0.1").status_code == 200


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/x-www-form-urlencoded; charset=latin-1", b"username=l\xe9arner1&password=x"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data\r\n\r\nx"),
        ("multipart/form-data", b"username=learner1"),
    ],
)
@pytest.mark.parametrize("locked", [False, True])
def test_a_login_body_that_is_no_form_logs_nobody_in_and_is_no_500(
    client, learner, content_type, body, locked
):
    if locked:
        fail_from(client, [f"guess{number}" for number in range(5)])
    url = reverse("login")
    response = client.generic("POST", url, body, content_type=content_type, REMOTE_ADDR="10.0.0.1")
    assert response.status_code in (200, 400, 429), response.status_code
    assert "_auth_user_id" not in client.session
