"""Error pages that still render while the database is down.

The site's error pages are in its layout, which names the signed-in user: for a logged-in
visitor that loads the session from the database, outside any view, where the 503 middleware
never sees the failure. Rendered here, a database failure falls back to the same message on a
standalone page that needs no database, and the status (404, 429, ...) stays what it was.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from notesite.middleware import close_connections, stylesheet


def render_error_page(request, template_name: str, status: int, *, title: str, message: str):
    """`template_name` in the layout; without the database, `title` and `message` on their own."""
    context = {"title": title, "message": message}
    try:
        return render(request, template_name, context, status=status)
    except (OperationalError, InterfaceError):
        close_connections()
        html = loader.get_template("error_standalone.html").render({"stylesheet": stylesheet(), **context})
        return HttpResponse(html, status=status)


def page_not_found(request, exception=None):
    return render_error_page(
        request,
        "404.html",
        status=404,
        title=_("Page not found"),
        message=_(
            "There is no page at this address: the note may have been renamed, archived or never existed."
        ),
    )
