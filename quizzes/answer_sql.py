"""An answer's statements as fixed SQL: the item read under lock, the card read under lock,
then every row the answer changes, written together (`send`: one round trip on PostgreSQL).

An answer is the site's most frequent write. Through the ORM each of its statements costs about
0.6 ms of Python (cloning querysets, resolving lookups, compiling), twenty times what SQLite or
PostgreSQL needs to run it. Here the SQL text is fixed and an answer only binds its values.
Values go in and come out through the model fields' own conversions (`get_db_prep_save`, the
backend's converters), so what is stored and read is exactly what the ORM would store and read.

What the two counts mean stays defined by the QuerySets: `Card.objects.for_user(u).active().due(now)`
and `QuizItem.objects.answered_by(u, since)`. tests/quizzes/test_answer_sql.py checks these
statements against them and against the plain joins, and every write against the row the ORM
would have written; tests/quizzes/test_quiz_ends.py checks the rule the answers count relies on.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Model

from articles.models import Article
from quizzes.models import Card, KeyFact, LearnerProfile, Quiz, QuizItem, ReviewLog, TopicScore


def _fields(model, names=None) -> tuple[str, ...]:
    """`names` (every column when None) in the model's order, the order Model.from_db expects."""
    fields = model._meta.concrete_fields
    return tuple(field.attname for field in fields if names is None or field.attname in names)


ITEM_FIELDS = _fields(QuizItem, {"id", "quiz_id", "position", "question_id", "fact_id", "options", "response",
                                 "verdict", "answered_at"})
ARTICLE_FIELDS = _fields(Article, {"id", "slug"})  # the fact's link to its paragraph


def _columns(alias: str, model, names) -> str:
    """The quoted columns of `names`, each prefixed by `alias.` (none when alias is empty)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{model._meta.get_field(name).column}"' for name in names)


# The learner, their midnight and `now` are parameters: the counts name no column of the row
# read, so PostgreSQL runs each once for the statement. Each count's cost follows what it
# counts, whatever the planner's statistics say: due cards are the learner's cards less those
# of the few retired facts; today's answers are read among the learner's open or recently
# ended quizzes (a quiz ends no earlier than its last answer), all of a quiz's answered count
# when it began since midnight (no answer predates its quiz), item by item otherwise.
# The two moments are given as `(SELECT %s)`, which the planner costs alike whatever their
# value, so PostgreSQL keeps one plan for the prepared statement instead of planning it anew
# on every answer (planning took as long as running it).
_DUE_NOW = """(SELECT COUNT(*) FROM "quizzes_card" dc
    WHERE dc."user_id" = %(user)s AND NOT dc."suspended"
    AND (dc."buried_until" IS NULL OR dc."buried_until" <= (SELECT %(now)s)) AND dc."due" <= (SELECT %(now)s)
    AND NOT EXISTS (SELECT 1 FROM "quizzes_keyfact" df
                    WHERE df."id" = dc."fact_id" AND NOT df."is_active"))"""
_DONE_TODAY = """(SELECT CAST(COALESCE(SUM(
        CASE WHEN tq."created_at" >= (SELECT %(since)s) THEN tq."answered_count"
        ELSE (SELECT COUNT(*) FROM "quizzes_quizitem" ti
              WHERE ti."quiz_id" = tq."id" AND ti."answered_at" >= (SELECT %(since)s)) END), 0) AS integer)
    FROM "quizzes_quiz" tq WHERE tq."user_id" = %(user)s
    AND (tq."finished_at" IS NULL AND tq."abandoned_at" IS NULL
         OR tq."finished_at" >= (SELECT %(since)s) OR tq."abandoned_at" >= (SELECT %(since)s)))"""

_READ = f"""SELECT {_columns("i", QuizItem, ITEM_FIELDS)}, {_columns("q", Quiz, _fields(Quiz))},
    {_columns("f", KeyFact, _fields(KeyFact))}, {_columns("a", Article, ARTICLE_FIELDS)},
    p."desired_retention", p."daily_goal", s."recent_scores", {_DUE_NOW}, {_DONE_TODAY},
    EXISTS (SELECT 1 FROM "quizzes_topicscore" fs
            WHERE fs."user_id" = %(user)s AND fs."topic_id" = f."topic_id")
