"""Logging in and resetting a password: Django's own views, with lengths checked and limits kept."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.forms import LoginForm
from throttling.limits import limited


def login(request):
    # Built per request: whether mail can be sent is read from settings each time.
    context = {"password_reset_by_mail": settings.NOTESITE_EMAIL_ENABLED}
    return auth_views.LoginView.as_view(authentication_form=LoginForm, extra_context=context)(request)


@require_http_methods(["GET", "HEAD", "POST"])
@limited("password-reset", key="ip")
def password_reset(request):
    """Django's reset-by-mail, only where mail can be sent; elsewhere a page saying whom to ask,
    never a "mail sent" that nothing sends."""
    if not settings.NOTESITE_EMAIL_ENABLED:
        return _reset_unavailable(request)
    return auth_views.PasswordResetView.as_view()(request)


@require_http_methods(["GET", "HEAD"])
def password_reset_done(request):
    if not settings.NOTESITE_EMAIL_ENABLED:
        return _reset_unavailable(request)
    return auth_views.PasswordResetDoneView.as_view()(request)


def _reset_unavailable(request):
    context = {"contact": settings.NOTESITE_HELP_CONTACT}
    return render(request, "registration/password_reset_unavailable.html", context)
