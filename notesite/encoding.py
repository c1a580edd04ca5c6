"""Request bodies in any character set but UTF-8 are refused with a 400, before anything reads them.

Browsers send forms in the page's encoding, UTF-8 here; a body that names another charset (or
one Python does not know) comes from a script or an attacker. Django would refuse it only when
the body is first read, deep in the CSRF check, and its 400 handling reads the body again:
gunicorn's bare 500 and a log of chained tracebacks. Refused here, in process_view (before
CsrfViewMiddleware's, after every middleware's request phase), the response still passes
through the security and CSP middleware on its way out, and Django logs one line.

Put it in MIDDLEWARE before django.middleware.csrf.CsrfViewMiddleware.
"""

from django.http import HttpResponseBadRequest
from django.template import loader
from django.utils.http import parse_header_parameters


class Utf8BodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        charset = body_charset(request.META.get("CONTENT_TYPE", ""))
        if charset is None or is_utf8(charset):
            return None
        html = loader.get_template("400_encoding.html").render({"charset": charset[:40]})
        return HttpResponseBadRequest(html)


def body_charset(content_type: str) -> str | None:
    """The charset a Content-Type header names, or None when it names none."""
    _, params = parse_header_parameters(content_type)
    return params.get("charset")


def is_utf8(charset: str) -> bool:
    """Spelt exactly as Django's form parser demands ("utf8" is refused there too)."""
    return charset.strip().lower() == "utf-8"
