"""Driving the served app with wrk (Debian's `wrk` package): the Lua scripts that post as a
signed-in learner would, and the JSON summary every run prints."""

import itertools
import json
import subprocess
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

CONNECTIONS = 4  # two per worker: a worker never waits for the next request


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


def run_wrk(url: str, seconds: int, script_path: Path, script: str, connections: int = CONNECTIONS) -> dict:
    script_path.write_text(script, encoding="utf-8")
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script_path), url],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    )
    return summary(result.stdout, result.stderr)


def summary(stdout: str, stderr: str) -> dict:
    line = next((line for line in stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{stdout}\n{stderr}")
    return json.loads(line.removeprefix("BENCH "))


def _session_cookies(learners, csrf: str) -> dict[int, str]:
    """Each learner's Cookie header: a session row in the database, as a login would make, and
    the CSRF secret the script also sends as its header."""
    cookies = {}
    for learner in learners:
        client = Client()
        client.force_login(learner)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[learner.pk] = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookies


def _posting_script(csrf: str, entries: list[str], overflow: str) -> str:
    """wrk's Lua: each request posts the next entry {path, body, cookie}, as the htmx form does;
    past the last entry, `overflow` (Lua) picks the one to post."""
    listed = ",\n".join(entries)
    return f"""{REPORT_LUA}
entries = {{
{listed}
}}
wrk.method = "POST"
wrk.headers["X-CSRFToken"] = "{csrf}"
wrk.headers["HX-Request"] = "true"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local next_entry = 0
request = function()
  next_entry = next_entry + 1
  local entry = entries[next_entry]
  if entry == nil then
    {overflow}
  end
  wrk.headers["Cookie"] = entry[3]
  return wrk.format(nil, entry[1], nil, entry[2])
end
"""


def by_turns(rows, learner_of):
    """Rows reordered so that the learners take turns, each keeping their own order: at any
    moment the connections post for different learners, as a class of learners would, never
    several answers to one learner's quiz at once."""
    queues: dict[int, list] = {}
    for row in rows:
        queues.setdefault(learner_of(row), []).append(row)
    turns = itertools.zip_longest(*queues.values())
    return [row for turn in turns for row in turn if row is not None]


def answer_script(learners, items) -> str:
    """Each request answers the next fresh item, the learners taking turns; an answer past the
    last item is counted as overflow (it repeats the last one, which only replays its result)."""
    csrf = get_random_string(32)
    cookies = _session_cookies(learners, csrf)
    entries = [
        f'{{"{reverse("quizzes:answer", args=[item.quiz_id, item.position])}", '
        f'"{urlencode(item.data)}", "{cookies[item.user_id]}"}}'
        for item in by_turns(items, lambda item: item.user_id)
    ]
    return _posting_script(csrf, entries, "overflow = overflow + 1\n    entry = entries[#entries]")


def anchor_script(learners, cards) -> str:
    """Each request posts the write anchor for the next of the learners' cards, the learners
    taking turns, round and round."""
    csrf = get_random_string(32)
    cookies = _session_cookies(learners, csrf)
    entries = [
        f'{{"{reverse("bench_write_anchor", urlconf="bench.urls", args=[card_id])}", "", '
        f'"{cookies[user_id]}"}}'
        for card_id, user_id in by_turns(cards, lambda card: card[1])
    ]
    return _posting_script(csrf, entries, "next_entry = 1\n    entry = entries[1]")