FROM "quizzes_quizitem" i
INNER JOIN "quizzes_quiz" q ON q."id" = i."quiz_id"
INNER JOIN "quizzes_keyfact" f ON f."id" = i."fact_id"
INNER JOIN "articles_article" a ON a."id" = f."article_id"
LEFT OUTER JOIN "quizzes_learnerprofile" p ON p."user_id" = q."user_id"
LEFT OUTER JOIN "quizzes_topicscore" s ON s."user_id" = q."user_id" AND s."topic_id" = q."topic_id"
WHERE i."quiz_id" = %(quiz)s AND q."user_id" = %(user)s AND i."position" = %(position)s"""
# Locking the item and its quiz serialises answers within one quiz (PostgreSQL); SQLite's
# IMMEDIATE transactions serialise every writer anyway.
_LOCK_ITEM = ' FOR UPDATE OF i, q'

_READ_CARD = f"""SELECT {_columns('c', Card, _fields(Card))} FROM "quizzes_card" c
WHERE c."user_id" = %s AND c."fact_id" = %s"""

_ANSWER_ITEM = """UPDATE "quizzes_quizitem" SET "verdict" = %s, "response" = %s, "answered_at" = %s
WHERE "id" = %s"""
# The answer that finishes the quiz dates its end by the quiz's last answer: its own, or one
# recorded before it but sent later (models.end_after_last_answer says why).
_COUNT_QUIZ = """UPDATE "quizzes_quiz" SET "answered_count" = "answered_count" + 1,
"correct_count" = "correct_count" + %s, "finished_at" = CASE WHEN %s THEN COALESCE(
    (SELECT MAX(li."answered_at") FROM "quizzes_quizitem" li
     WHERE li."quiz_id" = "quizzes_quiz"."id" AND li."answered_at" > %s), %s) END
WHERE "id" = %s"""
_COUNT_QUESTION = """UPDATE "quizzes_question" SET "times_asked" = "times_asked" + 1,
"times_correct" = "times_correct" + %s WHERE "id" = %s"""
_COUNT_SCORE = """UPDATE "quizzes_topicscore" SET "answered" = "answered" + 1,
"correct" = "correct" + %s WHERE "user_id" = %s AND "topic_id" = %s"""

# What scheduling.review changes on a card; suspension and burial are the learner's, untouched.
REVIEWED_CARD_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews", "misses",
                        "fill_in_next")
_REVIEW_CARD = f"""UPDATE "quizzes_card" SET {", ".join(f'"{name}" = %s' for name in REVIEWED_CARD_FIELDS)}
WHERE "id" = %s"""
NEW_CARD_FIELDS = _fields(Card, {field.attname for field in Card._meta.concrete_fields} - {"id"})
_INSERT_CARD = f"""INSERT INTO "quizzes_card" ({_columns("", Card, NEW_CARD_FIELDS)})
VALUES ({", ".join(["%s"] * len(NEW_CARD_FIELDS))})
ON CONFLICT ("user_id", "fact_id") DO NOTHING RETURNING "id\""""
LOG_FIELDS = ("card_id", "rating", "reviewed_at", "duration_ms", "previous")
_INSERT_LOG = f"""INSERT INTO "quizzes_reviewlog" ({_columns("", ReviewLog, LOG_FIELDS)})
VALUES ({", ".join(["%s"] * len(LOG_FIELDS))})"""


@dataclass
class ReadItem:
    """The item to answer (with its quiz, fact and the fact's article) and what the answer needs."""

    item: QuizItem
    retention: float | None  # the learner's desired retention, None for the default
    daily_goal: int | None
    # The quiz topic's last scores, for a quiz this answer finishes: read here so that finishing
    # writes the trend in one UPDATE. Two topic quizzes finished by one learner at the same
    # instant could drop one trend point; every count stays exact, being added in SQL.
    recent_scores: list | None
    due_before: int  # the learner's reviews due now, before this answer
    done_before: int  # the learner's answers since `day_start`, before this answer
    # Whether the learner has a score row for the fact's topic, which the answer counts in.
    # Quizzes create their topic's row when they start; a fact moved since may find none.
    has_fact_score: bool


