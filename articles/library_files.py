"""Articles as Markdown files with front matter: the import/export format."""

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Article, Topic
from articles.slugs import slug_from_title
from terms.files import FILE_NAME as TERMS_FILE
from terms.files import TermFileError, export_terms, import_terms_file

REQUIRED_KEYS = ("title", "topic", "status")  # without a slug, one is made from the title
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^---[ \t]*\r?\n", re.S | re.M)


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class FactChanges(Protocol):
    """What saving an article did to its key facts: set on it as `fact_changes` by the
    post_save receiver that extracts them."""

    def describe(self) -> str: ...


@dataclass(frozen=True)
class ImportResult:
    path: str
    outcome: Outcome
    detail: str = ""
    facts: FactChanges | None = None  # when saved


class ArticleFileError(ValueError):
    pass


def read_article_file(text: str) -> tuple[dict, str, int]:
    """Split a file into (front matter, body, lines before the body)."""
    if "\x00" in text:
        # PostgreSQL cannot store it in text; refuse it here with its place, not fail at save.
        line = text[: text.index("\x00")].count("\n") + 1
        raise ArticleFileError(f"line {line}: a null character (U+0000) is not allowed")
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        raise ArticleFileError(f"front matter is not valid YAML: {error}") from error
    meta = post.metadata
    missing = [key for key in REQUIRED_KEYS if not str(meta.get(key) or "").strip()]
    if missing:
        raise ArticleFileError(f"front matter lacks {', '.join(missing)}")
    body = post.content
    closing = FRONT_MATTER.match(text)
    body_start = text.find(body, closing.end() if closing else 0) if body else -1
    body_offset = text[:body_start].count("\n") if body_start > 0 else 0
    return meta, body, body_offset


def _topic_for(meta: dict) -> Topic:
    name = str(meta["topic"]).strip()
    slug = str(meta.get("topic_slug") or "").strip()
    topic = Topic.objects.filter(slug=slug).first() if slug else None
    topic = topic or Topic.objects.filter(name=name).first()
    if topic is None:
        topic = Topic(
            name=name,
            slug=slug or slug_from_title(name, 100),
            description=str(meta.get("topic_description") or ""),
            order=int(meta.get("topic_order") or 0),
        )
        topic.full_clean()
        topic.save()
    return topic


def _slug_for(meta: dict) -> str:
    """The file's slug; without one, the title's in pinyin, so importing it again updates it."""
    return str(meta.get("slug") or "").strip() or slug_from_title(str(meta["title"]).strip())


def _shift_lines(error: ValidationError, offset: int) -> list[str]:
    """Markup errors count lines in the body; a file's reader counts from its first line."""
    messages = []
    for field, errors in error.error_dict.items():
        for item in errors:
            if field == "body" and item.code == "markup":
                item.params = {**item.params, "line": item.params["line"] + offset}
            message = " ".join(item)  # a ValidationError of one message, params applied
            messages.append(message if field in ("body", "__all__") else f"{field}: {message}")
    return messages


def import_article_text(text: str, path: str = "<text>") -> ImportResult:
    """Create or update (by slug) one article; a bad file leaves nothing behind."""
    try:
        meta, body, offset = read_article_file(text)
        with transaction.atomic():
            slug = _slug_for(meta)
            article = Article.objects.filter(slug=slug).first()
            outcome = Outcome.UPDATED if article else Outcome.CREATED
            article = article or Article(slug=slug)
            topic = _topic_for(meta)
            new_values = {
                "title": str(meta["title"]).strip(),
                "topic_id": topic.pk,
                "status": str(meta["status"]).strip(),
                "body": Article.normalise_body(body),
            }
            if outcome is Outcome.UPDATED and all(
                getattr(article, field) == value for field, value in new_values.items()
            ):
                return ImportResult(path, Outcome.UNCHANGED)
            for field, value in new_values.items():
                setattr(article, field, value)
            try:
                article.full_clean()
            except ValidationError as error:
                raise ArticleFileError("; ".join(_shift_lines(error, offset))) from error
            article._change_reason = f"import: {Path(path).name}"[:100]  # the revision's message
            article.save()
            return ImportResult(path, outcome, facts=getattr(article, "fact_changes", None))
    except (ArticleFileError, ValidationError, ValueError) as error:
        detail = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return ImportResult(path, Outcome.FAILED, detail)


def import_paths(paths) -> list[ImportResult]:
    """Articles, and first the term bank file of each directory given, so options use it."""
    results = [_import_term_bank(Path(path) / TERMS_FILE) for path in paths if Path(path).is_dir()]
    results = [result for result in results if result is not None]
    for path in expand_paths(paths):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            results.append(ImportResult(str(path), Outcome.FAILED, f"cannot read: {error}"))
            continue
        results.append(import_article_text(text, str(path)))
    return results


def _import_term_bank(path: Path) -> ImportResult | None:
    if not path.is_file():
        return None
    try:
        counts = import_terms_file(path)
    except TermFileError as error:
        return ImportResult(str(path), Outcome.FAILED, str(error))
    if counts.created:
        return ImportResult(str(path), Outcome.CREATED, f"{counts.created} new terms")
    if counts.updated:
        return ImportResult(str(path), Outcome.UPDATED, f"{counts.updated} terms changed")
    return ImportResult(str(path), Outcome.UNCHANGED)


def expand_paths(paths) -> list[Path]:
    """Files as given, directories as every *.md below them, in a stable order."""
    expanded = []
    for path in map(Path, paths):
        if path.is_dir():
            expanded.extend(sorted(path.rglob("*.md")))
        else:
            expanded.append(path)
    return expanded


def article_to_text(article: Article) -> str:
    topic = article.topic
    post = frontmatter.Post(
        article.body,
        title=article.title,
        slug=article.slug,
        topic=topic.name,
        topic_slug=topic.slug,
        topic_order=topic.order,
        topic_description=topic.description,
        status=article.status,
    )
    return frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n"


def export_articles(directory: Path) -> list[Path]:
    """Every article as DIR/<topic>/<slug>.md, and the term bank as DIR/terms.txt."""
    directory.mkdir(parents=True, exist_ok=True)
    export_terms(directory / TERMS_FILE)
    written = []
    for article in Article.objects.select_related("topic").order_by("topic__order", "slug"):
        target = directory / article.topic.slug / f"{article.slug}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article_to_text(article), encoding="utf-8")
        written.append(target)
    return written
