from django.db import migrations, models

BATCH = 2000


def render_stored_sentences(apps, schema_editor):
    """Every fact's sentence HTML, as saving its note now stores it."""
    from articles.rendering import sentence_html

    KeyFact = apps.get_model("quizzes", "KeyFact")
    facts = KeyFact.objects.only("pk", "sentence").order_by("pk")
    batch = []
    for fact in facts.iterator(chunk_size=BATCH):
        fact.sentence_html = sentence_html(fact.sentence)
        batch.append(fact)
        if len(batch) == BATCH:
            KeyFact.objects.bulk_update(batch, ["sentence_html"])
            batch = []
    KeyFact.objects.bulk_update(batch, ["sentence_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_quizitem_answered_by_quiz"),
    ]

    operations = [
        migrations.AddField(
            model_name="keyfact",
            name="sentence_html",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        # Facts without it still show right (the sentence is rendered then); this spares the
        # pages that Markdown run.
        migrations.RunPython(render_stored_sentences, migrations.RunPython.noop),
    ]
