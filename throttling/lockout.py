"""Refusing locked log-ins cheaply: a flood of failed log-ins must not slow the learners down.

django-axes decides when a username or an address is locked. Once it has, the lock is noted in
the shared cache (until the lock ends), and a log-in post from a locked address or for a locked
username is refused by `LockedLoginMiddleware` with one cache read and a page that needs no
database: no session, no form, no password hashing, no write. Everything else about log-ins
(counting failures, the lock itself, resets) stays axes' own.
"""

import hashlib
import math
import time

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.core.cache import caches
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from notesite.encoding import body_charset, is_utf8
from notesite.middleware import stylesheet
from throttling.client import client_ip

STATUS = 429


def _address_key(address: str) -> str:
    return f"login-locked:address:{address}"


def _username_key(username: str) -> str:
    digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()
    return f"login-locked:username:{digest}"


def _cache():
    return caches["ratelimit"]


def note_lock(sender, request, username, ip_address, **kwargs):
    """axes' user_locked_out: note which of the two, the address or the username, is locked,
    until the lock ends (the cool-off after its latest failure; refusals do not extend it)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return
    limit = get_failure_limit(request, None)
    since = timezone.now() - cool_off
    locks = {_address_key(ip_address): AccessAttempt.objects.filter(ip_address=ip_address)}
    if username:
        locks[_username_key(username)] = AccessAttempt.objects.filter(username=username)
    for key, attempts in locks.items():
        failures = attempts.filter(attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start"), latest=Max("attempt_time")
        )
        if (failures["total"] or 0) >= limit:
            ends_at = (failures["latest"] + cool_off).timestamp()
            _cache().set(key, ends_at, timeout=max(1, math.ceil(ends_at - time.time())))


def forget_lock(sender, instance, **kwargs):
    """An AccessAttempt deleted (axes_reset, the admin, a successful log-in): its locks end now."""
    _cache().delete_many([_address_key(instance.ip_address or ""), _username_key(instance.username or "")])


class LockedLoginMiddleware:
    """A log-in post from a locked address, or for a locked username, refused before the view."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._login_path = None

    def __call__(self, request):
        if request.method == "POST" and request.path_info == self.login_path():
            response = self.refusal(request)
            if response is not None:
                return response
        return self.get_response(request)

    def login_path(self) -> str:
        if self._login_path is None:
            self._login_path = reverse("login")
        return self._login_path

    @staticmethod
    def refusal(request):
        username = _posted_username(request)
        if username is None:
            return None  # a body Django will refuse itself, with its own 400
        try:
            return page_for_locks(request, username)
        except (OperationalError, InterfaceError):
            return None  # the view meets the same failure, where the 503 middleware answers it


def page_for_locks(request, username: str) -> HttpResponse | None:
    """The lockout page when the username or the client's address is locked, else None."""
    keys = {"username": _username_key(username), "address": _address_key(client_ip(request))}
    ends = _cache().get_many(list(keys.values()))
    now = time.time()
    if ends.get(keys["username"], 0) > now:
        return locked_out_page(request, username=username, ends_at=ends[keys["username"]])
    if ends.get(keys["address"], 0) > now:
        return locked_out_page(request, username="", ends_at=ends[keys["address"]])
    return None


def _posted_username(request) -> str | None:
    """The username posted, "" for none; None for a body that cannot be read as a form."""
    charset = body_charset(request.META.get("CONTENT_TYPE", ""))
    if charset is not None and not is_utf8(charset):
        return None
    try:
        return request.POST.get("username", "")
    except (BadRequest, SuspiciousOperation, MultiPartParserError):
        return None


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the attempt that reaches the limit gets the same page as later ones."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    cool_off = get_cool_off(request)
    return page_for_locks(request, username) or locked_out_page(
        request, username="", ends_at=time.time() + cool_off.total_seconds() if cool_off else None
    )


def locked_out_page(request, *, username: str, ends_at: float | None) -> HttpResponse:
    """The lockout page, in the site's look and the reader's language, rendered without a query.
    `username` names a locked account; empty, it is the address that is locked."""
    minutes = max(1, math.ceil((ends_at - time.time()) / 60)) if ends_at else None
    context = {
        "stylesheet": stylesheet(),
        "username": username,
        "failure_limit": get_failure_limit(request, None),
        "minutes": minutes,
    }
    html = loader.get_template("registration/locked_out.html").render(context)
    response = HttpResponse(html, status=STATUS)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
