"""manage.py update_question_stats: every question's discrimination index, and learners' frequent
mistakes as wrong options."""

from django.core.management.base import BaseCommand

from quizzes.extraction import regenerate_for_mistakes
from quizzes.models import Question
from quizzes.statistics import MIN_ANSWERS, discrimination_by_question

BATCH = 1000


class Command(BaseCommand):
    help = "Compute each question's discrimination index from finished quizzes (Moodle's definition)."

    def handle(self, *args, **options):
        ids = list(Question.objects.filter(times_asked__gte=MIN_ANSWERS).values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = discrimination_by_question(ids[start : start + BATCH])
            questions = Question.objects.filter(pk__in=batch)
            for question in questions:
                question.discrimination = batch[question.pk]
            Question.objects.bulk_update(questions, ["discrimination"])
        self.stdout.write(f"{len(ids)} questions updated.")
        # Wrong answers several learners typed become wrong options of their fact.
        articles = regenerate_for_mistakes()
        self.stdout.write(f"Options re-chosen for {articles} articles with frequent mistakes.")
