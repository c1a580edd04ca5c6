"""Random requests to every address of the site, as anybody, learner or editor: never a 5xx.

The addresses come from the URLconf itself, with real ids and slugs filled in, so a page added
later is fuzzed too. Hypothesis varies the method, the query, the body's bytes, field names and
lengths, its Content-Type and charset; the number of examples is bounded to keep the run short.
"""

import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.answering import start_topic_quiz
from tests.factories import make_quiz_topic, make_user

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
FIELDS = [
    "username",
    "password",
    "password1",
    "password2",
    "email",
    "next",
    "choice",
    "response",
    "size",
    "title",
    "slug",
    "topic",
    "status",
    "body",
    "desired_retention",
    "language",
    "action",
    "_selected_action",
    "post",
    "old_password",
    "new_password1",
    "new_password2",
    "csrfmiddlewaretoken",
    "q",
    "answered",
    "name",
    "order",
    "is_disabled",
    "_save",
    "_continue",
]
TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "²",
            "٣",
            "1e309",
            "nan",
            "NaN",
            "0.9",
            "99999999999999999999",
            "\x00",
            "{{",
            "{{Google}}",
            "[" * 300,
            "用" * 151,
            "a" * 256,
            "published",
            "archive",
            "yes",
        ]
    ),
    st.builds(
        lambda char, length: char * length,
        st.sampled_from(["x", "用", "[", "$", "`", "\x00"]),
        st.sampled_from([150, 151, 255, 256, 4097, 20_000]),
    ),
)
CHARSETS = [None, "utf-8", "UTF-8", "utf8", "latin-1", "cp1252", "utf-16", "gb18030", "bogus", '"', ""]
TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "application/octet-stream",
    "",
    "*/*",
]


def concrete_paths(ids: dict) -> list[str]:
    """Every address of the URLconf, its parameters filled with real values."""
    paths = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + fill(route, None), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                paths.append(prefix + fill(route, pattern.name))

    def fill(route, name):
        if route.startswith("^") or "(?P" in route:  # the admin's regular expressions
            return "articles/" if "app_label" in route else "no-such-page/"
        return CONVERTER.sub(lambda match: value_for(match["name"], name), route)

    def value_for(parameter, name):
        if parameter == "object_id" and name:
            model = next(
                (
                    m
                    for m in apps.get_models()
                    if name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")
                ),
                None,
            )
            row = model and model.objects.order_by("pk").first()
            return str(row.pk) if row else "1"
        return {
            "slug": ids["slug"],
            "quiz_id": str(ids["quiz"]),
            "position": "1",
            "id": str(ids["user"]),
            "uidb64": "MQ",
            "token": "set-password",
            "content_type_id": "1",
        }.get(parameter, "1")

    walk(get_resolver().url_patterns, "/", None)
    return sorted(set(paths))


@pytest.fixture
def site():
    topic = make_quiz_topic(name="优化", slug="opt")
    learner = make_user("fuzz-learner")
    editor = make_user("fuzz-editor", staff=True)
    quiz = start_topic_quiz(learner, topic, 5, timezone.now())
    # Clients that check CSRF as browsers meet it, each with its token: the posts that carry it
    # reach the form parsing and the views behind the CSRF check.
    clients = {}
    for role, user in (("anonymous", None), ("learner", learner), ("editor", editor)):
        clients[role] = Client(enforce_csrf_checks=True, raise_request_exception=False)
        if user is not None:
            clients[role].force_login(user)
        clients[role].get("/accounts/login/")
        clients[role].token = clients[role].cookies["csrftoken"].value
    paths = concrete_paths({"slug": topic.slug, "quiz": quiz.pk, "user": learner.pk})
    # Some slug-taking addresses are articles' (notes/<slug>/): one of each kind is enough.
    return clients, paths + ["/notes/opt-basics/"]


def form_body(fields, boundary_ok):
    if boundary_ok:
        parts = b"".join(
            b'--xyz\r\nContent-Disposition: form-data; name="'
            + name.encode()
            + b'"\r\n\r\n'
            + value
            + b"\r\n"
            for name, value in fields
        )
        return parts + b"--xyz--\r\n"
    return b"&".join(quote(name).encode() + b"=" + value for name, value in fields)


REQUESTS = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["anonymous", "learner", "editor"]),
        "method": st.sampled_from(
            ["GET", "POST", "POST", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]
        ),
        "path": st.integers(min_value=0),
        "query": st.lists(st.tuples(st.sampled_from(FIELDS), TEXTS), max_size=3),
        "fields": st.lists(
            st.tuples(
                st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
                st.one_of(
                    TEXTS.map(lambda text: text.encode("utf-8", "surrogatepass")), st.binary(max_size=60)
                ),
            ),
            max_size=6,
        ),
        "raw": st.one_of(st.none(), st.binary(max_size=300)),
        "type": st.sampled_from(TYPES),
        "charset": st.sampled_from(CHARSETS),
        "htmx": st.booleans(),
        "csrf": st.sampled_from(["field", "field", "header", "none"]),
    }
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=REQUESTS)
def test_no_request_gets_a_server_error(site, request):
    clients, paths = site
    path = paths[request["path"] % len(paths)]
    query = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in request["query"])
    url = path + ("?" + query if query else "")
    content_type = request["type"] + (
        f"; charset={request['charset']}" if request["charset"] is not None else ""
    )
    client = clients[request["role"]]
    fields = request["fields"]
    if request["csrf"] == "field":
        fields = [("csrfmiddlewaretoken", client.token.encode()), *fields]
    body = request["raw"]
    if body is None:
        body = form_body(fields, boundary_ok=request["type"].endswith("boundary=xyz"))
    headers = {"HX-Request": "true"} if request["htmx"] else {}
    if request["csrf"] == "header":
        headers["X-CSRFToken"] = client.token
    try:
        response = client.generic(request["method"], url, body, content_type=content_type, headers=headers)
    except Exception as error:  # escaped Django's handler: gunicorn's bare 500
        pytest.fail(f"{request['role']} {request['method']} {url} ({content_type}): raised {error!r}")
    error = getattr(response, "exc_info", None)
    assert response.status_code < 500, (
        f"{request['role']} {request['method']} {url} ({content_type}): {response.status_code} {error[1]!r}"
        if error
        else ""
    )


NASTY = [
    (
        "POST",
        b"csrfmiddlewaretoken=TOKEN&username=x&password=y&body=%7B%7B",
        "application/x-www-form-urlencoded; charset=latin-1",
    ),
    (
        "POST",
        "&".join(f"{name}={'用' * 300}" for name in FIELDS).encode(),
        "application/x-www-form-urlencoded",
    ),
    (
        "POST",
        b'--xyz\r\nContent-Disposition: form-data; name="body"\r\n\r\n\x00\xff\r\n',
        "multipart/form-data; boundary=xyz",
    ),
    ("HEAD", b"", ""),
]


def test_every_address_survives_a_few_nasty_requests_from_everyone(site):
    clients, paths = site
    failures = []
    for path in paths:
        for role, client in clients.items():
            for method, body, content_type in NASTY:
                url = path + "?answered=%C2%B2&next=%2F%2Fevil.example&q=%00&size=1e309"
                body = body.replace(b"TOKEN", client.token.encode())
                try:
                    response = client.generic(
                        method, url, body, content_type=content_type, headers={"X-CSRFToken": client.token}
                    )
                except Exception as error:  # escaped Django's handler: gunicorn's bare 500
                    failures.append(f"{role} {method} {path} ({content_type}): raised {error!r}")
                    continue
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {path} ({content_type}): {response.status_code}")
    assert not failures, "\n".join(failures)
