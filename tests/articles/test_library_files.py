"""import_articles / export_articles: the Markdown-with-front-matter format."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from articles.library_files import Outcome, import_article_text
from articles.models import Article, Topic
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

GOOD = textwrap.dedent(
    """\
    ---
    title: Adam 与 AdamW
    slug: adam-vs-adamw
    topic: 训练与优化
    topic_slug: training
    status: published
    ---
    AdamW 把{{权重衰减}}从梯度更新里解耦出来。
    """
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(*paths):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_import_creates_topic_and_article_then_reports_unchanged_then_updated(tmp_path):
    path = write(tmp_path, "a.md", GOOD)
    out, _, error = run_import(path)
    assert error is None
    assert "created" in out and "1 created" in out
    article = Article.objects.get(slug="adam-vs-adamw")
    assert article.topic.slug == "training" and article.topic.name == "训练与优化"
    assert article.fact_count == 1

    out, _, _ = run_import(path)
    assert "1 unchanged" in out

    write(tmp_path, "a.md", GOOD.replace("解耦出来", "独立出来"))
    out, _, _ = run_import(path)
    assert "1 updated" in out
    assert Article.objects.count() == 1 and Topic.objects.count() == 1


def test_a_bad_file_is_reported_with_its_error_and_the_others_still_import(tmp_path):
    good = write(tmp_path, "good.md", GOOD)
    bad = write(
        tmp_path,
        "bad.md",
        GOOD.replace("adam-vs-adamw", "broken")
        .replace("新主题", "x")
        .replace("{{权重衰减}}", "{{权重衰减")
        .replace("topic: 训练与优化", "topic: 全新主题")
        .replace("topic_slug: training", "topic_slug: brand-new"),
    )
    out, err, error = run_import(bad, good)
    assert error is not None
    assert "failed" in err and "bad.md" in err
    # The markup error names the line in the file (front matter counted) and the column.
    assert "line 8, column" in err
    assert "1 created" in out and "1 failed" in out
    assert Article.objects.filter(slug="adam-vs-adamw").exists()
    # Nothing half-saved: the failing file's new topic was rolled back with it.
    assert not Article.objects.filter(slug="broken").exists()
    assert not Topic.objects.filter(slug="brand-new").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter at all", "front matter lacks"),
        ("---\ntitle: x\n---\nbody", "front matter lacks topic, status"),
        ("---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        (GOOD.replace("status: published", "status: live"), "status"),
        (GOOD.replace("slug: adam-vs-adamw", "slug: not a slug!"), "slug"),
    ],
)
def test_invalid_files_fail_with_a_clear_message(text, message):
    result = import_article_text(text, "x.md")
    assert result.outcome is Outcome.FAILED
    assert message in result.detail
    assert not Article.objects.exists()


def test_export_then_import_into_an_empty_database_reproduces_the_library(tmp_path):
    topic = make_topic(name="目标检测", slug="detection", description="YOLO 与 DETR", order=3)
    make_article(topic=topic, slug="yolo", title="YOLO", body="YOLO 是{{one-stage}}检测器。")
    make_article(topic=topic, slug="detr", title="DETR", status=Article.Status.DRAFT)
    make_article(slug="other", title="别的")

    def snapshot():
        return sorted(
            (
                a.slug,
                a.title,
                a.status,
                a.body,
                a.topic.slug,
                a.topic.name,
                a.topic.description,
                a.topic.order,
            )
            for a in Article.objects.select_related("topic")
        )

    before = snapshot()
    call_command("export_articles", str(tmp_path / "out"), stdout=io.StringIO())
    Article.objects.all().delete()
    Topic.objects.all().delete()
    _, _, error = run_import(tmp_path / "out")
    assert error is None
    assert snapshot() == before


def test_demo_library_loads_twice_without_duplicates():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Article.objects.count(), Topic.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (Article.objects.count(), Topic.objects.count()) == counts
    assert "learner /" in out.getvalue() and "editor /" in out.getvalue()
