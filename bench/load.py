"""Throughput: the app under gunicorn (2 sync workers) driven by wrk, answers against two anchors.

wrk drives the no-op `healthz` view first, the ceiling of this stack on this machine; then, for
as long again, logged-in learners posting the write anchor (bench.views), the least a writing
view can cost here; then, for as long again, the same learners taking turns posting answers (the
htmx flow) to fresh quiz items prepared beforehand, each answer to an item not yet answered.
Answers must keep MIN_ANCHOR_SHARE of the anchor's rate; their share of the no-op rate is only
reported. Then the login flood (bench.flood).
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

from bench import flood, server, synthetic
from bench.figures import Check, Figure
from bench.wrk import CONNECTIONS, REPORT_LUA, anchor_script, answer_script, run_wrk
from quizzes.models import Card, QuizItem, ReviewLog

WORKERS = 2
# Learners taking turns, as a class answers: one learner's four connections would answer four
# questions of one quiz at once, each waiting for the others' locks on the quiz and its scores.
LOAD_LEARNERS = 8
MIN_ANCHOR_SHARE = 0.80
ANSWER_ROOM = 3  # answers may run this many times as fast as the anchor before items run out
ANCHOR_CARDS = 1_000  # the anchor's posts go round the learner's cards: no two wait on one lock
FIGURE_NAMES = [
    "no-op view (healthz)",
    "answer submissions",
    "write anchor (bench only)",
    "answers / no-op",
    "answers / write anchor",
    *flood.FIGURE_NAMES,
]


def uses_manifest_storage() -> bool:
    """Hashed static names (production) need collectstatic before any page renders."""
    return isinstance(staticfiles_storage, ManifestFilesMixin)


def collect_static() -> float:
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    return time.perf_counter() - started


def throughput_figures(scale) -> list[Figure]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk (or pass --skip-load)")
    learners = synthetic.rested_learners(LOAD_LEARNERS)
    cards = list(Card.objects.filter(user__in=learners).order_by("pk").values_list("pk", "user_id")
                 [:ANCHOR_CARDS])
    if not cards:
        raise RuntimeError("the load learners have no cards for the write anchor to write")
    with server.gunicorn(_server_environment(), workers=WORKERS) as base_url, \
            tempfile.TemporaryDirectory() as folder:
        noop_url = base_url + _healthz_path()
        run_wrk(noop_url, 1, Path(folder, "warm.lua"), REPORT_LUA)  # both workers up and warm
        noop = run_wrk(noop_url, scale.load_seconds, Path(folder, "noop.lua"), REPORT_LUA)
        noop_rate = noop["requests"] / noop["seconds"]
        # The anchor's review logs, unlike an answer's, keep no previous card state.
        logs = ReviewLog.objects.filter(card_id__in=[card_id for card_id, _ in cards], previous__isnull=True)
        logged_before = logs.count()
        anchor = run_wrk(
            base_url, scale.load_seconds, Path(folder, "anchor.lua"), anchor_script(learners, cards)
        )
        anchored = logs.count() - logged_before
        # Items for ANSWER_ROOM times the anchor's count: each is in an open quiz of its learner,
        # and a learner with hundreds of open quizzes is no learner the site has. Answers past
        # the last item are reported as overflow.
        items = synthetic.open_items(learners, ANSWER_ROOM * anchor["requests"] + 50)
        answers = run_wrk(
            base_url, scale.load_seconds, Path(folder, "answers.lua"), answer_script(learners, items)
        )
        flood_figures = flood.login_flood_figures(base_url, scale.load_seconds, learners[:1], Path(folder),
                                                  answers)
    answer_rate = (answers["requests"] - answers["overflow"]) / answers["seconds"]
    anchor_rate = anchor["requests"] / anchor["seconds"]
    recorded = QuizItem.objects.filter(
        quiz_id__in={item.quiz_id for item in items}, answered_at__isnull=False
    ).count()
    synthetic.discard_unanswered(items)
    ratio, share = answer_rate / noop_rate, answer_rate / anchor_rate
    return [
        Figure(
            FIGURE_NAMES[0],
            count=noop["requests"],
            amount=round(noop_rate),
            unit="req/s",
            note=_latency_note(noop),
        ),
        _writing_figure(FIGURE_NAMES[1], answers, answer_rate, f"{recorded} answers recorded; "),
        _writing_figure(FIGURE_NAMES[2], anchor, anchor_rate, f"{anchored} review logs written; "),
        Figure(
            FIGURE_NAMES[3],
            amount=round(ratio * 100, 1),
            unit="%",
            # Reported, not budgeted: a view that writes cannot approach one that does nothing;
            # the write anchor is the budget's measure.
        ),
        Figure(
            FIGURE_NAMES[4],
            amount=round(share * 100, 1),
            unit="%",
            checks=[Check(f">= {MIN_ANCHOR_SHARE:.0%} of write anchor", share >= MIN_ANCHOR_SHARE)],
        ),
        *flood_figures,
    ]


def _writing_figure(name: str, run: dict, rate: float, what: str) -> Figure:
    """The rate of a run of posts, which must all have succeeded."""
    problems = [
        f"{run[key]} {key.replace('_', ' ')}"
        for key in ("socket_errors", "bad_status", "overflow")
        if run[key]
    ]
    return Figure(
        name,
        count=run["requests"],
        amount=round(rate),
        unit="req/s",
        note=what + _latency_note(run) + "".join(f"; {problem}" for problem in problems),
        checks=[Check("no errors", not problems)],
    )


def _healthz_path() -> str:
    try:
        return reverse("healthz")
    except NoReverseMatch:
        raise RuntimeError(
            'notesite/urls.py must route the no-op view: path("healthz", include("notesite.health"))'
        ) from None


def _latency_note(run: dict) -> str:
    return (
        f"{CONNECTIONS} connections, latency p50 {run['latency_p50_ms']:.1f} ms, "
        f"p99 {run['latency_p99_ms']:.1f} ms"
    )


def _server_environment() -> dict:
    """This process's settings with the bench-only URLconf, served over plain http on 127.0.0.1."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(database["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("the load test needs a database file or server, not memory")
        env["DATABASE_URL"] = f"sqlite:///{Path(name).resolve()}"
    return env
