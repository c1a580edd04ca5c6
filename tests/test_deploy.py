"""The site as deployed: check --deploy with production settings, the CSP on every page type,
the admin for staff only, and a CSRF token on every POST."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles.models import Article
from quizzes.management.commands.load_demo import editors_group
from quizzes.models import LearnerProfile, Quiz
from tests.factories import HX, make_article, make_topic, make_user

ROOT = Path(__file__).resolve().parents[1]

BODY = """# ViT

ViT是{{Google}}在{{2020 ~2017 ~2018 ~2019}}年提出的。

激活函数常用{{GELU ~ReLU ~Tanh ~Sigmoid}}。

优化器常用{{AdamW|Adam-W ~Adam ~SGD ~RMSprop::优化器}}。
"""

# --- manage.py check --deploy -------------------------------------------------------------------

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # 86 characters, as random as they come
    "DJANGO_ALLOWED_HOSTS": "notes.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
}


def deploy_check(database, **variables):
    """Start `manage.py check --deploy --fail-level WARNING` with only these settings variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        # Nothing of the test run's own configuration leaks in (tests/settings.py turns security off).
        if not name.startswith(("DJANGO_", "DATABASE_URL", "NOTESITE_"))
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"  # an empty one: the model checks open it
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.Popen(
        command, cwd=ROOT, env={**env, **variables}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="independent of DATABASE_URL (its own processes, its own settings): runs in the SQLite pass",
)
def test_check_deploy_is_clean_with_production_settings_and_flags_each_insecure_one(tmp_path):
    # Three configurations checked side by side (each is a fresh Python process).
    runs = {
        "production": deploy_check(tmp_path / "1.sqlite3", **PRODUCTION),
        # The README's promise: without DJANGO_SECURE_* at all, DEBUG off means secure.
        "defaults": deploy_check(
            tmp_path / "2.sqlite3", **{k: v for k, v in PRODUCTION.items() if "SECURE" not in k}
        ),
        "all off": deploy_check(
            tmp_path / "3.sqlite3",
            **{
                **PRODUCTION,
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_SECURE_COOKIES": "0",
                "DJANGO_SECURE_HSTS_SECONDS": "0",
            },
        ),
    }
    output = {name: run.communicate(timeout=120)[0] for name, run in runs.items()}
    codes = {name: run.returncode for name, run in runs.items()}
    assert codes["production"] == 0, output["production"]
    assert "System check identified no issues" in output["production"], output["production"]
    assert codes["defaults"] == 0, output["defaults"]
    # ...and the variables really drive the settings: each one off is reported.
    assert codes["all off"] == 1
    reported = set(re.findall(r"\(security\.(W\d+)\)", output["all off"]))
    assert reported == {"W004", "W008", "W012", "W016"}, output["all off"]


def test_the_security_variables_are_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for variable in (
        "DJANGO_SECRET_KEY",
        "DJANGO_DEBUG",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_HSTS_SECONDS",
        "DJANGO_SECURE_COOKIES",
    ):
        assert f"| `{variable}` |" in readme, variable


def variables_the_settings_read() -> set[str]:
    source = (ROOT / "notesite" / "settings.py").read_text(encoding="utf-8")
    found = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"(\w+)"', source))
    assert {"DJANGO_SECRET_KEY", "NOTESITE_RATE_APPEAL", "REDIS_URL"} <= found  # the pattern finds them
    return found | {"DATABASE_URL"}  # read by dj-database-url


def test_every_variable_the_settings_read_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {name for name in variables_the_settings_read() if f"`{name}`" not in readme} == set()


def test_every_variable_is_named_for_django_or_notesite_or_as_usual():
    usual = {"DATABASE_URL", "REDIS_URL"}
    named = {name for name in variables_the_settings_read() if name.startswith(("DJANGO_", "NOTESITE_"))}
    assert variables_the_settings_read() - named - usual == set()


def test_production_hashes_passwords_with_djangos_slow_hashers_whatever_the_environment(reloaded_settings):
    production = reloaded_settings({**PRODUCTION, "DJANGO_FAST_PASSWORD_HASHING": "1"})
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers == global_settings.PASSWORD_HASHERS


# --- Content-Security-Policy --------------------------------------------------------------------


