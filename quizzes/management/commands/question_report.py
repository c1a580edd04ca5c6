"""manage.py question_report: per topic, how many facts got which questions, and what to fix."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Exists, OuterRef, Q

from articles.models import Topic
from quizzes.models import KeyFact, Question


def _usable(question_type):
    return Question.objects.filter(
        fact=OuterRef("pk"), type=question_type, is_generated=True, is_disabled=False
    )


class Command(BaseCommand):
    help = "Per topic: facts, fill-in and multiple-choice questions, facts lacking wrong options."

    def add_arguments(self, parser):
        parser.add_argument("--topic", help="only this topic (slug)")
        parser.add_argument("--limit", type=int, default=50, help="facts listed per topic")

    def handle(self, *args, topic=None, limit=50, **options):
        facts = KeyFact.objects.active().annotate(
            has_fill_in=Exists(_usable(Question.Type.FILL_IN)),
            has_mcq=Exists(_usable(Question.Type.MULTIPLE_CHOICE)),
        )
        topics = Topic.objects.order_by("order", "name")
        if topic:
            topics = topics.filter(slug=topic)
        totals = {"facts": 0, "mcq": 0}
        for current in topics:
            counts = facts.filter(topic=current).aggregate(
                facts=Count("pk"),
                fill_in=Count("pk", filter=Q(has_fill_in=True)),
                mcq=Count("pk", filter=Q(has_mcq=True)),
            )
            if not counts["facts"]:
                continue
            totals["facts"] += counts["facts"]
            totals["mcq"] += counts["mcq"]
            share = counts["mcq"] / counts["facts"]
            self.stdout.write(
                f"{current.name} [{current.slug}]: {counts['facts']} facts, "
                f"{counts['fill_in']} fill-in, {counts['mcq']} multiple choice ({share:.0%} of facts)"
            )
            lacking = facts.filter(topic=current, has_mcq=False).select_related("article")[:limit]
            for fact in lacking:
                self.stdout.write(
                    f"    no good wrong options: {fact.answer!r} ({fact.kind}) in {fact.article.slug}"
                    " - add ~wrong options"
                )
        if totals["facts"]:
            share = totals["mcq"] / totals["facts"]
            self.stdout.write(
                f"Library: {totals['facts']} facts, {totals['mcq']} with multiple choice ({share:.0%})."
            )
        else:
            self.stdout.write("No active facts.")
