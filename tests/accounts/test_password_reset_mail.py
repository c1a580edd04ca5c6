"""Password reset by mail only where mail is configured; never a "sent" that nothing sends."""

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed_learner():
    user = make_user("mailed")
    user.email = "mailed@example.org"
    user.save()
    return user


def test_without_mail_the_login_page_offers_no_reset_link(client, settings):
    settings.NOTESITE_EMAIL_ENABLED = False
    assert reverse("password_reset") not in client.get(reverse("login")).content.decode()


def test_without_mail_the_reset_page_says_whom_to_ask_and_sends_nothing(
    client, settings, mailed_learner, mailoutbox
):
    settings.NOTESITE_EMAIL_ENABLED = False
    settings.NOTESITE_HELP_CONTACT = "help@notes.example.org"
    page = client.get(reverse("password_reset")).content.decode()
    assert "cannot be reset by mail" in page and "help@notes.example.org" in page
    response = client.post(reverse("password_reset"), {"email": "mailed@example.org"})
    assert response.status_code == 200
    assert "Nothing was sent" in response.content.decode()
    assert "emailed you" not in response.content.decode()
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "emailed you" not in done and "cannot be reset by mail" in done
    assert mailoutbox == []


def test_without_mail_or_contact_the_reset_page_points_to_the_editors(client, settings):
    settings.NOTESITE_EMAIL_ENABLED = False
    settings.NOTESITE_HELP_CONTACT = ""
    page = client.get(reverse("password_reset"), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "请告诉本站的编辑你的用户名" in page


def test_with_mail_the_link_shows_and_the_reset_mail_is_sent(client, settings, mailed_learner, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.NOTESITE_EMAIL_ENABLED = True
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "mailed@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert [message.to for message in mailoutbox] == [["mailed@example.org"]]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_mail_settings_come_from_the_environment(reloaded_settings):
    production = reloaded_settings({"DJANGO_SECRET_KEY": "x"})
    assert not production.NOTESITE_EMAIL_ENABLED
    development = reloaded_settings({"DJANGO_DEBUG": "1"})
    assert development.NOTESITE_EMAIL_ENABLED
    assert development.MAILERS["default"]["BACKEND"].endswith("console.EmailBackend")
    smtp = reloaded_settings({"DJANGO_SECRET_KEY": "x", "DJANGO_EMAIL_HOST": "smtp.example.org"})
    assert smtp.NOTESITE_EMAIL_ENABLED
    assert smtp.MAILERS["default"]["OPTIONS"]["host"] == "smtp.example.org"
