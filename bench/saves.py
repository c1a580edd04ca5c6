"""Saving notes, in-process: a new 100-fact note, an edited 300-fact one (rendering, matching
and extraction), and importing files."""

import tempfile
import time
from pathlib import Path

from articles.library_files import Outcome, import_paths
from articles.models import Article, Topic
from bench import synthetic
from bench.figures import Figure, latency_figure
from bench.library import synthetic_article
from bench.scales import PREFIX


class SaveTimer:
    """Times article saves, in wall-clock and CPU time."""

    def __init__(self):
        self.durations_ms: list[float] = []
        self.cpu_ms: list[float] = []

    def save(self, article: Article) -> None:
        cpu_started, started = time.process_time(), time.perf_counter()
        article.save()
        self.durations_ms.append((time.perf_counter() - started) * 1000)
        self.cpu_ms.append((time.process_time() - cpu_started) * 1000)

    def figure(self, name: str) -> Figure:
        figure = latency_figure(name, self.durations_ms, cpu_ms=self.cpu_ms, p95_budget=300)
        figure.note = f"max {max(self.durations_ms):.0f} ms"
        return figure


def new_article(run: int, topics, author, facts: int, name: str, number: int) -> Article:
    """An unsaved published synthetic note with `facts` facts, unique by its slug."""
    return Article(
        topic=topics[run % len(topics)],
        title=f"Bench {facts} facts {run}",
        slug=f"{PREFIX}{name}-{run}-{time.time_ns()}",
        author=author,
        status=Article.Status.PUBLISHED,
        body=synthetic_article(number, facts).body,
    )


def save_figures(scale) -> list:
    """Saving an article with 100 facts, an edited one with 300 (rendering, matching and
    extraction), and importing files."""
    topics = list(Topic.objects.order_by("order"))
    author = synthetic.editor()
    timer = SaveTimer()
    for run in range(scale.save_runs):
        article = new_article(run, topics, author, 100, "hundred", 10_000 + run)
        timer.save(article)
        if article.facts.count() != 100:
            raise RuntimeError(f"saving a 100-fact article made {article.facts.count()} facts")
    save = timer.figure("save an article with 100 facts")
    edit = edit_figure(scale, topics, author)

    with tempfile.TemporaryDirectory() as folder:
        for number in range(scale.import_articles):
            topic = topics[number % len(topics)]
            body = synthetic_article(20_000 + number, scale.facts_per_article).body
            slug = f"{PREFIX}import-{number:05d}-{time.time_ns()}"
            Path(folder, f"{slug}.md").write_text(
                f"---\ntitle: Imported {number}\nslug: {slug}\ntopic: {topic.name}\n"
                f"topic_slug: {topic.slug}\nstatus: published\n---\n\n" + body,
                encoding="utf-8",
            )
        started = time.perf_counter()
        results = import_paths([folder])
        seconds = time.perf_counter() - started
    failed = [result for result in results if result.outcome is not Outcome.CREATED]
    if failed:
        raise RuntimeError(f"importing failed: {failed[0]}")
    imported = Figure(
        f"import {len(results)} articles",
        count=len(results),
        amount=round(seconds, 2),
        unit="s",
        note=f"{seconds * 1000 / len(results):.0f} ms per article",
    )
    return [save, edit, imported]


# An editor's rewording of the synthetic sentences (see SENTENCES in library.py).
REWORDINGS = {
    "实践中常用": "在实践中人们常用",
    "这种现象叫做": "这种现象通常叫做",
    "会先经过": "一般会先经过",
}


def edited(body: str) -> str:
    """An editor's pass over a note: every third paragraph reworded, the last one moved up."""
    paragraphs = body.rstrip("\n").split("\n\n")
    for number in range(1, len(paragraphs), 3):
        for old, new in REWORDINGS.items():
            paragraphs[number] = paragraphs[number].replace(old, new)
    return "\n\n".join([paragraphs[0], paragraphs[-1], *paragraphs[1:-1]]) + "\n"


def edit_figure(scale, topics, author) -> Figure:
    """Saving an edited 300-fact article: every fact matched to the one it continues."""
    timer = SaveTimer()
    for run in range(scale.save_runs):
        article = new_article(run, topics, author, 300, "three-hundred", 30_000 + run)
        article.save()
        ids = set(article.facts.values_list("pk", flat=True))
        article.body = edited(article.body)
        timer.save(article)
        kept = set(article.facts.filter(retired_at__isnull=True).values_list("pk", flat=True))
        if len(kept) != 300 or kept != ids:
            raise RuntimeError(f"editing a 300-fact article kept {len(kept & ids)} of its 300 facts")
    return timer.figure("save an edited article with 300 facts")
