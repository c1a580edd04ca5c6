"""The tables the bench writes in bulk, their rows built by column name, and the insert that
writes them.

`QUIZ_ITEMS.row(id=..., quiz_id=..., ...)` names every value's column where the row is built and
gives a plain tuple in the columns' order, which COPY and executemany take as it is. A NamedTuple
would read the same but costs six times as much to build: seconds over the millions of rows of
the large scale.
"""

import itertools

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from articles.models import Article
from quizzes.models import Card, KeyFact, Question, Quiz, QuizItem, ReviewLog, TopicScore
from search.models import SearchDocument, SearchFact


class Table:
    """A bulk-written table: its model and the fields (foreign keys by their `_id`) a row gives."""

    def __init__(self, model, fields: str):
        self.model = model
        self.fields = tuple(fields.split())
        names = ", ".join(self.fields)
        # Generated, as namedtuple's own constructor is: a keyword-only function returning a tuple
        # display is the cheapest call that checks every field is given, once.
        namespace = {}
        exec(f"def row(*, {names}):\n    return ({names},)", namespace)
        self.row = namespace["row"]


ARTICLES = Table(
    Article,
    "id topic_id title slug body body_html fact_list fact_count status author_id created_at updated_at"
)
KEY_FACTS = Table(
    KeyFact,
    "id article_id topic_id fingerprint position answer alternatives wrong_options hint sentence "
    "sentence_html context anchor kind script warnings is_active created_at"
)
QUESTIONS = Table(
    Question,
    "id fact_id type wrong_options option_sources is_generated is_disabled times_asked times_correct"
)
QUIZZES = Table(
    Quiz,
    "id user_id topic_id mode item_count answered_count correct_count created_at finished_at"
)
QUIZ_ITEMS = Table(QuizItem, "id quiz_id position question_id fact_id options response verdict answered_at")
CARDS = Table(
    Card,
    "id user_id fact_id topic_id state step stability difficulty due last_review reviews misses "
    "fill_in_next suspended"
)
REVIEW_LOGS = Table(ReviewLog, "id card_id rating reviewed_at duration_ms")
TOPIC_SCORES = Table(
    TopicScore,
    "id user_id topic_id answered correct quizzes_done last_score best_score recent_scores updated_at"
)
SEARCH_DOCUMENTS = Table(SearchDocument, "article_id title facts body paragraphs")
SEARCH_FACTS = Table(SearchFact, "id article_id answer alternatives key words")
TABLES = [ARTICLES, KEY_FACTS, QUESTIONS, QUIZZES, QUIZ_ITEMS, CARDS, REVIEW_LOGS, TOPIC_SCORES,
          SEARCH_DOCUMENTS, SEARCH_FACTS]


def insert_rows(table: Table, rows) -> int:
    """Insert rows of `table`: COPY on PostgreSQL, executemany elsewhere."""
    meta, quote = table.model._meta, connection.ops.quote_name
    columns = [meta.get_field(name).column for name in table.fields]
    names, db_table = ", ".join(map(quote, columns)), quote(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {db_table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {db_table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
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
    models = [table.model for table in TABLES]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
