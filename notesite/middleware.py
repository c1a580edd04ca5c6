"""A clear 503 page, instead of a 500, while the database is unreachable; recovery is automatic.

Django turns a database failure in a view into a 500 ("Server Error"); a learner should rather
learn that the site is briefly unavailable and that their saved work is safe. The page is
rendered without the database: a standalone template, no RequestContext, so no context
processor (the user, the due count) runs. The broken connection is closed, so the next request
connects afresh and the site recovers by itself once the database is back.

Put it in MIDDLEWARE anywhere after SecurityMiddleware (process_exception sees every view's
exception wherever the middleware sits; CSP and security headers still reach the 503).
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.templatetags.static import static

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        close_connections()
        response = HttpResponse(
            loader.get_template("503.html").render({"stylesheet": stylesheet()}),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def close_connections():
    """Drop every open connection: the next request opens a new one instead of reusing a dead
    one (CONN_MAX_AGE keeps them). One inside a transaction (a test's) is left to its owner."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close()
        except Exception:  # closing a broken connection may fail too; it is gone either way
            logger.debug("closing the %s connection failed", connection.alias, exc_info=True)


def stylesheet() -> str:
    try:
        return static("css/site.css")
    except ValueError:  # a manifest without the file: the plain address still works in most set-ups
        return "/static/css/site.css"