class _Markup(HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.scripts, self.styled, self.style_blocks = [], [], 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.style_blocks += 1
        if "style" in attributes:
            self.styled.append(tag)
        self.styled += [f"{tag} {name}" for name in attributes if name.startswith("on")]

    handle_startendtag = handle_starttag


def csp_problems(response, *, page_type=True):
    """What is wrong with the response's policy, or with the page under it. A page type of the
    site (not an htmx fragment, not one of Django's bare error pages) must carry a nonce."""
    policy = response.headers.get("Content-Security-Policy")
    if not policy:
        return ["no Content-Security-Policy header"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    script_src = directives.get("script-src", [])
    nonces = [word.removeprefix("'nonce-").removesuffix("'") for word in script_src if "nonce-" in word]
    problems = [f"{word} in the policy" for word in ("'unsafe-inline'", "'unsafe-eval'") if word in policy]
    if "default-src" not in directives or "'self'" not in script_src or "*" in script_src:
        problems.append(f"a loose policy: {policy}")
    page = response.content.decode()
    if page_type and not nonces:
        problems.append("no nonce in script-src")
    markup = _Markup(page)
    for script in markup.scripts:
        if "src" not in script and script.get("nonce") not in nonces:
            problems.append(f"an inline script without the policy's nonce: {script}")
        elif "nonce" in script and script["nonce"] not in nonces:
            problems.append(f"a script whose nonce is not the policy's: {script}")
    if markup.styled or markup.style_blocks:
        problems.append(f"inline styles or event handlers, which the policy blocks: {markup.styled}")
    return problems


# The CSRF failure page is rendered without the request, so it has no nonce (and needs none:
# no script, no inline style). The policy itself is checked on every page.
PAGES_WITHOUT_REQUEST = {"csrf failure"}


@pytest.fixture
def site(db, learner, staff):
    topic = make_topic(name="深度学习", slug="dl")
    article = make_article(topic=topic, slug="vit", title="ViT 入门", body=BODY)
    return topic, article


def test_every_page_type_sends_a_nonce_policy_without_unsafe_inline(site, learner, staff):
    topic, article = site
    anonymous = Client(headers={"Accept-Language": "en"})
    reader = Client(headers={"Accept-Language": "en"})
    reader.force_login(learner)
    editor = Client(headers={"Accept-Language": "en"})
    editor.force_login(staff)
    responses = {
        "topic list": anonymous.get(reverse("articles:topic_list")),
        "topic": anonymous.get(topic.get_absolute_url()),
        "article": anonymous.get(article.get_absolute_url()),
        "login": anonymous.get(reverse("login")),
        "signup": anonymous.get(reverse("accounts:signup")),
        "password reset": anonymous.get(reverse("password_reset")),
        "not found": anonymous.get("/notes/nothing-here/"),
        "admin login": anonymous.get(reverse("admin:login")),
        "scores": reader.get(reverse("quizzes:scores")),
        "review": reader.get(reverse("quizzes:review")),
        "account": reader.get(reverse("accounts:settings")),
        "password change": reader.get(reverse("password_change")),
        "quiz start refused": reader.post(reverse("quizzes:start_quiz", args=[topic.slug]), {"size": "7"}),
    }
    reader.post(reverse("quizzes:start_quiz", args=[topic.slug]), {"size": 5})
    quiz = Quiz.objects.get(user=learner)
    take = reverse("quizzes:take", args=[quiz.pk])
    items = list(quiz.items.order_by("position"))
    responses["quiz question"] = reader.get(take)
    responses["quiz question (htmx)"] = reader.get(take, headers=HX)
    answer = reverse("quizzes:answer", args=[quiz.pk, items[0].position])
    valid = {"choice": "0"} if items[0].options else {"response": "Google"}
    responses["answer refused (htmx)"] = reader.post(answer, {"choice": "9", "response": ""}, headers=HX)
    responses["answer feedback (htmx)"] = reader.post(answer, valid, headers=HX)
    responses["answer feedback"] = reader.get(take + f"?answered={items[0].position}")
    for item in items[1:]:
        valid = {"choice": "0"} if item.options else {"response": "Google"}
        reader.post(reverse("quizzes:answer", args=[quiz.pk, item.position]), valid)
    responses["quiz summary"] = reader.get(take)
    responses["admin index"] = editor.get(reverse("admin:index"))
    responses["admin list"] = editor.get(reverse("admin:articles_article_changelist"))
    responses["admin add"] = editor.get(reverse("admin:articles_article_add"))
    responses["admin change"] = editor.get(reverse("admin:articles_article_change", args=[article.pk]))
    responses["admin delete"] = editor.get(reverse("admin:articles_article_delete", args=[article.pk]))
    responses["admin questions"] = editor.get(reverse("admin:quizzes_question_changelist"))
    responses["csrf failure"] = Client(enforce_csrf_checks=True).post(reverse("login"), {})

    expected = {
        "not found": 404,
        "quiz start refused": 400,
        "answer refused (htmx)": 400,
        "csrf failure": 403,
    }
    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {name: expected.get(name, 200) for name in responses}
    bare = {name for name in responses if "htmx" in name} | PAGES_WITHOUT_REQUEST
    problems = {
        name: csp_problems(response, page_type=name not in bare) for name, response in responses.items()
    }
    assert {name: found for name, found in problems.items() if found} == {}


# --- the admin ----------------------------------------------------------------------------------


def admin_urls(article):
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_delete", args=[article.pk]),
        reverse("admin:articles_topic_changelist"),
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_keyfact_changelist"),
        reverse("admin:auth_user_changelist"),
    ]


def test_the_admin_is_for_staff_only(site, learner):
    _, article = site
    reader = Client()
    reader.force_login(learner)
    for client in (Client(), reader):
        for url in admin_urls(article):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("admin:login")), url
    # Posting is no way in either.
    before = Article.objects.count()
    response = reader.post(reverse("admin:articles_article_add"), {"title": "x", "slug": "x", "body": "x"})
    assert response.status_code == 302 and Article.objects.count() == before
    # A learner's right password does not open the admin.
    login = Client(headers={"Accept-Language": "en"}).post(
        reverse("admin:login"), {"username": learner.username, "password": "correct-horse-battery"}
    )
    assert login.status_code == 200 and "staff account" in login.content.decode()


