"""When the database goes away, pages answer with a clear 503 page, and the site recovers by itself.

In-process tests make every query fail (as a dead server does) and check the page; the last test
runs the real thing: the app under gunicorn against a throwaway PostgreSQL cluster this test
starts in a temporary directory, stops and starts again (never the shared server on 5432).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.server import free_port, gunicorn
from quizzes.answering import start_topic_quiz
from tests.factories import HX, make_article, make_topic

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = "Temporarily unavailable"
CHINESE = "暂时无法访问"


@pytest.fixture
def library(db):
    topic = make_topic(name="深度学习", slug="dl")
    article = make_article(
        topic=topic, slug="vit", body="ViT是{{Google}}在{{2020 ~2017 ~2018 ~2019}}年提出的。"
    )
    return topic, article


class DatabaseSwitch:
    """down() makes every query fail the way a vanished server does; up() brings it back."""

    def down(self, error=OperationalError):
        def refuse(*args, **kwargs):
            raise error("server closed the connection unexpectedly")

        for connection in connections.all():
            connection.cursor = connection.chunked_cursor = refuse  # shadows the methods

    def up(self):
        for connection in connections.all():
            connection.__dict__.pop("cursor", None)
            connection.__dict__.pop("chunked_cursor", None)


@pytest.fixture
def database(db):
    switch = DatabaseSwitch()
    yield switch
    switch.up()  # before the test database is rolled back, which needs it


def assert_clear_503(response):
    page = response.content.decode()
    assert response.status_code == 503, page[:500]
    assert response["Content-Type"].startswith("text/html")
    assert ENGLISH in page and CHINESE in page
    assert "safe" in page or "not be lost" in page or "is lost" in page
    for leak in ("Traceback", "OperationalError", "server closed", "Server Error"):
        assert leak not in page
    assert response["Retry-After"].isdigit()
    policy = response["Content-Security-Policy"]  # still under the site's policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_reading_pages_answer_503_while_the_database_is_down(library, database):
    topic, article = library
    anonymous = Client(raise_request_exception=False)
    database.down()
    for url in (reverse("articles:topic_list"), topic.get_absolute_url(), article.get_absolute_url()):
        assert_clear_503(anonymous.get(url))


def test_learners_pages_and_answers_answer_503_while_the_database_is_down(library, learner, database):
    topic, _ = library
    quiz = start_topic_quiz(learner, topic, 5, timezone.now())
    item = quiz.items.first()
    browser = Client(raise_request_exception=False)
    browser.force_login(learner)
    database.down()
    answer = reverse("quizzes:answer", args=[quiz.pk, item.position])
    for response in (
        browser.get(reverse("quizzes:take", args=[quiz.pk])),
        browser.get(reverse("quizzes:take", args=[quiz.pk]), headers=HX),
        browser.post(answer, {"choice": "0"}),
        browser.post(answer, {"choice": "0"}, headers=HX),
        browser.get(reverse("quizzes:scores")),
        browser.get(reverse("quizzes:review")),
        browser.post(reverse("login"), {"username": "x", "password": "y"}),
    ):
        assert_clear_503(response)


def test_the_admin_answers_503_while_the_database_is_down(staff, database):
    browser = Client(raise_request_exception=False)
    browser.force_login(staff)
    database.down(InterfaceError)  # "connection already closed": the other kind of outage
    assert_clear_503(browser.get(reverse("admin:index")))
    assert_clear_503(browser.get(reverse("admin:articles_article_changelist")))


def test_the_site_recovers_as_soon_as_the_database_is_back(library, database):
    anonymous = Client(raise_request_exception=False)
    database.down()
    assert_clear_503(anonymous.get("/"))
    database.up()
    response = anonymous.get("/")
    assert response.status_code == 200 and "深度学习" in response.content.decode()


def test_other_errors_are_not_disguised_as_an_outage(library, monkeypatch):
    def broken_view(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("articles.views.render", broken_view)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


def test_the_503_page_needs_nothing_but_a_template():
    # No database access here (no django_db mark): rendering it must not try.
    page = loader.get_template("503.html").render({"stylesheet": "/static/css/site.css"})
    assert ENGLISH in page and CHINESE in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    # The CSP allows no inline style or script; the page needs neither.
    assert "style=" not in page and "<style" not in page and "<script" not in page
    # Neither it nor the standalone page it extends may reach for the request or the database.
    for name in ("503.html", "standalone.html"):
        source = Path(loader.get_template(name).origin.name).read_text(encoding="utf-8")
        for needs_the_database in (
            '{% extends "base.html"',
            "{% include",
            "{% url",
            "{% csrf_token",
            "{{ user",
            "{{ request",
        ):
            assert needs_the_database not in source, name


# --- the real thing: a PostgreSQL cluster of our own, stopped and started under a live app ----

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def get(url):
    """(status, body) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory, on a free port."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="notesite-outage-"))
        self.data, self.log = self.directory / "data", self.directory / "postgres.log"
        self.port = free_port()
        # PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )

    def run(self, *command):
        subprocess.run([*self.as_owner, *map(str, command)], check=True, capture_output=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start")

    def stop(self):
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def remove(self):
        subprocess.run(
            [*self.as_owner, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="independent of DATABASE_URL (it starts its own PostgreSQL): runs in the SQLite pass",
)
def test_a_live_site_answers_503_while_postgresql_is_down_and_recovers_when_it_returns():
    if not (PG_BIN / "initdb").exists():
        message = f"{PG_BIN}/initdb is missing: apt-get install postgresql-15"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = Cluster()
    try:
        cluster.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "notesite.settings",  # production's, not the test run's
            "DATABASE_URL": cluster.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_STATIC_MANIFEST": "0",
        }
        env.setdefault("DJANGO_SECRET_KEY", "outage-test-secret-key-" + "x" * 40)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT, timeout=120
        )
        with gunicorn(env, workers=1, timeout=30) as base_url:
            home = base_url + "/"
            status, _ = get(home)
            assert status == 200

            cluster.stop()
            status, page = get(home)
            assert status == 503, page[:500]
            assert ENGLISH in page and CHINESE in page and "Traceback" not in page
            status, _ = get(home)  # and again: still a clear page, no worse
            assert status == 503

            cluster.start()
            status, page = get(home)
            assert status == 200, page[:500]  # the first request after the outage: no restart needed
    finally:
        cluster.remove()
