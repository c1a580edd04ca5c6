"""Browser tests: Debian's Chromium, driven by Playwright, against the app on a live server."""

import contextlib
import io
import itertools
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from quizzes.models import QuizItem
from tests.factories import make_known_cards

# Playwright's sync API keeps an asyncio loop running in the test thread, and the ORM (fixtures,
# assertions on rows) runs in that thread too: Django's async guard would refuse every query.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# The live server listens on 127.0.0.1, like the site in production behind its proxy.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
# Learners read in Simplified Chinese: the browser asks for it as theirs would.
LOCALE = "zh-CN"

DEMO_LEARNER = ("learner", "learn-notesite-2026")
DEMO_EDITOR = ("editor", "edit-notesite-2026")


def pytest_collection_modifyitems(config, items):
    browser_missing = not CHROMIUM.exists() and not os.environ.get("CI")
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (see .ci/run)"
    )
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if browser_missing:
                item.add_marker(skip)


# Package scope: one browser for every test in this folder, stopped before the other folders'
# tests run, so that Playwright's running event loop never leaks into them.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserProblems:
    """Console errors, uncaught page errors and CSP violations seen by a test's pages."""

    pages: list = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def watch(self, page):
        self.pages.append(page)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.messages.append(f"{page.url}: page error: {error}"))

    def _console(self, page, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            source = message.location.get("url")
            where = f" ({source})" if source and source != page.url else ""
            self.messages.append(f"{page.url}: console {message.type}: {message.text}{where}")

    def collect(self) -> list[str]:
        for page in self.pages:
            if page.is_closed():
                continue
            # Late requests (the favicon, say) fail after the load event; a page that keeps
            # polling never goes idle and is checked for what it logged so far.
            with contextlib.suppress(PlaywrightError):
                page.wait_for_load_state("networkidle", timeout=3_000)
            # The round trip delivers the events sent before it (a crashed page has reported).
            with contextlib.suppress(PlaywrightError):
                page.evaluate("0")
        return self.messages


BROWSER_PROBLEMS = pytest.StashKey[BrowserProblems]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test whose pages logged a console error, a page error or a CSP violation."""
    problems = item.stash.get(BROWSER_PROBLEMS, None)
    try:
        result = yield
    except BaseException:
        if problems and problems.collect():
            item.add_report_section("call", "browser console", "\n".join(problems.messages))
        raise
    if problems and problems.collect():
        pytest.fail(
            "the browser logged errors or Content-Security-Policy violations:\n  "
            + "\n  ".join(problems.messages),
            pytrace=False,
        )
    return result


@pytest.fixture
def open_page(request, browser, live_server):
    """Open a page in a fresh browser (own cookies); relative URLs go to the live server.

    `open_page(phone=True)` for a phone; other keywords go to `browser.new_context`
    (e.g. `java_script_enabled=False`). Every page is watched for console errors.
    """
    problems = request.node.stash.setdefault(BROWSER_PROBLEMS, BrowserProblems())
    contexts = []

    def open_page(*, phone=False, **options):
        options = {"locale": LOCALE, **(PHONE if phone else DESKTOP), **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.on("page", problems.watch)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def phone_page(open_page):
    return open_page(phone=True)


def demo_models():
    """Every model whose rows `load_demo` may write, referenced rows first."""
    return [
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "User"),
        *apps.get_app_config("articles").get_models(),
        *apps.get_app_config("quizzes").get_models(),
        *apps.get_app_config("search").get_models(),
    ]


@pytest.fixture(scope="package")
def demo_snapshot(django_db_setup, django_db_blocker) -> str:
    """What `load_demo` writes, serialised: made once (and rolled back), restored per test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        rows = itertools.chain.from_iterable(model._base_manager.order_by("pk") for model in demo_models())
        snapshot = serializers.serialize("json", rows, use_natural_foreign_keys=True)
        transaction.set_rollback(True)
    return snapshot


def restore(snapshot: str):
    """Insert a snapshot's rows a table at a time (loaddata saves, and so costs, row by row)."""
    with transaction.atomic():
        # Lazily: a user's groups are looked up by name once the groups are in.
        rows = serializers.deserialize("json", snapshot)
        for model, batch in itertools.groupby(rows, key=lambda row: type(row.object)):
            batch = list(batch)
            model._base_manager.bulk_create([row.object for row in batch])
            for row in batch:
                for field_name, values in (row.m2m_data or {}).items():
                    getattr(row.object, field_name).set(values)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), demo_models()):
                cursor.execute(sql)


@pytest.fixture
def demo_library(transactional_db, demo_snapshot):
    """The demo notes (articles/demo/*.md) and the demo accounts, as `bin/serve` loads them.

    `load_demo` renders every note and generates its questions, seconds of work that every
    test would repeat once the live server's database is emptied: its result is restored.
    """
    restore(demo_snapshot)


def shot(page, name: str, *, readme: bool = False) -> Path:
    """Save a full-page screenshot as a test artefact (test-artifacts/screenshots/).

    With `readme=True` and NOTESITE_README_SCREENSHOTS=1 in the environment, also refresh the
    README's copy in docs/screenshots/: the screen as it is now, one CSS pixel per pixel.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    if readme and os.environ.get("NOTESITE_README_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=README_SCREENSHOTS / path.name, scale="css")
    return path


def sign_up(page, live_server, username: str, password: str):
    """Sign up through the site's own form; the new learner is logged in on the home page."""
    page.goto("/accounts/signup/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def login(page, live_server, username: str, password: str):
    """Log in through the site's own login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[type=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    logout = page.locator("form[action$='/accounts/logout/'] [type=submit]")
    assert re.search(re.escape(username), logout.inner_text()), "not logged in"


def admin_login(page, live_server, username: str, password: str):
    """Log in through the admin's login form."""
    page.goto(f"{live_server.url}/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def quiz_id_of(page) -> int:
    """The quiz whose page the browser shows."""
    return int(re.search(r"/quiz/(\d+)/", page.url).group(1))


def current_item(quiz_id) -> QuizItem:
    """The quiz's first unanswered item: the question on screen."""
    return (
        QuizItem.objects.select_related("fact")
        .filter(quiz_id=quiz_id, answered_at__isnull=True)
        .order_by("position")
        .first()
    )


def learned(user, facts):
    """Facts this learner knows already (FSRS review state, due now): asked as fill-in."""
    now = timezone.now()
    make_known_cards(user, facts, now, stability=5, last_review=now - timedelta(days=5), reviews=0)


def answer_right(page, item):
    """Click the right option, or type the answer, and wait for the feedback."""
    if item.options:
        page.locator(
            f"#quiz-card .options button[data-key='{item.options.index(item.fact.answer) + 1}']"
        ).click()
    else:
        page.locator("#response").fill(item.fact.answer.strip("`$"))
        page.locator("#quiz-card .fill-in [type=submit]").click()
    page.locator("#quiz-card.feedback").wait_for()


def answer_wrong(page, item):
    """Click a wrong option, or type a wrong answer, and wait for the feedback."""
    if item.options:
        wrong = next(index for index, option in enumerate(item.options) if option != item.fact.answer)
        page.locator(f"#quiz-card .options button[data-key='{wrong + 1}']").click()
    else:
        page.locator("#response").fill("完全不对")
        page.locator("#quiz-card .fill-in [type=submit]").click()
    page.locator("#quiz-card.feedback").wait_for()
