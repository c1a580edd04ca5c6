"""Rate limits per action (django-ratelimit), their rates read from settings.NOTESITE_RATES.

    @limited("quiz-start")
    def start_quiz(request, slug): ...

Posts (and other unsafe methods) are counted, per signed-in user or else per client address
(throttling.client); past the rate the view is not run and the visitor gets the 429 page.
"""

from django.conf import settings
from django_ratelimit import UNSAFE
from django_ratelimit.decorators import ratelimit


def rate_for(group: str, request) -> str | None:
    """The rate of one action, read per request so that settings can change it."""
    return settings.NOTESITE_RATES.get(group)


def limited(group: str, key: str = "user_or_ip"):
    if group not in settings.NOTESITE_RATES:
        raise KeyError(f"no rate for {group!r} in NOTESITE_RATES")
    return ratelimit(group=group, key=key, rate="throttling.limits.rate_for", method=UNSAFE)
