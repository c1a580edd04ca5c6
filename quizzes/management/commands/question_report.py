"""manage.py question_report: per topic, how many facts got which questions, and what to fix:
facts whose question gives itself away, facts without a multiple-choice question, and how many
automatic wrong options the term bank supplied."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Exists, OuterRef, Q

from articles.models import Topic
from quizzes.distractors import Source
from quizzes.giveaways import translated
from quizzes.models import KeyFact, Question


def _usable(question_type):
    return Question.objects.usable().filter(fact=OuterRef("pk"), type=question_type)


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
        sources = _option_sources_by_topic()
        for current in topics:
            counts = facts.filter(topic=current).aggregate(
                facts=Count("pk"),
                fill_in=Count("pk", filter=Q(has_fill_in=True)),
                mcq=Count("pk", filter=Q(has_mcq=True)),
                warned=Count("pk", filter=~Q(warnings=[])),
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
            automatic, from_bank = sources.get(current.pk, (0, 0))
            bank_share = f"{from_bank / automatic:.0%}" if automatic else "-"
            self.stdout.write(
                f"    {counts['warned']} facts with warnings, {counts['facts'] - counts['mcq']} "
                f"without multiple choice; automatic wrong options: {automatic}, {from_bank} from "
                f"the term bank ({bank_share})"
            )
            warned = (
                facts.filter(topic=current)
                .exclude(warnings=[])
                .select_related("article")
                .order_by("article__slug", "position")[:limit]
            )
            for fact in warned:
                for warning in fact.warnings:
                    self.stdout.write(
                        f"    warning: {fact.article.slug} line {warning['line']}, column "
                        f"{warning['column']}: {fact.answer!r}: {translated(warning)}"
                    )
            lacking = facts.filter(topic=current, has_mcq=False).select_related("article")[:limit]
            for fact in lacking:
                self.stdout.write(
                    f"    no multiple choice: {fact.answer!r} ({fact.kind}) in {fact.article.slug}"
                    " - add ~wrong options or terms to the term bank"
                )
        if totals["facts"]:
            share = totals["mcq"] / totals["facts"]
            self.stdout.write(
                f"Library: {totals['facts']} facts, {totals['mcq']} with multiple choice ({share:.0%})."
            )
        else:
            self.stdout.write("No active facts.")


def _option_sources_by_topic() -> dict[int, tuple[int, int]]:
    """Per topic: automatic wrong options of usable multiple-choice questions, and how many of
    them came from the term bank (one query; counted in Python as they are JSON lists)."""
    rows = (
        Question.objects.usable()
        .filter(type=Question.Type.MULTIPLE_CHOICE)
        .values_list("fact__topic_id", "option_sources")
    )
    counts: dict[int, list[int]] = {}
    for topic_id, option_sources in rows:
        automatic = [source for source in option_sources if source != Source.EDITOR]
        total = counts.setdefault(topic_id, [0, 0])
        total[0] += len(automatic)
        total[1] += sum(source == Source.BANK for source in automatic)
    return {topic_id: (total[0], total[1]) for topic_id, total in counts.items()}
