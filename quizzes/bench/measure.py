"""Server time and SQL queries per request, through the real URL routing and middleware.

Requests go through django.test.Client in this process: everything from the first middleware to
the rendered response is timed, nothing of the network. Each page is requested `scale.requests`
times (after a few untimed warm-up requests), as learners of the bench history, over https as
in production; budgets are checked on p95 (and on the most queries any request took).
"""

import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.library_files import Outcome, import_paths
from articles.models import Article, Topic
from quizzes.bench import synthetic
from quizzes.models import Question, Quiz

WARM_UP = 5
MEASURED_LEARNERS = 10
HX = {"HX-Request": "true"}
FORM = "application/x-www-form-urlencoded"
# A search is the same few queries whatever the library's size (search.results): the session
# and its user, the due count, the terms named, the notes, their rows, the facts group (two)
# and a count per term shown (three at most).
SEARCH_QUERIES = 12


@dataclass(frozen=True)
class Check:
    """One budget: what it says and whether the figure meets it."""

    label: str
    passed: bool


@dataclass
class Figure:
    """One line of the report."""

    name: str
    count: int | None = None  # requests or operations timed
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: tuple[int, int] | None = None  # (median, max) per request
    # CPU time of this process: the request's own cost, whatever else the machine is doing
    # (on PostgreSQL the server's share is not in it).
    cpu_p50_ms: float | None = None
    amount: float | None = None  # the headline of a figure that is not a latency ...
    unit: str = ""  # ... in this unit
    note: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def result(self) -> str:
        if not self.checks:
            return ""
        return "PASS" if all(check.passed for check in self.checks) else "MISS"


def latency_figure(
    name, durations_ms, queries=(), cpu_ms=(), *, p95_budget=None, query_budget=None
) -> Figure:
    """p50/p95 of timed samples, checked against the budgets that apply to them."""
    figure = Figure(
        name,
        count=len(durations_ms),
        p50_ms=percentile(durations_ms, 50),
        p95_ms=percentile(durations_ms, 95),
    )
    if cpu_ms:
        figure.cpu_p50_ms = percentile(cpu_ms, 50)
    if queries:
        figure.queries = (round(statistics.median(queries)), max(queries))
    if p95_budget is not None:
        figure.checks.append(Check(f"p95 < {p95_budget:g} ms", figure.p95_ms < p95_budget))
    if query_budget is not None:
        figure.checks.append(Check(f"<= {query_budget} queries", max(queries) <= query_budget))
    return figure


