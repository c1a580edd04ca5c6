"""Builds the benchmark's synthetic library and learning history with bulk inserts.

Articles are not saved one by one. One Markdown body is rendered once, with placeholder answers;
every article gets that body and its HTML with its own answers put in, and its KeyFacts and
Questions are written directly (with the same fingerprints extraction would give them).
The history (finished quizzes, their answered items, FSRS cards, review logs, topic scores) is
generated per learner and written with COPY on PostgreSQL and executemany elsewhere.
Everything the benchmark creates is named `bench-...`, so a database it built is recognisable.
"""

import itertools
import json
import random
import re
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, Topic, fact_summary
from articles.rendering import RenderedArticle, render_article
from quizzes.extraction import fingerprints
from quizzes.grading import display_form, normalise
from quizzes.kinds import classify
from quizzes.models import (
    Card,
    KeyFact,
    KnownTerm,
    LearnerProfile,
    Question,
    Quiz,
    QuizItem,
    ReviewLog,
    TopicScore,
)
from search.documents import indexed_text
from search.models import SearchDocument, SearchFact
from search.words import add_words, index_words
from search.words import normalise as search_key

PREFIX = "bench-"
MARKER = "notesite benchmark data, scale "
PASSWORD = "bench-password-2026"
QUIZ_SIZE = 10
HISTORY_DAYS = 120


@dataclass(frozen=True)
class Scale:
    name: str
    topics: int
    articles: int
    facts_per_article: int
    learners: int
    answers: int  # answered quiz items in finished quizzes
    topics_per_learner: int
    facts_per_learner: int  # distinct facts each learner has met: their cards
    requests: int  # timed requests per page
    save_runs: int  # articles with 100 facts saved
    import_articles: int
    load_seconds: int  # per wrk run
    build_budget_s: int


SCALES = {
    scale.name: scale
    for scale in [
        Scale("tiny", 2, 6, 20, 3, 300, 2, 40, 10, 2, 4, 2, 60),
        Scale("small", 5, 50, 20, 20, 10_000, 3, 200, 200, 5, 100, 5, 60),
        Scale("large", 50, 5_000, 20, 1_000, 1_000_000, 5, 400, 200, 10, 1_000, 10, 600),
    ]
}

# --- the library -------------------------------------------------------------------------------

# fmt: off
VOCABULARY = {
    "L": ["AdamW", "GELU", "ResNet", "LayerNorm", "BatchNorm", "Dropout", "Transformer", "Softmax",
          "Embedding", "Tokenizer", "Encoder", "Decoder", "Momentum", "Sigmoid", "ReLU",
          "Perceptron", "Pooling", "Stride", "Padding", "Mixup", "Cutout", "Bagging", "Boosting",
          "XGBoost", "LightGBM", "Word2Vec", "GloVe", "BERT", "GPT", "ViT", "Swin", "DETR", "YOLO",
          "FPN", "Anchor", "NMS", "IoU", "mAP", "SGD", "RMSprop", "Adagrad", "Xavier", "Kaiming",
          "LoRA", "Adapter", "Prompt", "Beam Search", "Top-k", "Nucleus", "Perplexity", "Entropy",
          "Hinge", "Focal Loss", "Triplet", "Contrastive", "SimCLR", "MoCo", "BYOL", "CLIP",
          "Diffusion"],
    "C": ["权重衰减", "梯度消失", "梯度爆炸", "注意力机制", "残差连接", "归一化", "过拟合", "欠拟合",
          "正则化", "学习率", "损失函数", "激活函数", "卷积核", "池化层", "特征图", "感受野",
          "反向传播", "生成器", "迭代器", "装饰器", "闭包", "引用计数", "垃圾回收", "元组", "列表",
          "字典", "集合", "协程", "线程", "进程", "全局解释器锁", "上下文管理器", "描述符", "元类",
          "多态", "继承", "封装", "浅拷贝", "深拷贝", "哈希表"],
    "N": [str(year) for year in range(1980, 2025)],
    "K": ["yield", "__init__", "lambda", "async", "await", "with", "__iter__", "__next__", "super()",
          "gc.collect()", "sys.getrefcount", "__slots__", "@property", "functools.wraps",
          "itertools.chain", "copy.deepcopy", "__enter__", "__exit__", "nonlocal", "global"],
}
SENTENCES = {
    "L": ["第{n}个要点：实践中常用{f}来解决这个问题。", "论文里把这种结构称为{f}，它在很多任务上表现很好。",
          "在第{n}步，模型会先经过{f}再输出结果。"],
    "C": ["第{n}个要点：这种现象叫做{f}，训练时要特别注意。", "面试常问的第{n}题：{f}是如何工作的？"],
    "N": ["这种方法最早在{f}年提出，见要点{n}。"],
    "K": ["第{n}个要点：Python 中用{f}实现这一行为。"],
}
FILLER = [
    "在计算机视觉领域，对视觉特征的理解长期由 CNN 主导，而 Transformer 在 NLP 中的成功启发了新的思路。",
    "训练时要同时关注损失曲线和验证集上的指标，复杂度常写作 $O(n^2)$。",
    "很多工作都是在这个基础上改进的，下面分别介绍各个部分。",
    "这一点在面试中经常被问到，需要结合源码理解。",
]
CODE_BLOCK = "```python\ndef numbers():\n    for n in range(3):\n        yield n * n\n```"
# What the bench searches for: rare and common words, titles, mixed, Traditional, full-width.
SEARCHES = ["梯度消失", "transformer", "AdamW", "yield", "笔记 00042", "協程", "ＬｏＲＡ",
            "装饰器 闭包", "beam search", "2017", "注意力", "BERT 要点", "trans", "权重衰减 面试"]
