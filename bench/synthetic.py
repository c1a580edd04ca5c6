"""Builds the benchmark's synthetic library and learning history, and hands the measurements
the learners, quizzes and items they need.

The library (`library`) and the history (`history`) are written with bulk inserts (`rows`):
COPY on PostgreSQL and executemany elsewhere. Everything the benchmark creates is named
`bench-...`, so a database it built is recognisable.
"""

import itertools
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from articles.models import Article, Topic
from bench.history import count_question_statistics, create_history
from bench.library import create_library
from bench.rows import reset_sequences
from bench.scales import MARKER, PREFIX, QUIZ_SIZE, Scale
from quizzes.grading import display_form
from quizzes.models import LearnerProfile, Question, Quiz, QuizItem, TopicScore

PASSWORD = "bench-password-2026"


# --- is this database ours? ------------------------------------------------------------------


def bench_scale_in_database() -> str | None:
    """The scale of the bench data in the database, "" when it is empty, None when it holds
    anything else (real users, topics or articles)."""
    if Topic._meta.db_table not in connection.introspection.table_names():
        return ""  # not migrated yet
    users = get_user_model().objects
    if not (users.exists() or Topic.objects.exists() or Article.objects.exists()):
        return ""
    foreign = (
        users.exclude(username__startswith=PREFIX).exists()
        or Topic.objects.exclude(slug__startswith=PREFIX).exists()
        or Article.objects.exclude(slug__startswith=PREFIX).exists()
    )
    marker = Topic.objects.filter(description__startswith=MARKER).first()
    if foreign or marker is None:
        return None
    return marker.description.removeprefix(MARKER)


def prepare_database(*, reset: bool) -> None:
    """Empty the database for a build: bench data is flushed; other data only with --reset."""
    found = bench_scale_in_database()
    if found is None and not reset:
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} holds data the benchmark did not "
            "create. Point DATABASE_URL at an empty database, or pass --reset to delete "
            "everything in this one first."
        )
    if found != "":
        call_command("flush", interactive=False, verbosity=0)


def require_bench_data(scale: Scale) -> None:
    found = bench_scale_in_database()
    if found != scale.name:
        raise CommandError(f"--reuse needs a database built by `bench --scale {scale.name}`.")


# --- building ----------------------------------------------------------------------------------


def build(scale: Scale, seed: int = 2026) -> tuple[float, dict[str, int]]:
    """Write the whole library and history in one transaction: (seconds, rows per table)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    rows: dict[str, int] = {}
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -200000")  # 200 MB: index pages stay cached
        editor, learners = _create_users(scale, rows)
        topics = _create_topics(scale, rows)
        library = create_library(scale, topics, editor, now, rows)
        create_history(scale, learners, topics, library, now, rng, rows)
        count_question_statistics()
        reset_sequences()
    if connection.vendor == "postgresql":
        # What autovacuum soon does after a bulk load: planner statistics, and the visibility
        # map that index-only scans need (VACUUM cannot run inside a test's transaction).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return time.perf_counter() - started, rows


def _create_users(scale, rows):
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    editor = User.objects.create(
        username=f"{PREFIX}editor", password=password, is_staff=True, is_superuser=True
    )
    learners = User.objects.bulk_create(
        [User(username=f"{PREFIX}learner-{number:05d}", password=password)
         for number in range(1, scale.learners + 1)],
        batch_size=1000,
    )
    LearnerProfile.objects.bulk_create([LearnerProfile(user=user) for user in learners],
                                       batch_size=1000)
    rows["users"] = len(learners) + 1
    return editor, learners


def _create_topics(scale, rows):
    topics = Topic.objects.bulk_create(
        Topic(name=f"Bench 主题 {number:02d}", slug=f"{PREFIX}topic-{number:02d}",
              description=MARKER + scale.name, order=number)
        for number in range(1, scale.topics + 1)
    )
    rows["topics"] = len(topics)
    return topics


# --- what the measurements need ----------------------------------------------------------------


def rested_learners(count: int) -> list:
    """`count` learners, those whose last quiz began longest ago first.

    A run answers hundreds of questions for each learner it loads, more than anyone answers in
    a day; the next run loads others, so each run measures learners like the site's.
    """
    latest = _learners().annotate(latest_quiz=Max("quizzes__created_at"))
    return list(latest.order_by(F("latest_quiz").asc(nulls_first=True), "username")[:count])


def _learners():
    return get_user_model().objects.filter(username__startswith=f"{PREFIX}learner-")


def editor():
    return get_user_model().objects.get(username=f"{PREFIX}editor")


def topics_of(user) -> list[int]:
    return list(TopicScore.objects.filter(user=user).order_by("topic_id")
                .values_list("topic_id", flat=True))


@dataclass(frozen=True)
class OpenItem:
    """An unanswered quiz item and the form data that answers it (right or wrong)."""

    user_id: int
    quiz_id: int
    position: int
    data: dict


def open_items(users, count: int, question_type: str | None = None) -> list[OpenItem]:
    """Fresh topic quizzes for `users` (in turn), `count` items in all, every item unanswered.

    `question_type` fixes the type of every item; None alternates fill-in and multiple choice.
    Every other item is answered right. Answering the items in order finishes each quiz.
    """
    rng = random.Random()
    topic_choices = {user.pk: topics_of(user) for user in users}
    plan = [(user, rng.choice(topic_choices[user.pk]))
            for user in itertools.islice(itertools.cycle(users), -(-count // QUIZ_SIZE))]
    # Retries: a learner has one open topic quiz per topic, and these are many per topic. An
    # answer costs the same in either; only a finished topic quiz also counts in quizzes_done.
    quizzes = Quiz.objects.bulk_create(
        Quiz(user=user, topic_id=topic_id, item_count=QUIZ_SIZE, mode=Quiz.Mode.RETRY)
        for user, topic_id in plan)
    pools: dict[tuple[int, str], list] = {}
    items, opened = [], []
    for quiz, (user, topic_id) in zip(quizzes, plan, strict=True):
        for position in range(1, QUIZ_SIZE + 1):
            kind = question_type or (Question.Type.FILL_IN if position % 2 else
                                     Question.Type.MULTIPLE_CHOICE)
            if (topic_id, kind) not in pools:
                pools[topic_id, kind] = list(
                    Question.objects.filter(fact__topic_id=topic_id, type=kind)
                    .values_list("pk", "fact_id", "fact__answer", "wrong_options"))
            question_id, fact_id, answer, wrong = rng.choice(pools[topic_id, kind])
            right = len(items) % 2 == 0
            options = []
            if kind == Question.Type.MULTIPLE_CHOICE:
                options = [answer, *wrong]
                rng.shuffle(options)
                data = {"choice": str(options.index(answer if right else wrong[0]))}
            else:
                data = {"response": display_form(answer) if right else "不记得了"}
            items.append(QuizItem(quiz=quiz, position=position, question_id=question_id,
                                  fact_id=fact_id, options=options))
            opened.append(OpenItem(user.pk, quiz.pk, position, data))
    QuizItem.objects.bulk_create(items, batch_size=2000)
    return opened[:count]


def discard_unanswered(items: list[OpenItem]) -> None:
    """Delete the quizzes of `items` that no answer reached.

    A run prepares more items than it can answer; left open, they would pile up run after run
    into hundreds of open quizzes per learner, where a real learner keeps a few.
    """
    Quiz.objects.filter(pk__in={item.quiz_id for item in items}, answered_count=0).delete()
