"""Throughput: the app under gunicorn (2 sync workers) driven by wrk, answers against a no-op.

wrk (Debian's `wrk` package) drives the no-op `healthz` view first, the ceiling of this stack
on this machine; then, for as long again, one logged-in learner posting answers (the htmx
flow) to fresh quiz items prepared beforehand, each answer to an item not yet answered. A Lua
script carries the answer URLs, the session cookie and the CSRF token.

Then the login flood: one learner answering on one connection, first alone (quiet), then while
anonymous clients post failed log-ins as fast as they can, a new username each time from one
address. Login throttling must keep the flood cheap: the learner's p95 under the flood stays
under twice the quiet one.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import get_random_string

from quizzes.bench import synthetic
from quizzes.bench.measure import Check, Figure
from quizzes.models import QuizItem

WORKERS = 2
CONNECTIONS = 4  # two per worker: a worker never waits for the next request
# One learner answers (the scenario); four learners gave the same rate: it is bound by
# CPU, not by the row locks one learner's answers take.
LOAD_LEARNERS = 1
MIN_RATIO = 0.25
LEARNER_CONNECTIONS = 1  # one learner clicking through a quiz
FLOOD_CONNECTIONS = 6  # anonymous clients posting failed log-ins
MAX_FLOOD_SLOWDOWN = 2.0
LOCKOUT_WAIT_SECONDS = 60
FIGURE_NAMES = [
    "no-op view (healthz)",
    "answer submissions",
    "answers / no-op",
    "learner answers, quiet",
    "learner answers under a login flood",
    "learner p95, flood / quiet",
]

REPORT_LUA = """
threads = {}
overflow = 0
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local over = 0
  for _, thread in ipairs(threads) do over = over + (thread:get("overflow") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "socket_errors": %d, "bad_status": %d, '
    .. '"latency_p50_ms": %.2f, "latency_p95_ms": %.2f, "latency_p99_ms": %.2f, "overflow": %d}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, over))
end
"""


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
    learners = synthetic.learners(LOAD_LEARNERS)
    with gunicorn() as base_url, tempfile.TemporaryDirectory() as folder:
        noop_url = base_url + _healthz_path()
        run_wrk(noop_url, 1, Path(folder, "warm.lua"), REPORT_LUA)  # both workers up and warm
        noop = run_wrk(noop_url, scale.load_seconds, Path(folder, "noop.lua"), REPORT_LUA)
        noop_rate = noop["requests"] / noop["seconds"]
        # Answers cannot outrun the no-op view: that many fresh items are always enough.
        items = synthetic.open_items(learners, int(noop_rate * scale.load_seconds * 1.2) + 50)
        answers = run_wrk(
            base_url, scale.load_seconds, Path(folder, "answers.lua"), answer_script(learners, items)
        )
        flood_figures = login_flood_figures(base_url, scale.load_seconds, learners, Path(folder), answers)
    answer_rate = (answers["requests"] - answers["overflow"]) / answers["seconds"]
    recorded = QuizItem.objects.filter(
        quiz_id__in={item.quiz_id for item in items}, answered_at__isnull=False
    ).count()
    ratio = answer_rate / noop_rate
    problems = [
        f"{answers[key]} {key.replace('_', ' ')}"
        for key in ("socket_errors", "bad_status", "overflow")
        if answers[key]
    ]
    return [
        Figure(
            FIGURE_NAMES[0],
            count=noop["requests"],
            amount=round(noop_rate),
            unit="req/s",
            note=_latency_note(noop),
        ),
        Figure(
            FIGURE_NAMES[1],
            count=answers["requests"],
            amount=round(answer_rate),
            unit="req/s",
            note=f"{recorded} answers recorded; "
            + _latency_note(answers)
            + "".join(f"; {problem}" for problem in problems),
            checks=[Check("no errors", not problems)],
        ),
        Figure(
            FIGURE_NAMES[2],
            amount=round(ratio * 100, 1),
            unit="%",
            checks=[Check(f">= {MIN_RATIO:.0%} of no-op", ratio >= MIN_RATIO)],
        ),
        *flood_figures,
    ]


def login_flood_figures(base_url, seconds, learners, folder: Path, answers: dict) -> list[Figure]:
    """One learner's answer latency alone, then beside an anonymous failed-login flood."""
    # One connection answers no faster than four did: that many items are always enough.
    enough = int(answers["requests"] * 1.2) + 50
    quiet_items = synthetic.open_items(learners, enough)
    flood_items = synthetic.open_items(learners, enough)
    quiet = run_wrk(
        base_url, seconds, folder / "quiet.lua", answer_script(learners, quiet_items), LEARNER_CONNECTIONS
    )
    with login_flood(base_url, seconds + LOCKOUT_WAIT_SECONDS, folder / "flood.lua") as flood:
        # The first failures from an address are hashed like any log-in; the learner is timed
        # once the lockout refuses the flood, which is where a sustained flood spends its time.
        _wait_for_lockout(base_url)
        script = answer_script(learners, flood_items)
        under = run_wrk(base_url, seconds, folder / "under-flood.lua", script, LEARNER_CONNECTIONS)
    slowdown = under["latency_p95_ms"] / quiet["latency_p95_ms"]
    flood_rate = flood.result["requests"] / flood.result["seconds"]
    refused = flood.result["bad_status"] / max(flood.result["requests"], 1)
    return [
        Figure(
            FIGURE_NAMES[3],
            count=quiet["requests"],
            amount=round(quiet["latency_p95_ms"], 1),
            unit="ms p95",
            note=f"{LEARNER_CONNECTIONS} connection, p50 {quiet['latency_p50_ms']:.1f} ms",
        ),
        Figure(
            FIGURE_NAMES[4],
            count=under["requests"],
            amount=round(under["latency_p95_ms"], 1),
            unit="ms p95",
            note=(
                f"p50 {under['latency_p50_ms']:.1f} ms; flood of {FLOOD_CONNECTIONS} anonymous "
                f"connections: {flood_rate:.0f} failed log-ins/s, {refused:.0%} refused by the lockout"
            ),
        ),
        Figure(
            FIGURE_NAMES[5],
            amount=round(slowdown, 2),
            unit="x",
            checks=[Check(f"< {MAX_FLOOD_SLOWDOWN:g}x", slowdown < MAX_FLOOD_SLOWDOWN)],
        ),
    ]


def flood_script() -> str:
    """wrk's Lua: failed log-ins with a new username each time, CSRF token and all, as a script would."""
    csrf = get_random_string(32)
    return f"""{REPORT_LUA}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{settings.CSRF_COOKIE_NAME}={csrf}"
local attempt = 0
request = function()
  attempt = attempt + 1
  local body = "csrfmiddlewaretoken={csrf}&username=flood-" .. attempt .. "&password=wrong-" .. attempt
  return wrk.format(nil, "{reverse("login")}", nil, body)
end
"""


def _wait_for_lockout(base_url: str) -> None:
    """Until a failed log-in from this address is refused (429), at most LOCKOUT_WAIT_SECONDS."""
    csrf = get_random_string(32)
    body = urlencode({"csrfmiddlewaretoken": csrf, "username": "flood-probe", "password": "wrong"}).encode()
    deadline = time.monotonic() + LOCKOUT_WAIT_SECONDS
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            base_url + reverse("login"),
            data=body,
            headers={"Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf}"},
        )
        try:
            urllib.request.urlopen(request, timeout=30).close()
        except urllib.error.HTTPError as error:
            if error.code == 429:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the login flood was not locked out within {LOCKOUT_WAIT_SECONDS} s")


