"""Learner accounts: signing up and the account page (Django's own views log in and out)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quizzes.forms import RetentionForm, SignupForm
from quizzes.models import LearnerProfile

# The new user has just typed their password; no need to ask django-axes about it again.
SIGNUP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request) or "articles:topic_list")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            # A double-click: the first request took the name between check and insert.
            form.add_error("username", _("A user with that username already exists."))
        else:
            login(request, user, backend=SIGNUP_BACKEND)
            welcome = _("Welcome, %(username)s!") % {"username": user.get_username()}
            messages.success(request, welcome)
            return redirect(_safe_next(request) or "articles:topic_list")
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request) or ""})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    # Until the learner first saves, the page shows the default; viewing it writes nothing.
    profile = LearnerProfile.objects.filter(user=request.user).first() or LearnerProfile(user=request.user)
    form = RetentionForm(request.POST if request.method == "POST" else None, instance=profile)
    if form.is_bound:
        if form.is_valid():
            LearnerProfile.objects.update_or_create(user=request.user, defaults=form.cleaned_data)
            messages.success(request, _("Your desired retention is saved."))
            return redirect("quizzes:account")
        messages.error(request, _("Nothing was changed: please correct the value below."))
    return render(request, "quizzes/account.html", {"form": form, "profile": profile})
