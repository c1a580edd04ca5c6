from django.db import migrations, models

from articles.markup import MarkupError, scan


def fill_contexts(apps, schema_editor):
    """Give the facts already extracted the context a save would give them now."""
    Article = apps.get_model("articles", "Article")
    KeyFact = apps.get_model("quizzes", "KeyFact")
    for article in Article.objects.only("pk", "body").iterator():
        try:
            parsed = scan(article.body)
        except MarkupError:
            continue
        facts = KeyFact.objects.filter(article_id=article.pk).only("position", "answer", "sentence")
        changed = []
        for fact in facts:
            if fact.position < len(parsed):
                found = parsed[fact.position]
                if (found.answer, found.sentence) == (fact.answer, fact.sentence) and found.context:
                    fact.context = found.context
                    changed.append(fact)
        KeyFact.objects.bulk_update(changed, ["context"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_bench_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="keyfact",
            name="context",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill_contexts, migrations.RunPython.noop),
    ]