def read_item(user_id: int, quiz_id: int, position: int, now, day_start) -> ReadItem | None:
    """The learner's item `position` of quiz `quiz_id`, locked for this transaction; None if none."""
    sql = _READ + (_LOCK_ITEM if connection.features.has_select_for_update_of else "")
    params = {"now": _prep(Card, "due", now), "since": _prep(QuizItem, "answered_at", day_start),
              "quiz": quiz_id, "user": user_id, "position": position}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    item = _instance(QuizItem, ITEM_FIELDS, values)
    item.quiz = _instance(Quiz, _fields(Quiz), values)
    item.fact = _instance(KeyFact, _fields(KeyFact), values)
    item.fact.article = _instance(Article, ARTICLE_FIELDS, values)
    retention, goal, scores, due, done, has_fact_score = (
        _converted(LearnerProfile, "desired_retention", next(values)),
        _converted(LearnerProfile, "daily_goal", next(values)),
        _converted(TopicScore, "recent_scores", next(values)),
        next(values),
        next(values),
        bool(next(values)),  # SQLite gives 0 or 1
    )
    return ReadItem(item, retention, goal, scores, due, done, has_fact_score)


def read_card(user_id: int, fact_id: int) -> Card | None:
    """The learner's card of the fact, locked for this transaction (PostgreSQL)."""
    sql = _READ_CARD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, fact_id])
        row = cursor.fetchone()
    return None if row is None else _instance(Card, _fields(Card), iter(row))


# An answer's writes go out together (`send`): each function below gives one statement and its
# parameters.
Write = tuple[str, list]


def answered(item: QuizItem) -> Write:
    answered_at = _prep(QuizItem, "answered_at", item.answered_at)
    return _ANSWER_ITEM, [item.verdict, item.response, answered_at, item.pk]


def counted_in_quiz(quiz: Quiz, correct: int, now) -> Write:
    """The answer in its quiz's counts; the quiz ends if `quiz` says it is finished."""
    moment = _prep(Quiz, "finished_at", now)
    return _COUNT_QUIZ, [correct, quiz.is_finished, moment, moment, quiz.pk]


def counted_for_question(question_id: int, correct: int) -> Write:
    return _COUNT_QUESTION, [correct, question_id]


def counted_in_score(user_id: int, topic_id: int, correct: int) -> Write:
    """The answer in the learner's score of the topic, whose row must exist (`has_fact_score`)."""
    return _COUNT_SCORE, [correct, user_id, topic_id]


def reviewed(card: Card) -> Write:
    """What the review changed on a stored card (a new one is stored by `insert_card`)."""
    return _REVIEW_CARD, [*(_prep(Card, name, getattr(card, name)) for name in REVIEWED_CARD_FIELDS), card.pk]


def logged(log: ReviewLog) -> Write:
    return _INSERT_LOG, [_prep(ReviewLog, name, getattr(log, name)) for name in LOG_FIELDS]


def insert_card(card: Card) -> bool:
    """Store a new card, which gets its id; False, storing nothing, if the learner has a card
    of the fact already (another answer to it stored one since this answer looked)."""
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_CARD, [_prep(Card, name, getattr(card, name)) for name in NEW_CARD_FIELDS])
        row = cursor.fetchone()
    if row is None:
        return False
    card.pk = row[0]
    card._state.adding = False
    return True


def send(writes: list[Write]) -> None:
    """Run the writes, which touch different rows and none of which reads another's.

    On PostgreSQL they are one statement, every write but the last a part of its WITH clause:
    one round trip to the server for all of an answer's writes. Elsewhere they run one by one.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for sql, params in writes:
                cursor.execute(sql, params)
            return
        *parts, (last, params) = writes
        if parts:
            ctes = ", ".join(f"w{number} AS ({sql} RETURNING 1)" for number, (sql, _) in enumerate(parts))
            last = f"WITH {ctes} {last}"
            params = [value for _, part_params in parts for value in part_params] + params
        cursor.execute(last, params)


# --- values in and out, as the ORM converts them ---------------------------------------------


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _prep(model, name: str, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _converted(model, name: str, value):
    for converter, column in _converters(connection.vendor, model, name):
        value = converter(value, column, connection)
    return value


def _instance(model: type[Model], names: tuple[str, ...], values) -> Model:
    """A model instance from the next len(names) values, as the ORM would have built it."""
    converted = [_converted(model, name, next(values)) for name in names]
    return model.from_db(connection.alias, names, converted)


@cache
def _converters(vendor: str, model, name: str) -> list:
    """The backend's and the field's converters of a column, as the ORM's compiler applies them.

    Kept per vendor: they depend on the settings only (the database's time zone), not on which
    thread's connection asks.
    """
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    return [(converter, column) for converter in found]
