"""The login flood: one learner answering on one connection, first alone (quiet), then while
anonymous clients post failed log-ins as fast as they can, a new username each time from one
address. Login throttling must keep the flood cheap: the learner's p95 under the flood stays
under twice the quiet one.
"""

import signal
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import get_random_string

from bench import synthetic
from bench.figures import Check, Figure
from bench.wrk import REPORT_LUA, answer_script, run_wrk, summary

LEARNER_CONNECTIONS = 1  # one learner clicking through a quiz
FLOOD_CONNECTIONS = 6  # anonymous clients posting failed log-ins
MAX_FLOOD_SLOWDOWN = 2.0
LOCKOUT_WAIT_SECONDS = 60
FIGURE_NAMES = [
    "learner answers, quiet",
    "learner answers under a login flood",
    "learner p95, flood / quiet",
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
    synthetic.discard_unanswered(quiet_items + flood_items)
    slowdown = under["latency_p95_ms"] / quiet["latency_p95_ms"]
    flood_rate = flood.result["requests"] / flood.result["seconds"]
    refused = flood.result["bad_status"] / max(flood.result["requests"], 1)
    return [
        Figure(
            FIGURE_NAMES[0],
            count=quiet["requests"],
            amount=round(quiet["latency_p95_ms"], 1),
            unit="ms p95",
            note=f"{LEARNER_CONNECTIONS} connection, p50 {quiet['latency_p50_ms']:.1f} ms",
        ),
        Figure(
            FIGURE_NAMES[1],
            count=under["requests"],
            amount=round(under["latency_p95_ms"], 1),
            unit="ms p95",
            note=(
                f"p50 {under['latency_p50_ms']:.1f} ms; flood of {FLOOD_CONNECTIONS} anonymous "
                f"connections: {flood_rate:.0f} failed log-ins/s, {refused:.0%} refused by the lockout"
            ),
        ),
        Figure(
            FIGURE_NAMES[2],
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
    flood.result = summary(stdout, stderr)
