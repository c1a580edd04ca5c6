# Indexes for the hot paths measured by `manage.py bench`.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="question",
            index=models.Index(
                condition=models.Q(("is_disabled", False), ("is_generated", True)),
                fields=["fact", "type", "id"],
                name="usable_question_by_fact",
            ),
        ),
    ]
