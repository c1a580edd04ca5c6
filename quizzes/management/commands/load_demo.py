"""manage.py load_demo: the demo library and demo accounts; running it again duplicates nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

import articles
from articles.library_files import Outcome, import_paths

DEMO_DIR = Path(articles.__file__).resolve().parent / "demo"
DEMO_ACCOUNTS = [
    # (username, password, is_staff)
    ("learner", "learn-notesite-2026", False),
    ("editor", "edit-notesite-2026", True),
]


def editors_group() -> Group:
    """Staff who curate the library: every right on articles and topics, on questions, and on
    learners' appeals (the queue of appealed answers)."""
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles")
        | Permission.objects.filter(
            content_type__app_label="quizzes", content_type__model__in=["keyfact", "question", "appeal"]
        )
    )
    return group


class Command(BaseCommand):
    help = "Load the demo library and the demo accounts (a learner and a staff editor)."

    def handle(self, *args, **options):
        results = import_paths([DEMO_DIR])
        failed = [result for result in results if result.outcome is Outcome.FAILED]
        for result in failed:
            self.stderr.write(f"failed: {result.path}: {result.detail}")
        if failed:
            raise CommandError("the demo library did not import cleanly")
        notes = [result for result in results if result.path.endswith(".md")]
        created = sum(result.outcome is Outcome.CREATED for result in notes)
        self.stdout.write(f"Demo library: {len(notes)} notes ({created} new).")
        # Saved notes are indexed as they are saved; unchanged ones from before the search
        # index existed are indexed here.
        call_command("rebuild_search_index", missing=True, stdout=self.stdout)

        editors = editors_group()
        User = get_user_model()
        for username, password, is_staff in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = is_staff
            user.set_password(password)
            user.save()
            if is_staff:
                user.groups.add(editors)
        self.stdout.write("Demo accounts (username / password):")
        for username, password, is_staff in DEMO_ACCOUNTS:
            role = "staff editor, can use /admin/" if is_staff else "learner"
            self.stdout.write(f"  {username} / {password}   ({role})")