class _Flood:
    result: dict


@contextmanager
def login_flood(base_url: str, seconds: int, script_path: Path):
    """wrk flooding the login page in the background (for at most `seconds`, stopped when the
    block ends); `.result` is its summary once over."""
    script_path.write_text(flood_script(), encoding="utf-8")
    flood = _Flood()
    process = subprocess.Popen(
        ["wrk", "-t1", f"-c{FLOOD_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script_path),
         base_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield flood
        process.send_signal(signal.SIGINT)  # wrk stops and prints its summary
        stdout, stderr = process.communicate(timeout=seconds + 120)
    except BaseException:
        process.kill()
        process.wait()
        raise
    flood.result = _summary(stdout, stderr)


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


def answer_script(learners, items) -> str:
    """wrk's Lua: each request answers the next fresh item, as the htmx form does."""
    csrf = get_random_string(32)  # a CSRF secret, sent as cookie and header alike
    cookies = {}
    for learner in learners:
        client = Client()
        client.force_login(learner)  # a session row in the database, as a login would make
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[learner.pk] = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    entries = ",\n".join(
        f'{{"{reverse("quizzes:answer", args=[item.quiz_id, item.position])}", '
        f'"{urlencode(item.data)}", "{cookies[item.user_id]}"}}'
        for item in items
    )
    return f"""{REPORT_LUA}
answers = {{
{entries}
}}
wrk.method = "POST"
wrk.headers["X-CSRFToken"] = "{csrf}"
wrk.headers["HX-Request"] = "true"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local next_answer = 0
request = function()
  next_answer = next_answer + 1
  local entry = answers[next_answer]
  if entry == nil then
    overflow = overflow + 1
    entry = answers[#answers]
  end
  wrk.headers["Cookie"] = entry[3]
  return wrk.format(nil, entry[1], nil, entry[2])
end
"""


def run_wrk(url: str, seconds: int, script_path: Path, script: str, connections: int = CONNECTIONS) -> dict:
    script_path.write_text(script, encoding="utf-8")
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script_path), url],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    )
    return _summary(result.stdout, result.stderr)


def _summary(stdout: str, stderr: str) -> dict:
    line = next((line for line in stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{stdout}\n{stderr}")
    return json.loads(line.removeprefix("BENCH "))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_environment() -> dict:
    """This process's settings, served over plain http on 127.0.0.1."""
    env = dict(
        os.environ,
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


@contextmanager
def gunicorn():
    """gunicorn serving the app on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "notesite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=_server_environment(),
            stdout=log,
            stderr=log,
        )
        try:
            _wait_until_serving(base_url + _healthz_path(), server, log)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_serving(url, server, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")
