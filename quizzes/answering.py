"""Starting quizzes and recording answers: the database writes, each in one transaction."""

import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import aliases, answer_sql, scheduling
from quizzes.context_processors import today_for
from quizzes.fsrs_terms import DEFAULT_RETENTION
from quizzes.grading import Grade, Verdict, grade, normalise
from quizzes.habits import DEFAULT_DAILY_GOAL, Today
from quizzes.models import (
    Card,
    KeyFact,
    KnownTerm,
    Question,
    Quiz,
    QuizItem,
    TopicScore,
    end_after_last_answer,
)
from quizzes.selection import Candidate, select, shuffled_options, tier

QUIZ_SIZES = (5, 10, 20)
DEFAULT_QUIZ_SIZE = 10
REVIEW_SIZE = 20
SHORTLIST_FACTOR = 3
MAX_RESPONSE_LENGTH = 500
RECENT_SCORES_KEPT = 10


class AnswerRejected(ValueError):
    """A malformed answer: it is refused with this message and changes nothing."""


class QuestionWithdrawn(AnswerRejected):
    """The question's fact was retired after the quiz showed it: the quiz goes on without it."""


def _questions_of(fact_ids):
    """(id, fact id, type) of these facts' usable questions: what selection chooses from."""
    return Question.objects.usable().filter(fact_id__in=fact_ids).values_list("id", "fact_id", "type")


# What selection needs to know of a card, in Candidate's order after the fact id.
CARD_MEMORY = ("fact_id", "due", "state", "misses", "last_review", "fill_in_next")


def _candidates(questions, cards) -> list[Candidate]:
    by_fact: dict[int, dict[str, int]] = {}
    for question_id, fact_id, question_type in questions:
        by_fact.setdefault(fact_id, {})[question_type] = question_id
    memory = {card[0]: card[1:] for card in cards}
    return [
        Candidate(fact_id, question_ids, *memory.get(fact_id, (None, None, 0, None, False)))
        for fact_id, question_ids in by_fact.items()
    ]


def _create_quiz(user, topic, mode, picks, rng, retry_of=None) -> Quiz | None:
    if not picks:
        return None
    questions = Question.objects.select_related("fact").in_bulk([pick.question_id for pick in picks])
    quiz = Quiz.objects.create(user=user, topic=topic, mode=mode, item_count=len(picks), retry_of=retry_of)
    items = []
    for position, pick in enumerate(picks, start=1):
        question = questions[pick.question_id]
        options = []
        if question.type == Question.Type.MULTIPLE_CHOICE:
            options = shuffled_options(question.fact.answer, question.wrong_options, rng)
        items.append(
            QuizItem(
                quiz=quiz,
                position=position,
                question=question,
                fact_id=pick.fact_id,
                options=options,
            )
        )
    QuizItem.objects.bulk_create(items)
    return quiz


def _create_open_quiz(user, topic, mode, picks, rng) -> Quiz | None:
    """The new quiz, or the open one another request created a moment ago (one open per kind)."""
    try:
        with transaction.atomic():
            return _create_quiz(user, topic, mode, picks, rng)
    except IntegrityError:
        return Quiz.objects.open().get(user=user, topic=topic, mode=mode)


def open_quiz(user, topic) -> Quiz | None:
    """The learner's unfinished quiz on `topic`, or their unfinished review when topic is None."""
    mode = Quiz.Mode.TOPIC if topic else Quiz.Mode.REVIEW
    return Quiz.objects.open().filter(user=user, topic=topic, mode=mode).first()


def start_topic_quiz(user, topic, size, now) -> Quiz | None:
    """A new quiz of `size` questions on `topic`, fixed now; None when nothing can be asked.

    Only a shortlist is loaded with its questions: the learner's best-ranked cards and a random
    sample of unseen facts, each a few times `size` (some facts may have no usable question).
    A topic of thousands of facts thus costs a list of ids, not thousands of rows.
    Suspended and buried facts are neither ranked nor unseen: they are left out.
    """
    rng = random.Random(secrets.randbits(64))
    all_cards = Card.objects.for_user(user).active().filter(topic=topic)
    cards = list(all_cards.in_play(now).values_list(*CARD_MEMORY))
    shortlist = size * SHORTLIST_FACTOR
    ranked = sorted((Candidate(card[0], {"": 0}, *card[1:]) for card in cards), key=lambda c: tier(c, now))
    seen = set(all_cards.values_list("fact_id", flat=True))
    unseen = [
        fact_id
        for fact_id in KeyFact.objects.active().filter(topic=topic).values_list("id", flat=True)
        if fact_id not in seen
    ]
    fact_ids = [c.fact_id for c in ranked[:shortlist]] + rng.sample(unseen, min(len(unseen), shortlist))
    questions = _questions_of(fact_ids)
    picks = select(_candidates(questions, cards), size, now, rng)
    with transaction.atomic():
        # The score row exists before the first answer, which then only has to update it.
        TopicScore.objects.get_or_create(user=user, topic=topic)
    return _create_open_quiz(user, topic, Quiz.Mode.TOPIC, picks, rng)


