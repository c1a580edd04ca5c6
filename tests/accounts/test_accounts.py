"""Accounts: sign up, log in and out, change password, lockout, desired retention."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.forms import SignupForm
from quizzes.models import LearnerProfile
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.make_user's default
NEW_PASSWORD = "quiz-me-again-2026"
User = get_user_model()


def signup_data(**overrides):
    data = {
        "username": "newlearner",
        "email": "",
        "password1": "study-notes-daily-7",
        "password2": "study-notes-daily-7",
    }
    data.update(overrides)
    return data


def session_user_id(client):
    return client.session.get("_auth_user_id")


# Sign up


def test_signup_page_shows_the_form(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert "registration/signup.html" in [t.name for t in response.templates]
    page = response.content.decode()
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in page


def test_signup_creates_the_user_logs_them_in_and_goes_to_the_topics(client):
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert response.url == reverse("articles:topic_list")
    user = User.objects.get(username="newlearner")
    assert user.check_password("study-notes-daily-7")
    assert user.email == ""
    assert session_user_id(client) == str(user.pk)


def test_signup_keeps_an_optional_email(client):
    client.post(reverse("accounts:signup"), signup_data(email="me@example.org"))
    assert User.objects.get(username="newlearner").email == "me@example.org"


def test_signup_returns_to_a_safe_next_page(client):
    response = client.post(reverse("accounts:signup"), signup_data(next="/scores/"))
    assert response.url == "/scores/"


def test_signup_ignores_a_next_page_on_another_site(client):
    response = client.post(reverse("accounts:signup"), signup_data(next="https://evil.example/steal"))
    assert response.url == reverse("articles:topic_list")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"password1": "12345678", "password2": "12345678"},
            "password2",
            "password_entirely_numeric",
        ),
        ({"password1": "password", "password2": "password"}, "password2", "password_too_common"),
        ({"password1": "x7#q", "password2": "x7#q"}, "password2", "password_too_short"),
        ({"password2": "something-else-entirely"}, "password2", "password_mismatch"),
        ({"username": ""}, "username", "required"),
        ({"username": "bad name!"}, "username", "invalid"),
        ({"email": "not-an-address"}, "email", "invalid"),
    ],
)
def test_signup_refuses_bad_input_and_creates_nobody(client, overrides, field, code):
    response = client.post(reverse("accounts:signup"), signup_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert code in [error.code for error in form.errors.as_data()[field]]
    assert not User.objects.filter(username=overrides.get("username", "newlearner")).exists()
    assert session_user_id(client) is None


def test_signup_shows_password_errors_in_words(client):
    numeric = signup_data(password1="12345678", password2="12345678")
    response = client.post(reverse("accounts:signup"), numeric)
    assert "This password is entirely numeric." in response.content.decode()


@pytest.mark.parametrize("username", ["learner1", "LEARNER1"])
def test_signup_refuses_a_taken_username_whatever_its_case(client, learner, username):
    response = client.post(reverse("accounts:signup"), signup_data(username=username))
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1


def test_a_username_taken_between_check_and_save_is_refused_not_a_500(client, learner, monkeypatch):
    # What a double-click can do: both requests pass the form's check, one inserts first.
    monkeypatch.setattr(SignupForm, "clean_username", lambda form: form.cleaned_data["username"])
    response = client.post(reverse("accounts:signup"), signup_data(username="learner1"))
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1
    assert session_user_id(client) is None


def test_signed_in_user_visiting_signup_goes_to_the_topics(learner_client):
    response = learner_client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response.url == reverse("articles:topic_list")


# Log in and out


def test_login_page_shows_the_form(client):
    response = client.get(reverse("login"), {"next": "/scores/"})
    assert response.status_code == 200
    assert "registration/login.html" in [t.name for t in response.templates]
    assert 'name="next" value="/scores/"' in response.content.decode()


def test_login_with_the_right_password_goes_to_next(client, learner):
    response = client.post(
        reverse("login"), {"username": "learner1", "password": PASSWORD, "next": "/scores/"}
    )
    assert response.status_code == 302
    assert response.url == "/scores/"
    assert session_user_id(client) == str(learner.pk)


def test_login_with_a_wrong_password_says_so(client, learner):
    response = client.post(reverse("login"), {"username": "learner1", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert session_user_id(client) is None


def test_logout_ends_the_session(learner_client):
    response = learner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("articles:topic_list")
    assert session_user_id(learner_client) is None


def test_five_failures_lock_the_account_even_against_the_right_password(client, learner):
    for attempt in range(1, 5):
        response = client.post(reverse("login"), {"username": "learner1", "password": "wrong"})
        assert response.status_code == 200, f"attempt {attempt} should only fail"

    fifth = client.post(reverse("login"), {"username": "learner1", "password": "wrong"})
    assert fifth.status_code == 429
    assert AccessAttempt.objects.get(username="learner1").failures_since_start == 5

    sixth = client.post(reverse("login"), {"username": "learner1", "password": PASSWORD})
    assert sixth.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in sixth.templates]
    page = sixth.content.decode()
    assert "locked after 5 failed log-in attempts" in page
    assert "Try again in about 15 min." in page
    assert session_user_id(client) is None


def test_failures_lock_the_username_from_every_address(client, learner):
    for _ in range(5):
        client.post(reverse("login"), {"username": "learner1", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    elsewhere = client.post(
        reverse("login"), {"username": "learner1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert elsewhere.status_code == 429
    assert session_user_id(client) is None


def test_failures_from_one_address_lock_it_for_every_username(client, learner):
    make_user("learner2")
    for number in range(5):  # one failure each for five names: no name reaches the limit
        client.post(reverse("login"), {"username": f"guess{number}", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    same_address = client.post(
        reverse("login"), {"username": "learner2", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert same_address.status_code == 429
    other_address = client.post(
        reverse("login"), {"username": "learner2", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302, "another address is not locked"


# Password change


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_keeps_the_learner_logged_in(learner_client, learner):
    page = learner_client.get(reverse("password_change"))
    assert "registration/password_change_form.html" in [t.name for t in page.templates]

    response = learner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your password was changed." in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    assert learner_client.get(reverse("accounts:settings")).status_code == 200


def test_password_change_refuses_a_wrong_old_password(learner_client, learner):
    response = learner_client.post(
        reverse("password_change"),
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


# Account page and desired retention


def test_account_page_needs_a_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('accounts:settings')}"


def test_account_page_shows_the_username_password_link_and_default_retention(learner_client):
    response = learner_client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "learner1" in page
    assert reverse("password_change") in page
    assert 'name="desired_retention"' in page
    assert 'value="0.9"' in page
    assert not LearnerProfile.objects.exists(), "viewing the page must not write"


@pytest.mark.parametrize("value", ["0.80", "0.85", "0.97"])
def test_retention_accepts_values_in_range(learner_client, learner, value):
    response = learner_client.post(reverse("accounts:settings"), {"desired_retention": value})
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).desired_retention == float(value)
    page = learner_client.get(response.url).content.decode()
    assert "Your desired retention is saved." in page


def test_retention_updates_an_existing_profile(learner_client, learner):
    LearnerProfile.objects.create(user=learner, desired_retention=0.85)
    learner_client.post(reverse("accounts:settings"), {"desired_retention": "0.95"})
    assert LearnerProfile.objects.get(user=learner).desired_retention == 0.95


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.5", "That is too low: choose at least 0.80."),
        ("0.79", "That is too low: choose at least 0.80."),
        ("1", "That is too high: choose at most 0.97."),
        ("0.98", "That is too high: choose at most 0.97."),
        ("abc", "Enter a number between 0.80 and 0.97, such as 0.90."),
        ("nan", "Enter a number between 0.80 and 0.97, such as 0.90."),
        ("inf", "Enter a number between 0.80 and 0.97, such as 0.90."),
        ("", "Enter a number between 0.80 and 0.97."),
    ],
)
def test_retention_refuses_bad_values_and_changes_nothing(learner_client, learner, value, message):
    LearnerProfile.objects.create(user=learner, desired_retention=0.85)
    response = learner_client.post(reverse("accounts:settings"), {"desired_retention": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Nothing was changed" in page
    assert LearnerProfile.objects.get(user=learner).desired_retention == 0.85


def test_a_bad_retention_value_creates_no_profile(learner_client):
    learner_client.post(reverse("accounts:settings"), {"desired_retention": "2"})
    assert not LearnerProfile.objects.exists()


def test_a_post_without_the_field_is_refused(learner_client):
    response = learner_client.post(reverse("accounts:settings"), {})
    assert response.status_code == 200
    assert "Enter a number between 0.80 and 0.97." in response.content.decode()
    assert not LearnerProfile.objects.exists()


# Chinese, chosen from the browser


def test_account_pages_speak_chinese_to_a_chinese_browser(client):
    page = client.get(reverse("accounts:signup"), headers={"Accept-Language": "zh-hans"})
    assert '<html lang="zh-hans">' in page.content.decode()
    assert "创建账户" in page.content.decode()


def test_retention_errors_are_translated(learner_client):
    response = learner_client.post(
        reverse("accounts:settings"),
        {"desired_retention": "0.5"},
        headers={"Accept-Language": "zh-hans"},
    )
    page = response.content.decode()
    assert "数值太低：最小为 0.80。" in page
    assert "未做任何更改" in page


def test_lockout_message_is_translated(client, learner):
    for _ in range(5):
        client.post(reverse("login"), {"username": "learner1", "password": "wrong"})
    response = client.post(
        reverse("login"),
        {"username": "learner1", "password": PASSWORD},
        headers={"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "账户“learner1”因连续 5 次登录失败已被锁定。" in page
    assert "约 15 分钟后再试" in page