def test_editors_reach_the_library_but_not_the_accounts(site):
    _, article = site
    editor = make_user("another-editor")
    editor.is_staff = True
    editor.save()
    editor.groups.add(editors_group())  # what load_demo gives the demo editor
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 200
    assert client.get(reverse("admin:quizzes_question_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


# --- CSRF ---------------------------------------------------------------------------------------


def post_endpoints(topic, article, quiz):
    item = quiz.items.order_by("position").first()
    return {
        "log in": (reverse("login"), {"username": "reader", "password": "correct-horse-battery"}),
        "sign up": (
            reverse("accounts:signup"),
            {
                "username": "newcomer",
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
            },
        ),
        "log out": (reverse("logout"), {}),
        "language": (reverse("set_language"), {"language": "en", "next": "/"}),
        "password reset": (reverse("password_reset"), {"email": "someone@example.org"}),
        "password change": (
            reverse("password_change"),
            {"old_password": "x", "new_password1": "y", "new_password2": "y"},
        ),
        "account": (reverse("accounts:settings"), {"desired_retention": "0.85"}),
        "start quiz": (reverse("quizzes:start_quiz", args=[topic.slug]), {"size": "5"}),
        "answer": (reverse("quizzes:answer", args=[quiz.pk, item.position]), {"choice": "0"}),
        "review": (reverse("quizzes:review"), {}),
        "admin login": (reverse("admin:login"), {"username": "editor1", "password": "x"}),
        "admin add": (
            reverse("admin:articles_article_add"),
            {"title": "x", "slug": "x", "topic": topic.pk, "status": "draft", "body": "x"},
        ),
        "admin delete": (reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}),
        "admin action": (
            reverse("admin:articles_article_changelist"),
            {"action": "archive", "_selected_action": [article.pk]},
        ),
    }


def state():
    """What the POSTs below could change."""
    return (
        list(Article.objects.values_list("slug", "status").order_by("slug")),
        list(Quiz.objects.values_list("pk", "answered_count").order_by("pk")),
        sorted(get_user_model().objects.values_list("username", "password")),
        list(LearnerProfile.objects.values_list("user_id", "desired_retention")),
    )


# Who posts: nobody (logging in, signing up), the learner, or the editor.
ANONYMOUS = {"log in", "sign up", "password reset", "admin login"}
EDITOR = {"admin add", "admin delete", "admin action"}


def test_every_post_needs_a_valid_csrf_token(site, learner, staff):
    topic, article = site
    learner.username = "reader"
    learner.save()
    quiz = Quiz.objects.create(user=learner, topic=topic, item_count=1)
    fact = article.facts.get(answer="GELU")
    quiz.items.create(position=1, question=fact.questions.get(type="mcq"), fact=fact, options=["GELU"] * 4)
    endpoints = post_endpoints(topic, article, quiz)

    def who(name):
        return None if name in ANONYMOUS else staff if name in EDITOR else learner

    def browser(user):
        client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
        if user is not None:
            client.force_login(user)
        client.get(reverse("login"))  # a page with a form: sets the csrftoken cookie
        return client

    before = state()
    browsers = {user: browser(user) for user in (None, learner, staff)}
    refused = {}
    for name, (url, data) in endpoints.items():
        for forged in ({}, {"csrfmiddlewaretoken": "x" * 64}):
            response = browsers[who(name)].post(url, {**data, **forged})
            refused[f"{name}{' (forged token)' if forged else ''}"] = response.status_code
    assert {name: code for name, code in refused.items() if code != 403} == {}
    assert state() == before

    # With the page's token, the same requests go through (to whatever answer they deserve).
    accepted = {}
    for name, (url, data) in endpoints.items():
        client = browser(who(name))
        token = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
        accepted[name] = client.post(url, {**data, **token}).status_code
    assert 403 not in accepted.values(), accepted