def start_review(user, now) -> Quiz | None:
    """A review session of the facts due now, most overdue first, across topics; the open one
    if the learner has one (starting again resumes)."""
    if (resumed := open_quiz(user, None)) is not None:
        return resumed
    due = Card.objects.for_user(user).active().due(now).order_by("due")
    due = list(due.values_list(*CARD_MEMORY)[:REVIEW_SIZE])
    questions = _questions_of([card[0] for card in due])
    rng = random.Random(secrets.randbits(64))
    picks = select(_candidates(questions, due), REVIEW_SIZE, now, rng)
    return _create_open_quiz(user, None, Quiz.Mode.REVIEW, picks, rng)


def start_retry(user, quiz: Quiz, now) -> Quiz | None:
    """A new quiz of exactly the questions `quiz` got wrong (suspended facts aside), once: asking
    again returns the retry already made. None when nothing was missed."""
    if (made := Quiz.objects.filter(retry_of=quiz).first()) is not None:
        return made
    missed = list(quiz.items.filter(verdict=QuizItem.Verdict.WRONG).values_list("fact_id", flat=True))
    cards = Card.objects.for_user(user).filter(fact_id__in=missed).in_play(now)
    cards = list(cards.values_list(*CARD_MEMORY))
    fact_ids = [card[0] for card in cards]
    questions = _questions_of(fact_ids)
    rng = random.Random(secrets.randbits(64))
    picks = select(_candidates(questions, cards), len(cards), now, rng)
    try:
        with transaction.atomic():
            return _create_quiz(user, quiz.topic, Quiz.Mode.RETRY, picks, rng, retry_of=quiz)
    except IntegrityError:
        return Quiz.objects.get(retry_of=quiz)


def abandon(user, quiz_id: int, now) -> Quiz:
    """End an open quiz without finishing it: its answers stay and count; it is offered no more."""
    quiz = Quiz.objects.filter(pk=quiz_id, user=user).first()
    if quiz is None:
        raise Http404
    Quiz.objects.open().filter(pk=quiz.pk).update(abandoned_at=end_after_last_answer(now))
    quiz.refresh_from_db()
    return quiz


def withdraw_retired_items(quiz: Quiz, now) -> Quiz:
    """The quiz without its unanswered questions on facts retired since it started (the note was
    unpublished or archived, or the fact edited away); finished if every other one is answered.

    Answered questions stay, with their answers and every total counted from them: only
    questions nobody answered leave, so no learner's work is lost. Returns the quiz as it is now.
    """
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if quiz.is_finished:
            return quiz
        withdrawn, _ = QuizItem.objects.filter(
            quiz=quiz, answered_at__isnull=True, fact__is_active=False
        ).delete()
        if not withdrawn:
            return quiz
        quiz.item_count -= withdrawn
        ended = {}
        if quiz.answered_count >= quiz.item_count:
            quiz.finished_at = now
            ended["finished_at"] = end_after_last_answer(now)
        Quiz.objects.filter(pk=quiz.pk).update(item_count=quiz.item_count, **ended)
        if quiz.is_finished and quiz.mode == Quiz.Mode.TOPIC and quiz.answered_count:
            scores = TopicScore.objects.filter(user_id=quiz.user_id, topic_id=quiz.topic_id)
            recent = scores.values_list("recent_scores", flat=True).first()
            scores.update(**_finished_quiz_totals(quiz, recent))
        return quiz


@dataclass(frozen=True)
class Submission:
    response: str | None  # fill-in: what was typed
    choice: str | None  # multiple choice: the option's index, as posted
    gave_up: bool = False  # "I don't know": a miss, nothing typed or chosen


def grade_fill_in(item: QuizItem, typed: str) -> Grade:
    fact = item.fact
    known_terms = fact.wrong_options
    result = grade(typed, fact.answer, fact.alternatives, known_terms=known_terms, blank=fact.blank)
    names: frozenset[str] = frozenset()
    if result.verdict is not Verdict.CORRECT:
        # The library's other names for the answer: looked up only when the fact's own fall short.
        names = aliases.for_fact(fact)
        if names:
            result = grade(
                typed,
                fact.answer,
                fact.alternatives,
                known_terms=known_terms,
                aliases=names,
                blank=fact.blank,
            )
    if result.verdict is Verdict.TYPO and KnownTerm.objects.filter(text=normalise(typed)).exists():
        # What was typed is itself a term of the library: a different answer, not a slip.
        result = grade(
            typed, fact.answer, fact.alternatives, known_terms=[typed], aliases=names, blank=fact.blank
        )
    return result


