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


def _respond(request, card: Card, message: str):
    if request.htmx:
        context = {"card": card, "done_message": message, "return_to": request.htmx.current_url_abs_path}
        return render(request, "quizzes/take.html#card-actions", context)
    messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "accounts:settings"
    return redirect(target)


def _change_card(request, fact_id, message: str, **fields):
    """Set `fields` on the learner's own card of the fact (another learner's fact id finds
    nothing), and say what changed."""
    card = get_object_or_404(Card, user=request.user, fact_id=fact_id)
    Card.objects.filter(pk=card.pk).update(**fields)
    for name, value in fields.items():
        setattr(card, name, value)
    return _respond(request, card, message)


@login_required
@require_POST
def suspend(request, fact_id):
    return _change_card(request, fact_id, _("Suspended: this fact will not be asked again."), suspended=True)


@login_required
@require_POST
def unsuspend(request, fact_id):
    message = _("This fact is back in your quizzes and reviews.")
    return _change_card(request, fact_id, message, suspended=False)


@login_required
@require_POST
def bury(request, fact_id):
    tomorrow = next_midnight(timezone.now(), timezone.get_current_timezone())
    message = _("Not today: this fact comes back tomorrow.")
    return _change_card(request, fact_id, message, buried_until=tomorrow)
