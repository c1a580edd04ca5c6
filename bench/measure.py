"""Server time and SQL queries per request, through the real URL routing and middleware.

Requests go through django.test.Client in this process: everything from the first middleware to
the rendered response is timed, nothing of the network. Each page is requested `scale.requests`
times (after a few untimed warm-up requests), as learners of the bench history, over https as
in production; budgets are checked on p95 (and on the most queries any request took).
"""

import random
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Topic
from bench import synthetic
from bench.figures import Figure, latency_figure
from bench.library import SEARCHES
from quizzes.models import Question, Quiz

WARM_UP = 5
MEASURED_LEARNERS = 10
HX = {"HX-Request": "true"}
FORM = "application/x-www-form-urlencoded"
# A search is the same few queries whatever the library's size (search.results): the session
# and its user, the due count, the terms named, the notes, their rows, the facts group (two)
# and a count per term shown (three at most).
SEARCH_QUERIES = 12


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
    """Every page the budgets name, as learners of the bench history and as its editor."""
    n = scale.requests
    needed = warm_up_requests(n) + n
    rng = random.Random(11)
    learners = synthetic.rested_learners(MEASURED_LEARNERS)
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

    searches = SEARCHES

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
