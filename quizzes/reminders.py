"""The daily reminder e-mail: "12 facts due", at most once per learner and local day."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import OuterRef
from django.template.loader import render_to_string
from django.utils import translation

from quizzes.habits import local_day, zone
from quizzes.models import Card, LearnerProfile, count_of


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    nothing_due: int = 0
    already_sent_today: int = 0


def _message(profile: LearnerProfile, due: int) -> tuple[str, str]:
    context = {"user": profile.user, "due": due, "site_url": settings.NOTESITE_SITE_URL}
    subject = render_to_string("quizzes/email/reminder_subject.txt", context).strip()
    return subject, render_to_string("quizzes/email/reminder.txt", context)


def send_reminders(now) -> Outcome:
    """E-mail every learner who asked for reminders and has facts due now.

    The learner's local day is claimed before sending (a conditional UPDATE), so two runs the
    same day, even at once, send one e-mail; a failed send gives the day back for a later run.
    """
    profiles = (
        LearnerProfile.objects.filter(email_reminders=True)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
        .annotate(due=count_of(Card.objects.for_user(OuterRef("user")).active().due(now)))
        .order_by("pk")
    )
    sent = nothing_due = already = 0
    for profile in profiles.iterator(chunk_size=500):
        day = local_day(now, zone(profile.timezone))
        if profile.last_reminded_on == day:
            already += 1
            continue
        if not profile.due:
            nothing_due += 1
            continue
        claimed = LearnerProfile.objects.filter(pk=profile.pk).exclude(last_reminded_on=day)
        if not claimed.update(last_reminded_on=day):
            already += 1
            continue
        try:
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = _message(profile, profile.due)
            send_mail(subject, body, None, [profile.user.email])
        except Exception:
            LearnerProfile.objects.filter(pk=profile.pk).update(last_reminded_on=profile.last_reminded_on)
            raise
        sent += 1
    return Outcome(sent, nothing_due, already)
