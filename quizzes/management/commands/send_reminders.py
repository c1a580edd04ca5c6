"""Send today's reminder e-mails; run it from cron (hourly is fine: one e-mail per learner a day)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail learners who asked for reminders how many facts are due (at most once a day each)."

    def handle(self, *args, **options):
        outcome = send_reminders(timezone.now())
        self.stdout.write(
            f"sent {outcome.sent}, nothing due {outcome.nothing_due}, "
            f"already sent today {outcome.already_sent_today}"
        )