def _verdict_for(item: QuizItem, submission: Submission) -> tuple[str, str]:
    """(verdict, response to store), or AnswerRejected for malformed input."""
    if submission.gave_up:
        return Verdict.WRONG.value, ""
    if item.options:
        try:
            index = int(submission.choice or "")
        except ValueError:
            raise AnswerRejected(_("Choose one of the options.")) from None
        if not 0 <= index < len(item.options):
            raise AnswerRejected(_("That is not one of this question's options."))
        chosen = item.options[index]
        verdict = Verdict.CORRECT if chosen == item.fact.answer else Verdict.WRONG
        return verdict.value, chosen
    typed = (submission.response or "").strip()
    if not typed:
        raise AnswerRejected(_("Type an answer first."))
    if "\x00" in typed:  # no database column can hold it
        raise AnswerRejected(_("That answer contains a character that cannot be stored."))
    if len(typed) > MAX_RESPONSE_LENGTH:
        raise AnswerRejected(
            _("That answer is too long (at most %(limit)d characters).") % {"limit": MAX_RESPONSE_LENGTH}
        )
    return grade_fill_in(item, typed).verdict.value, typed


def record_answer(user, quiz_id: int, position: int, submission: Submission, now, day_start=None) -> QuizItem:
    """Grade and record one answer, exactly once, with every total that depends on it.

    A second submission of the same item (double click, reload, another tab) changes
    nothing and gets the first one's item back, so both show the same feedback.
    The item comes back with `today`: reviews due and answers since `day_start` (the learner's
    midnight), counted in the same query that reads the item, then brought up to date.
    """
    with transaction.atomic():
        read = answer_sql.read_item(user.pk, quiz_id, position, now, day_start or now)
        if read is None:
            if Quiz.objects.filter(pk=quiz_id, user=user).exists():
                raise AnswerRejected(_("This quiz has no question %(position)d.") % {"position": position})
            raise Http404
        item = read.item
        if item.is_answered:
            # Counted afresh: a repeat that waited for the first one's lock read its counts from
            # before that answer.
            item.today = today_for(user, now)
            return item
        if item.quiz.is_abandoned:
            raise AnswerRejected(_("You ended this quiz; start a new one from its topic."))
        if not item.fact.is_active:
            raise QuestionWithdrawn(
                _(
                    "That question was withdrawn: its note is no longer published. "
                    "The quiz goes on without it."
                )
            )
        verdict, response = _verdict_for(item, submission)
        item.verdict, item.response, item.answered_at = verdict, response, now
        if not read.has_fact_score:
            with transaction.atomic():
                TopicScore.objects.get_or_create(user_id=user.pk, topic_id=item.fact.topic_id)
        card_writes, due_change = _schedule(item, read.retention, now)
        answer_sql.send([answer_sql.answered(item), *_counts(item, now), *card_writes])
        quiz = item.quiz
        if quiz.is_finished and quiz.mode == Quiz.Mode.TOPIC:
            TopicScore.objects.filter(user_id=quiz.user_id, topic_id=quiz.topic_id).update(
                **_finished_quiz_totals(quiz, read.recent_scores)
            )
        goal = read.daily_goal or DEFAULT_DAILY_GOAL
        item.today = Today(read.due_before + due_change, read.done_before + 1, goal)
        return item


def _counts(item: QuizItem, now) -> list[answer_sql.Write]:
    """The answer in its quiz's, its question's and the learner's topic score's counts."""
    quiz, correct = item.quiz, int(item.is_correct)
    quiz.answered_count += 1
    quiz.correct_count += correct
    if quiz.answered_count >= quiz.item_count:
        quiz.finished_at = now
    return [
        answer_sql.counted_in_quiz(quiz, correct, now),
        answer_sql.counted_for_question(item.question_id, correct),
        answer_sql.counted_in_score(quiz.user_id, item.fact.topic_id, correct),
    ]


def _finished_quiz_totals(quiz: Quiz, recent_scores: list | None) -> dict:
    score = round(quiz.score, 4)
    return {
        "quizzes_done": F("quizzes_done") + 1,
        "last_score": score,
        "best_score": Greatest(Coalesce(F("best_score"), Value(score)), Value(score)),
        "recent_scores": [*(recent_scores or []), score][-RECENT_SCORES_KEPT:],
        "updated_at": timezone.now(),
    }


def _schedule(item: QuizItem, retention: float | None, now) -> tuple[list[answer_sql.Write], int]:
    """Review the fact's card: the writes that store it and its log, and how the learner's count
    of due reviews changed (-1, 0, 1). A new card is stored at once, for its id."""
    user_id, retention = item.quiz.user_id, retention or DEFAULT_RETENTION
    card = answer_sql.read_card(user_id, item.fact_id)
    if card is None:
        card = scheduling.new_card(user_id, item.fact, now)
        log = scheduling.review(card, item.verdict, now, retention)
        if answer_sql.insert_card(card):
            return [_logged(item, card, log)], int(card.is_due(now))
        # Another answer to this fact (another tab's quiz) stored its card first: this one
        # reviews that card, once the other answer is done with it.
        card = answer_sql.read_card(user_id, item.fact_id)
    was_due = card.is_due(now)
    log = scheduling.review(card, item.verdict, now, retention)
    return [answer_sql.reviewed(card), _logged(item, card, log)], int(card.is_due(now)) - int(was_due)


def _logged(item: QuizItem, card: Card, log) -> answer_sql.Write:
    log.card = card
    item.card = card  # the feedback offers "suspend" and "not today" for it
    return answer_sql.logged(log)
