"""The rows the bench writes in bulk, one named tuple per table, and the insert that writes them.

A row's field names are its model's field names (foreign keys by their `_id` column), so each
value's column is visible where the row is built; being tuples, rows go to COPY and executemany
as they are, with no conversion.
"""

import itertools
from datetime import datetime
from typing import NamedTuple

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from articles.models import Article
from quizzes.models import Card, KeyFact, Question, Quiz, QuizItem, ReviewLog, TopicScore
from search.models import SearchDocument, SearchFact

Stamp = datetime | str  # a datetime as db_time() gives it: a string on SQLite

class ArticleRow(NamedTuple):
    id: int
    topic_id: int
    title: str
    slug: str
    body: str
    body_html: str
    fact_list: str  # JSON
    fact_count: int
    status: str
    author_id: int
    created_at: Stamp
    updated_at: Stamp


class KeyFactRow(NamedTuple):
    id: int
    article_id: int
    topic_id: int
    fingerprint: str
    position: int
    answer: str
    alternatives: str  # JSON
    wrong_options: str  # JSON
    hint: str
    sentence: str
    context: str
    anchor: str
    kind: str
    script: str
    warnings: str  # JSON
    is_active: bool
    created_at: Stamp


class QuestionRow(NamedTuple):
    id: int
    fact_id: int
    type: str
    wrong_options: str  # JSON
    option_sources: str  # JSON
    is_generated: bool
    is_disabled: bool
    times_asked: int
    times_correct: int


class QuizRow(NamedTuple):
    id: int
    user_id: int
    topic_id: int
    mode: str
    item_count: int
    answered_count: int
    correct_count: int
    created_at: Stamp
    finished_at: Stamp


class QuizItemRow(NamedTuple):
    id: int
    quiz_id: int
    position: int
    question_id: int
    fact_id: int
    options: str  # JSON
    response: str
    verdict: str
    answered_at: Stamp


class CardRow(NamedTuple):
    id: int
    user_id: int
    fact_id: int
    topic_id: int
    state: int
    step: int | None
    stability: float
    difficulty: float
    due: Stamp
    last_review: Stamp
    reviews: int
    misses: int
    fill_in_next: bool
    suspended: bool


class ReviewLogRow(NamedTuple):
    id: int
    card_id: int
    rating: int
    reviewed_at: Stamp
    duration_ms: int


class TopicScoreRow(NamedTuple):
    id: int
    user_id: int
    topic_id: int
    answered: int
    correct: int
    quizzes_done: int
    last_score: float
    best_score: float
    recent_scores: str  # JSON
    updated_at: Stamp


class SearchDocumentRow(NamedTuple):
    article_id: int
    title: str
    facts: str
    body: str
    paragraphs: str  # JSON


class SearchFactRow(NamedTuple):
    id: int
    article_id: int
    answer: str
    alternatives: str  # JSON
    key: str
    words: str


ROW_TYPES = {
    Article: ArticleRow,
    KeyFact: KeyFactRow,
    Question: QuestionRow,
    Quiz: QuizRow,
    QuizItem: QuizItemRow,
    Card: CardRow,
    ReviewLog: ReviewLogRow,
    TopicScore: TopicScoreRow,
    SearchDocument: SearchDocumentRow,
    SearchFact: SearchFactRow,
}


def insert_rows(model, rows) -> int:
    """Insert rows of ROW_TYPES[model]: COPY on PostgreSQL, executemany elsewhere."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name).column for name in ROW_TYPES[model]._fields]
    names, table = ", ".join(map(quote, columns)), quote(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for batch in itertools.batched(rows, 20_000):
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def db_time(value):
    """A datetime as the database stores it, for rows that bypass the ORM."""
    return connection.ops.adapt_datetimefield_value(value)


def reset_sequences() -> None:
    """Rows were written with explicit ids: the next ORM insert must not reuse one."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(ROW_TYPES)):
            cursor.execute(statement)
