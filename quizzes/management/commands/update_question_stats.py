"""manage.py update_question_stats: the discrimination index of every question asked enough."""

from django.core.management.base import BaseCommand

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
