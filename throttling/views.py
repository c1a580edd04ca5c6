"""The page a visitor gets past a rate limit: 429, in the site's layout and language."""

from django.utils.translation import gettext as _

from notesite.error_views import render_error_page

RETRY_AFTER_SECONDS = 60


def too_many_requests(request, exception=None):
    response = render_error_page(
        request,
        "throttling/too_many_requests.html",
        status=429,
        title=_("Too many requests"),
        message=_(
            "You did that too often in a short time, so this request was not carried out and "
            "nothing changed. Please wait a few minutes and try again."
        ),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