# Eight Latin terms, six Chinese, four years and two pieces of code in every twenty facts.
KIND_PATTERN = "LCNLCKLCLNCLKCLNLCLN"
# fmt: on
TOKEN = re.compile(r"QQ\d{4}QQ")


def _token(slot: int) -> str:
    return f"QQ{slot:04d}QQ"


def template_body(fact_count: int) -> str:
    """A Markdown note with `fact_count` facts whose answers are placeholder tokens."""
    lines, sentences = ["# 笔记", ""], []
    for slot in range(fact_count):
        kind = KIND_PATTERN[slot % len(KIND_PATTERN)]
        markup = f"{{{{`{_token(slot)}`}}}}" if kind == "K" else f"{{{{{_token(slot)}}}}}"
        choices = SENTENCES[kind]
        sentences.append(choices[slot % len(choices)].format(n=slot + 1, f=markup))
        if len(sentences) == 4:
            if slot % 16 == 3:
                lines += [f"## 第{slot // 16 + 1}节", ""]
            lines += [FILLER[slot % len(FILLER)] + "".join(sentences), ""]
            sentences = []
    if sentences:
        lines += ["".join(sentences), ""]
    lines += [CODE_BLOCK, ""]
    return "\n".join(lines)


@cache
def rendered_template(fact_count: int) -> tuple[str, RenderedArticle]:
    body = Article.normalise_body(template_body(fact_count))
    return body, render_article(body)


def answers_for(article_number: int, fact_count: int) -> list[str]:
    """The answers of one article's facts: distinct within it, varied across articles."""
    answers, used = [], {kind: 0 for kind in VOCABULARY}
    for slot in range(fact_count):
        kind = KIND_PATTERN[slot % len(KIND_PATTERN)]
        words = VOCABULARY[kind]
        word = words[(article_number * 7 + used[kind]) % len(words)]
        used[kind] += 1
        answers.append(f"`{word}`" if kind == "K" else word)
    return answers


def wrong_options_for(answer: str) -> list[str]:
    """Three wrong options of the answer's own kind: the next words of its vocabulary."""
    code = answer.startswith("`")
    word = display_form(answer) if code else answer
    words = next(words for words in VOCABULARY.values() if word in words)
    start = words.index(word)
    picked = [words[(start + step) % len(words)] for step in (1, 2, 3)]
    return [f"`{other}`" if code else other for other in picked]


@dataclass(frozen=True)
class SyntheticArticle:
    body: str
    html: str
    facts: tuple  # articles.markup.Fact, answers and sentences filled in


def synthetic_article(article_number: int, fact_count: int) -> SyntheticArticle:
    """What rendering this article's Markdown gives, without rendering it again."""
    body, rendered = rendered_template(fact_count)
    raw = {
        _token(slot): display_form(answer)
        for slot, answer in enumerate(answers_for(article_number, fact_count))
    }
    html = {token: escape(text, quote=False) for token, text in raw.items()}

    def fill(text, values=raw):
        return TOKEN.sub(lambda match: values[match.group()], text)

    facts = tuple(
        replace(fact, answer=fill(fact.answer), sentence=fill(fact.sentence), context=fill(fact.context))
        for fact in rendered.facts
    )
    return SyntheticArticle(fill(body), fill(rendered.html, html), facts)


# --- writing rows ------------------------------------------------------------------------------

