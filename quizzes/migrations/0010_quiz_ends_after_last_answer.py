from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def end_quizzes_after_their_last_answer(apps, schema_editor):
    """A quiz ends no earlier than its last answer: ends recorded a moment early move to it.

    Only the end's timestamp moves, by the time an answer waited for its quiz's lock; no
    answer, count or score changes.
    """
    Quiz = apps.get_model("quizzes", "Quiz")
    QuizItem = apps.get_model("quizzes", "QuizItem")
    last = Subquery(
        QuizItem.objects.filter(quiz_id=OuterRef("pk"))
        .order_by()
        .values("quiz_id")
        .annotate(last=Max("answered_at"))
        .values("last")
    )
    for end in ("finished_at", "abandoned_at"):
        Quiz.objects.filter(**{f"{end}__lt": last}).update(**{end: last})


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0009_keyfact_sentence_html"),
    ]

    operations = [
        migrations.RunPython(end_quizzes_after_their_last_answer, migrations.RunPython.noop),
    ]
