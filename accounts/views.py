"""Learner accounts: signing up and the account page (Django's own views log in and out)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import HabitForm, RetentionForm, SignupForm
from quizzes.middleware import remember_timezone
from quizzes.models import Card, LearnerProfile
from throttling.limits import limited

# The new user has just typed their password; no need to ask django-axes about it again.
SIGNUP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@limited("signup", key="ip")
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
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request):
    # Until the learner first saves, the page shows the defaults; viewing it writes nothing.
    profile = LearnerProfile.objects.filter(user=request.user).first() or LearnerProfile(user=request.user)
    posted = request.POST if request.method == "POST" else None
    habits_posted = posted is not None and posted.get("section") == "habits"
    form = RetentionForm(None if habits_posted else posted, instance=profile)
    habit_form = HabitForm(posted if habits_posted else None, instance=profile)
    bound = habit_form if habits_posted else form
    if bound.is_bound:
        if bound.is_valid():
            LearnerProfile.objects.update_or_create(user=request.user, defaults=bound.cleaned_data)
            if habits_posted:
                remember_timezone(request, bound.cleaned_data["timezone"])
                messages.success(request, _("Your goal, time zone and reminders are saved."))
            else:
                messages.success(request, _("Your desired retention is saved."))
            return redirect("accounts:settings")
        messages.error(request, _("Nothing was changed: please correct the value below."))
    suspended = (
        Card.objects.filter(user=request.user, suspended=True)
        .select_related("fact")
        .only("fact_id", "suspended", "buried_until", "due", "fact__answer", "fact__sentence")
        .order_by("fact__answer")
    )
    context = {"form": form, "habit_form": habit_form, "profile": profile, "suspended": suspended}
    return render(request, "accounts/settings.html", context)