# The columns each bulk-written table gets, in the order its row tuples give them.
COLUMNS = {
    Article: "id topic title slug body body_html fact_list fact_count status author created_at "
    "updated_at",
    KeyFact: "id article topic fingerprint position answer alternatives wrong_options hint sentence "
    "context anchor kind script warnings is_active created_at",
    Question: "id fact type wrong_options option_sources is_generated is_disabled times_asked "
    "times_correct",
    Quiz: "id user topic mode item_count answered_count correct_count created_at finished_at",
    QuizItem: "id quiz position question fact options response verdict answered_at",
    Card: "id user fact topic state step stability difficulty due last_review reviews misses "
    "fill_in_next suspended",
    ReviewLog: "id card rating reviewed_at duration_ms",
    TopicScore: "id user topic answered correct quizzes_done last_score best_score recent_scores "
    "updated_at",
    SearchDocument: "article title facts body paragraphs",
    SearchFact: "id article answer alternatives key words",
}


def insert_rows(model, rows) -> int:
    """Insert tuples of COLUMNS[model] values: COPY on PostgreSQL, executemany elsewhere."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name).column for name in COLUMNS[model].split()]
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


def _db_time(value):
    return connection.ops.adapt_datetimefield_value(value)


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
        library = _create_library(scale, topics, editor, now, rows)
        _create_history(scale, learners, topics, library, now, rng, rows)
        _count_question_statistics()
        _reset_sequences()
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


@dataclass(frozen=True)
class Library:
    """Where the facts are, by id: facts of one article and one topic are consecutive."""

    first_fact_id: int
    first_question_id: int
    facts_per_topic: int
    answers: list[str]  # by fact index
    options: list[list[str]]  # wrong options of each fact's MCQ, by fact index

    def topic_fact_indexes(self, topic_index: int) -> range:
        return range(topic_index * self.facts_per_topic, (topic_index + 1) * self.facts_per_topic)

    def question_id(self, fact_index: int, multiple_choice: bool) -> int:
        return self.first_question_id + 2 * fact_index + multiple_choice


def _create_library(scale, topics, editor, now, rows) -> Library:
    if scale.articles % scale.topics:
        raise ValueError("articles must divide evenly among topics")
    per_topic = scale.articles // scale.topics
    fact_count = scale.facts_per_article
    first_article, first_fact = next_id(Article), next_id(KeyFact)
    first_question = next_id(Question)
    classified = {}
    answers, options, article_rows, fact_rows, question_rows = [], [], [], [], []
    for number in range(scale.articles):
        topic = topics[number // per_topic]
        article = synthetic_article(number, fact_count)
        article_id = first_article + number
        changed = _db_time(now - timedelta(days=number % 365, minutes=number))
        article_rows.append((
            article_id, topic.pk, f"{topic.name} · 笔记 {number + 1:05d}",
            f"{PREFIX}{topic.order:02d}-{number + 1:05d}", article.body, article.html,
            json.dumps([fact_summary(fact) for fact in article.facts], ensure_ascii=False),
            fact_count, Article.Status.PUBLISHED, editor.pk, changed, changed,
        ))
        keys = fingerprints(article.facts)
        for position, (fact, key) in enumerate(zip(article.facts, keys, strict=True)):
            fact_id, index = first_fact + len(answers), len(answers)
            if fact.answer not in classified:
                kinds = classify(fact.answer)
                classified[fact.answer] = (kinds.kind.value, kinds.script.value)
            kind, script = classified[fact.answer]
            fact_rows.append((
                fact_id, article_id, topic.pk, key, position, fact.answer, "[]", "[]", "",
                fact.sentence, fact.context, fact.anchor, kind, script, "[]", True, changed,
            ))
            wrong = wrong_options_for(fact.answer)
            wrong_json = json.dumps(wrong, ensure_ascii=False)
            question_rows += [
                (first_question + 2 * index, fact_id, Question.Type.FILL_IN, "[]", "[]", True, False,
                 0, 0),
                (first_question + 2 * index + 1, fact_id, Question.Type.MULTIPLE_CHOICE, wrong_json,
                 json.dumps(["editor"] * len(wrong)), True, False, 0, 0),
            ]
            answers.append(fact.answer)
            options.append(wrong)
    rows["articles"] = insert_rows(Article, article_rows)
    rows["search documents"], rows["search facts"] = _index_library(scale, article_rows, first_article)
    rows["key facts"] = insert_rows(KeyFact, fact_rows)
    rows["questions"] = insert_rows(Question, question_rows)
    terms = {normalise(text) for answer in set(answers)
             for text in [answer, *wrong_options_for(answer)]}
    KnownTerm.objects.bulk_create([KnownTerm(text=term) for term in terms], ignore_conflicts=True)
    return Library(first_fact, first_question, per_topic * fact_count, answers, options)


class _IndexTemplate:
    """The search index of the template note, its answers left as placeholders: each note's
    index is the template's with its own answers' words put in, as indexing it would give."""

    def __init__(self, fact_count: int):
        add_words(answer for words in VOCABULARY.values() for answer in words)
        _, rendered = rendered_template(fact_count)
        self.text = indexed_text("", rendered.html, [])
        self.placeholder = re.compile(TOKEN.pattern.lower())

    @cache  # noqa: B019 - one template per build, a few hundred distinct answers
    def words(self, answer: str) -> str:
        return " ".join(index_words(answer))

    def document(self, article_id: int, title: str, answers: list[str]) -> tuple:
        shown = {_token(slot): display_form(answer) for slot, answer in enumerate(answers)}
        said = {_token(slot).lower(): self.words(text) for slot, text in enumerate(shown.values())}
        paragraphs = [
            [paragraph.anchor, TOKEN.sub(lambda match: shown[match.group()], paragraph.text)]
            for paragraph in self.text.paragraphs
        ]
        return (
            article_id,
            " ".join(index_words(title)),
            " ".join(self.words(answer) for answer in answers),
            self.placeholder.sub(lambda match: said[match.group()], self.text.body),
            json.dumps(paragraphs, ensure_ascii=False),
        )


def _index_library(scale, article_rows, first_article) -> tuple[int, int]:
    """The search index of every note, written in bulk like the notes themselves."""
    template = _IndexTemplate(scale.facts_per_article)
    documents, facts = [], []
    first_fact = next_id(SearchFact)
    for number, row in enumerate(article_rows):
        answers = answers_for(number, scale.facts_per_article)
        documents.append(template.document(first_article + number, row[2], answers))
        distinct = {search_key(answer): answer for answer in reversed(answers)}  # first wins
        for key, answer in distinct.items():
            facts.append((first_fact + len(facts), first_article + number, answer, "[]", key,
                          template.words(answer)))
    return insert_rows(SearchDocument, documents), insert_rows(SearchFact, facts)


# FSRS's ratings and states, as the app stores them.
RATING = {"correct": 3, "typo": 2, "wrong": 1}
LEARNING, REVIEW, RELEARNING = 1, 2, 3


@dataclass
class CardHistory:
    """What one learner has done with one fact, as the history is generated."""

    card_id: int
    topic_id: int
    reviews: int = 0
    misses: int = 0
    streak: int = 0  # correct answers in a row, up to now
    last_review: object = None
    last_verdict: str = ""


HISTORY_TABLES = {"quizzes": Quiz, "quiz items": QuizItem, "cards": Card,
                  "review logs": ReviewLog, "topic scores": TopicScore}


def _create_history(scale, learners, topics, library, now, rng, rows):
    """Fifty learners at a time: their rows are generated, then written table by table."""
    ids = {model: next_id(model) for model in HISTORY_TABLES.values()}
    quizzes_per_learner = scale.answers // scale.learners // QUIZ_SIZE
    totals = dict.fromkeys(HISTORY_TABLES, 0)
    for chunk in itertools.batched(learners, 50):
        batch = {model: [] for model in HISTORY_TABLES.values()}
        for learner in chunk:
            _learner_history(learner, scale, topics, library, now, rng, quizzes_per_learner, ids,
                             batch)
        for name, model in HISTORY_TABLES.items():
            totals[name] += insert_rows(model, batch[model])
    rows.update(totals)


def _learner_history(learner, scale, topics, library, now, rng, quiz_count, ids, batch):
    """One learner's finished quizzes, in time order, and the cards and scores they leave."""
    topic_indexes = rng.sample(range(len(topics)), min(scale.topics_per_learner, len(topics)))
    per_topic = max(QUIZ_SIZE, scale.facts_per_learner // len(topic_indexes))
    pools = {index: rng.sample(library.topic_fact_indexes(index), per_topic)
             for index in topic_indexes}
    cards: dict[int, CardHistory] = {}
    scores: dict[int, list] = {}  # topic index -> [answered, correct, quiz scores]
    start = now - timedelta(days=HISTORY_DAYS)
    spacing = timedelta(days=HISTORY_DAYS) / max(quiz_count, 1)
    for number in range(quiz_count):
        topic_index = rng.choice(topic_indexes)
        topic_id = topics[topic_index].pk
        quiz_id = ids[Quiz]
        ids[Quiz] += 1
        began = start + spacing * (number + rng.random() * 0.5)
        correct_count = 0
        for position, fact_index in enumerate(rng.sample(pools[topic_index], QUIZ_SIZE), 1):
            card = cards.get(fact_index)
            if card is None:
                card = cards[fact_index] = CardHistory(ids[Card], topic_id)
                ids[Card] += 1
            answered_at = _db_time(began + timedelta(seconds=20 * position))
            multiple_choice = card.streak < 1  # recognition until answered right, then recall
            verdict, response, options = _answer(library, fact_index, multiple_choice, rng)
            batch[QuizItem].append((
                ids[QuizItem], quiz_id, position, library.question_id(fact_index, multiple_choice),
                library.first_fact_id + fact_index, options, response, verdict, answered_at,
            ))
            batch[ReviewLog].append((ids[ReviewLog], card.card_id, RATING[verdict], answered_at,
                                     rng.randint(2_000, 20_000)))
            ids[QuizItem] += 1
            ids[ReviewLog] += 1
            card.reviews += 1
            card.misses += verdict == "wrong"
            card.streak = 0 if verdict == "wrong" else card.streak + 1
            card.last_review = began + timedelta(seconds=20 * position)
            card.last_verdict = verdict
            correct_count += verdict != "wrong"
        finished = began + timedelta(seconds=20 * QUIZ_SIZE)
        batch[Quiz].append((quiz_id, learner.pk, topic_id, Quiz.Mode.TOPIC, QUIZ_SIZE, QUIZ_SIZE,
                            correct_count, _db_time(began), _db_time(finished)))
        score = scores.setdefault(topic_index, [0, 0, []])
        score[0] += QUIZ_SIZE
        score[1] += correct_count
        score[2].append(round(correct_count / QUIZ_SIZE, 4))
    for fact_index, card in cards.items():
        batch[Card].append(_card_row(card, learner.pk, library.first_fact_id + fact_index, rng))
    for topic_index, (answered, correct, quiz_scores) in scores.items():
        batch[TopicScore].append((
            ids[TopicScore], learner.pk, topics[topic_index].pk, answered, correct,
            len(quiz_scores), quiz_scores[-1], max(quiz_scores), json.dumps(quiz_scores[-10:]),
            _db_time(now),
        ))
        ids[TopicScore] += 1


def _answer(library, fact_index, multiple_choice, rng) -> tuple[str, str, str]:
    """(verdict, response, options JSON) of one generated answer."""
    answer = library.answers[fact_index]
    roll = rng.random()
    if multiple_choice:
        options = [answer, *library.options[fact_index]]
        rng.shuffle(options)
        verdict = "correct" if roll < 0.8 else "wrong"
        chosen = answer if verdict == "correct" else library.options[fact_index][0]
        return verdict, chosen, json.dumps(options, ensure_ascii=False)
    if roll < 0.7:
        return "correct", display_form(answer), "[]"
    if roll < 0.75:
        return "typo", display_form(answer)[:-1], "[]"
    return "wrong", "不记得了", "[]"


def _card_row(card: CardHistory, user_id: int, fact_id: int, rng) -> tuple:
    """A plausible FSRS state for the card's history (not replayed through FSRS: too slow)."""
    if card.last_verdict == "wrong":
        state = RELEARNING if card.reviews > 1 else LEARNING
        step, stability, due = 0, rng.uniform(0.3, 2), card.last_review + timedelta(minutes=10)
    elif card.streak >= 2:
        state, step = REVIEW, None
        stability = rng.uniform(1, 3) * 2 ** min(card.streak, 6)
        due = card.last_review + timedelta(days=stability)
    else:
        state, step, stability = LEARNING, 1, rng.uniform(1, 3)
        due = card.last_review + timedelta(days=1)
    return (card.card_id, user_id, fact_id, card.topic_id, state, step, round(stability, 4),
            round(rng.uniform(2, 8), 4), _db_time(due), _db_time(card.last_review), card.reviews,
            card.misses, card.last_verdict != "wrong", False)


def _count_question_statistics() -> None:
    """times_asked / times_correct of every question, from the answers just written."""
    answered = QuizItem.objects.filter(question=OuterRef("pk")).order_by().values("question")

    def count(items):
        counted = items.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    Question.objects.update(
        times_asked=count(answered),
        times_correct=count(answered.filter(Q(verdict="correct") | Q(verdict="typo"))),
    )


def _reset_sequences() -> None:
    """Rows were written with explicit ids: the next ORM insert must not reuse one."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(COLUMNS)):
            cursor.execute(statement)


# --- what the measurements need ----------------------------------------------------------------


def learners(count: int) -> list:
    return list(get_user_model().objects.filter(username__startswith=f"{PREFIX}learner-")
                .order_by("username")[:count])


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
