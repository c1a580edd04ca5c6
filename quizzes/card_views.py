"""Taking a fact out of study: "I know this" (suspend, until taken back) and "not today" (bury)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quizzes.habits import next_midnight
from quizzes.models import Card


def _card(request, fact_id) -> Card:
    # Only the learner's own card: another learner's fact id finds nothing.
    return get_object_or_404(Card, user=request.user, fact_id=fact_id)


def _respond(request, card: Card, message: str):
    if request.htmx:
        context = {"card": card, "done_message": message, "return_to": request.htmx.current_url_abs_path}
        return render(request, "quizzes/take.html#card-actions", context)
    messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "accounts:settings"
    return redirect(target)


@login_required
@require_POST
def suspend(request, fact_id):
    card = _card(request, fact_id)
    Card.objects.filter(pk=card.pk).update(suspended=True)
    card.suspended = True
    return _respond(request, card, _("Suspended: this fact will not be asked again."))


@login_required
@require_POST
def unsuspend(request, fact_id):
    card = _card(request, fact_id)
    Card.objects.filter(pk=card.pk).update(suspended=False)
    card.suspended = False
    return _respond(request, card, _("This fact is back in your quizzes and reviews."))


@login_required
@require_POST
def bury(request, fact_id):
    card = _card(request, fact_id)
    card.buried_until = next_midnight(timezone.now(), timezone.get_current_timezone())
    Card.objects.filter(pk=card.pk).update(buried_until=card.buried_until)
    return _respond(request, card, _("Not today: this fact comes back tomorrow."))