def percentile(samples, percent) -> float:
    """Nearest-rank percentile: always a value that was observed."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * percent // 100))
    return round(ordered[rank - 1], 2)


def _host() -> str:
    usable = [host for host in settings.ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
    return usable[0] if usable else "127.0.0.1"


def logged_in_client(user) -> Client:
    client = Client(HTTP_HOST=_host())
    client.force_login(user)
    return client


@dataclass(frozen=True)
class Request:
    client: Client
    method: str  # "get" or "post"
    path: str
    status: int = 200  # anything else stops the benchmark: an error page is not a timing
    data: dict | None = None
    headers: dict | None = None


class Timer:
    """Times requests, in wall-clock and CPU time, and counts their queries."""

    def __init__(self):
        self.durations_ms: list[float] = []
        self.cpu_ms: list[float] = []
        self.queries: list[int] = []

    def send(self, request: Request, timed: bool = True):
        kwargs = {"headers": request.headers, "secure": True}  # https, as in production
        body = request.data
        if request.method == "post":  # urlencoded, as browsers and htmx post forms
            kwargs["content_type"], body = FORM, urlencode(request.data or {})
        connection.queries_log.clear()  # a full log (9,000 queries) would count nothing
        with CaptureQueriesContext(connection) as captured:
            cpu_started, started = time.process_time(), time.perf_counter()
            response = getattr(request.client, request.method)(request.path, body, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
        if response.status_code != request.status:
            raise RuntimeError(f"{request.method.upper()} {request.path} gave "
                               f"{response.status_code}, expected {request.status}")
        if timed:
            self.durations_ms.append(elapsed)
            self.cpu_ms.append(cpu)
            self.queries.append(len(captured))
        return response


def warm_up_requests(requests: int) -> int:
    """Untimed requests first: caches, templates and the database's pages warm up."""
    return min(WARM_UP, requests // 5)


def time_page(name, requests, request_for, *, p95_budget=None, query_budget=None,
              seen=lambda response: None) -> Figure:
    """Send request_for(i) for the warm-up, then `requests` timed times."""
    timer = Timer()
    warm_up = warm_up_requests(requests)
    for i in range(warm_up + requests):
        seen(timer.send(request_for(i), timed=i >= warm_up))
    return latency_figure(name, timer.durations_ms, timer.queries, timer.cpu_ms,
                          p95_budget=p95_budget, query_budget=query_budget)


def request_figures(scale) -> list[Figure]:
    """Every page of the issue, as learners of the bench history and as its editor."""
    n = scale.requests
    needed = warm_up_requests(n) + n
    rng = random.Random(11)
    learners = synthetic.learners(MEASURED_LEARNERS)
    clients = {user.pk: logged_in_client(user) for user in learners}
    staff = logged_in_client(synthetic.editor())
    slugs = dict(Topic.objects.values_list("pk", "slug"))
    topics = {user.pk: [slugs[pk] for pk in synthetic.topics_of(user)] for user in learners}
    articles = list(Article.objects.published().order_by("?").values_list("pk", "slug")[:n])
    answers = {
        kind: synthetic.open_items(learners, needed, kind)
        for kind in (Question.Type.FILL_IN, Question.Type.MULTIPLE_CHOICE)
    }
    started: list[tuple[int, str]] = []  # (learner, URL) of each quiz "start a quiz" started

    def learner(i) -> int:
        return learners[i % len(learners)].pk

    def page(path):
        return lambda i: Request(clients[learner(i)], "get", path)

    def article(i):
        return Request(clients[learner(i)], "get",
                       reverse("articles:article_detail", args=[articles[i % len(articles)][1]]))

    def start_quiz(i):
        slug = rng.choice(topics[learner(i)])
        # Untimed: the quiz an earlier start left open becomes a retry (still open, for the
        # question page), so this request starts a quiz rather than resuming that one.
        Quiz.objects.open().filter(user_id=learner(i), topic__slug=slug, mode=Quiz.Mode.TOPIC).update(
            mode=Quiz.Mode.RETRY)
        return Request(clients[learner(i)], "post", reverse("quizzes:start_quiz", args=[slug]),
                       302, {"size": 10})

    def question(i):
        user, url = started[i]
        return Request(clients[user], "get", url)

    def answer(kind):
        def request(i):
            item = answers[kind][i]
            url = reverse("quizzes:answer", args=[item.quiz_id, item.position])
            return Request(clients[item.user_id], "post", url, 200, item.data, HX)
        return request

    searches = synthetic.SEARCHES

    def search(i):
        # Learners search as they type (htmx) and by submitting the form (the whole page).
        query = {"q": searches[i % len(searches)]}
        headers = HX if i % 2 else None
        return Request(clients[learner(i)], "get", f"{reverse('search:results')}?{urlencode(query)}",
                       headers=headers)

    def admin(i):
        pk = articles[i % len(articles)][0]
        return Request(staff, "get", reverse("admin:articles_article_change", args=[pk]))

    return [
        time_page("topic list", n, page(reverse("articles:topic_list"))),
        time_page("article page", n, article, p95_budget=30),
        # The i-th quiz started is learner(i)'s; its URL is where the start redirects.
        time_page("start a quiz", n, start_quiz, p95_budget=100,
                  seen=lambda response: started.append((learner(len(started)), response.url))),
        time_page("question page", n, question, p95_budget=25),
        time_page("submit an answer (fill-in)", n, answer(Question.Type.FILL_IN),
                  p95_budget=25, query_budget=12),
        time_page("submit an answer (multiple choice)", n,
                  answer(Question.Type.MULTIPLE_CHOICE), p95_budget=25, query_budget=12),
        time_page("scores page", n, page(reverse("quizzes:scores")), p95_budget=50),
        time_page("review page", n, page(reverse("quizzes:review")), p95_budget=50),
        time_page("search", n, search, p95_budget=50, query_budget=SEARCH_QUERIES),
        time_page("admin article list", n,
                  lambda i: Request(staff, "get", reverse("admin:articles_article_changelist")),
                  p95_budget=100),
        time_page("admin article change page", n, admin, p95_budget=100),
    ]


def save_figures(scale) -> list:
    """Saving an article with 100 facts, an edited one with 300 (rendering, matching and
    extraction), and importing files."""
    topics = list(Topic.objects.order_by("order"))
    author = synthetic.editor()
    durations, cpu = [], []
    for run in range(scale.save_runs):
        article = Article(
            topic=topics[run % len(topics)],
            title=f"Bench 100 facts {run}",
            slug=f"{synthetic.PREFIX}hundred-{run}-{time.time_ns()}",
            author=author,
            status=Article.Status.PUBLISHED,
            body=synthetic.synthetic_article(10_000 + run, 100).body,
        )
        cpu_started, started = time.process_time(), time.perf_counter()
        article.save()
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if article.facts.count() != 100:
            raise RuntimeError(f"saving a 100-fact article made {article.facts.count()} facts")
    save = latency_figure("save an article with 100 facts", durations, cpu_ms=cpu, p95_budget=300)
    save.note = f"max {max(durations):.0f} ms"
    edit = edit_figure(scale, topics, author)

    with tempfile.TemporaryDirectory() as folder:
        for number in range(scale.import_articles):
            topic = topics[number % len(topics)]
            body = synthetic.synthetic_article(20_000 + number, scale.facts_per_article).body
            slug = f"{synthetic.PREFIX}import-{number:05d}-{time.time_ns()}"
            Path(folder, f"{slug}.md").write_text(
                f"---\ntitle: Imported {number}\nslug: {slug}\ntopic: {topic.name}\n"
                f"topic_slug: {topic.slug}\nstatus: published\n---\n\n" + body,
                encoding="utf-8",
            )
        started = time.perf_counter()
        results = import_paths([folder])
        seconds = time.perf_counter() - started
    failed = [result for result in results if result.outcome is not Outcome.CREATED]
    if failed:
        raise RuntimeError(f"importing failed: {failed[0]}")
    imported = Figure(
        f"import {len(results)} articles",
        count=len(results),
        amount=round(seconds, 2),
        unit="s",
        note=f"{seconds * 1000 / len(results):.0f} ms per article",
    )
    return [save, edit, imported]


# An editor's rewording of the synthetic sentences (see synthetic.py's templates).
REWORDINGS = {
    "实践中常用": "在实践中人们常用",
    "这种现象叫做": "这种现象通常叫做",
    "会先经过": "一般会先经过",
}


def edited(body: str) -> str:
    """An editor's pass over a note: every third paragraph reworded, the last one moved up."""
    paragraphs = body.rstrip("\n").split("\n\n")
    for number in range(1, len(paragraphs), 3):
        for old, new in REWORDINGS.items():
            paragraphs[number] = paragraphs[number].replace(old, new)
    return "\n\n".join([paragraphs[0], paragraphs[-1], *paragraphs[1:-1]]) + "\n"


def edit_figure(scale, topics, author) -> Figure:
    """Saving an edited 300-fact article: every fact matched to the one it continues."""
    durations, cpu = [], []
    for run in range(scale.save_runs):
        article = Article(
            topic=topics[run % len(topics)],
            title=f"Bench 300 facts {run}",
            slug=f"{synthetic.PREFIX}three-hundred-{run}-{time.time_ns()}",
            author=author,
            status=Article.Status.PUBLISHED,
            body=synthetic.synthetic_article(30_000 + run, 300).body,
        )
        article.save()
        ids = set(article.facts.values_list("pk", flat=True))
        article.body = edited(article.body)
        cpu_started, started = time.process_time(), time.perf_counter()
        article.save()
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        kept = set(article.facts.filter(retired_at__isnull=True).values_list("pk", flat=True))
        if len(kept) != 300 or kept != ids:
            raise RuntimeError(f"editing a 300-fact article kept {len(kept & ids)} of its 300 facts")
    figure = latency_figure(
        "save an edited article with 300 facts", durations, cpu_ms=cpu, p95_budget=300
    )
    figure.note = f"max {max(durations):.0f} ms"
    return figure
