"""The bench's learning history: finished quizzes, their answers, FSRS cards, review logs and
topic scores, generated learner by learner and written in bulk."""

import itertools
import json
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from bench.rows import CARDS, QUIZ_ITEMS, QUIZZES, REVIEW_LOGS, TOPIC_SCORES, db_time, insert_rows, next_id
from bench.scales import HISTORY_DAYS, QUIZ_SIZE
from quizzes.fsrs_terms import RATING_FOR_VERDICT, State
from quizzes.grading import display_form
from quizzes.models import Card, Question, Quiz, QuizItem, ReviewLog, TopicScore

# FSRS's ratings and states, as the app stores them.
RATING = {verdict.value: rating.value for verdict, rating in RATING_FOR_VERDICT.items()}
LEARNING, REVIEW, RELEARNING = State.Learning.value, State.Review.value, State.Relearning.value


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


HISTORY_TABLES = {"quizzes": QUIZZES, "quiz items": QUIZ_ITEMS, "cards": CARDS,
                  "review logs": REVIEW_LOGS, "topic scores": TOPIC_SCORES}


def create_history(scale, learners, topics, library, now, rng, rows):
    """Fifty learners at a time: their rows are generated, then written table by table."""
    ids = {table.model: next_id(table.model) for table in HISTORY_TABLES.values()}
    quizzes_per_learner = scale.answers // scale.learners // QUIZ_SIZE
    totals = dict.fromkeys(HISTORY_TABLES, 0)
    for chunk in itertools.batched(learners, 50):
        batch = {table.model: [] for table in HISTORY_TABLES.values()}
        for learner in chunk:
            _learner_history(learner, scale, topics, library, now, rng, quizzes_per_learner, ids,
                             batch)
        for name, table in HISTORY_TABLES.items():
            totals[name] += insert_rows(table, batch[table.model])
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
            answered_at = db_time(began + timedelta(seconds=20 * position))
            multiple_choice = card.streak < 1  # recognition until answered right, then recall
            verdict, response, options = _answer(library, fact_index, multiple_choice, rng)
            batch[QuizItem].append(QUIZ_ITEMS.row(
                id=ids[QuizItem], quiz_id=quiz_id, position=position,
                question_id=library.question_id(fact_index, multiple_choice),
                fact_id=library.first_fact_id + fact_index, options=options, response=response,
                verdict=verdict, answered_at=answered_at,
            ))
            batch[ReviewLog].append(REVIEW_LOGS.row(
                id=ids[ReviewLog], card_id=card.card_id, rating=RATING[verdict], reviewed_at=answered_at,
                duration_ms=rng.randint(2_000, 20_000),
            ))
            ids[QuizItem] += 1
            ids[ReviewLog] += 1
            card.reviews += 1
            card.misses += verdict == "wrong"
            card.streak = 0 if verdict == "wrong" else card.streak + 1
            card.last_review = began + timedelta(seconds=20 * position)
            card.last_verdict = verdict
            correct_count += verdict != "wrong"
        finished = began + timedelta(seconds=20 * QUIZ_SIZE)
        batch[Quiz].append(QUIZZES.row(
            id=quiz_id, user_id=learner.pk, topic_id=topic_id, mode=Quiz.Mode.TOPIC,
            item_count=QUIZ_SIZE, answered_count=QUIZ_SIZE, correct_count=correct_count,
            created_at=db_time(began), finished_at=db_time(finished),
        ))
        score = scores.setdefault(topic_index, [0, 0, []])
        score[0] += QUIZ_SIZE
        score[1] += correct_count
        score[2].append(round(correct_count / QUIZ_SIZE, 4))
    for fact_index, card in cards.items():
        batch[Card].append(_card_row(card, learner.pk, library.first_fact_id + fact_index, rng))
    for topic_index, (answered, correct, quiz_scores) in scores.items():
        batch[TopicScore].append(TOPIC_SCORES.row(
            id=ids[TopicScore], user_id=learner.pk, topic_id=topics[topic_index].pk,
            answered=answered, correct=correct, quizzes_done=len(quiz_scores),
            last_score=quiz_scores[-1], best_score=max(quiz_scores),
            recent_scores=json.dumps(quiz_scores[-10:]), updated_at=db_time(now),
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
    return CARDS.row(
        id=card.card_id, user_id=user_id, fact_id=fact_id, topic_id=card.topic_id, state=state,
        step=step, stability=round(stability, 4), difficulty=round(rng.uniform(2, 8), 4),
        due=db_time(due), last_review=db_time(card.last_review), reviews=card.reviews,
        misses=card.misses, fill_in_next=card.last_verdict != "wrong", suspended=False,
    )


def count_question_statistics() -> None:
    """times_asked / times_correct of every question, from the answers just written."""
    answered = QuizItem.objects.filter(question=OuterRef("pk")).order_by().values("question")

    def count(items):
        counted = items.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    Question.objects.update(
        times_asked=count(answered),
        times_correct=count(answered.filter(Q(verdict="correct") | Q(verdict="typo"))),
    )
