"""A learner's appeal of a wrong verdict, and an editor's ruling on an appealed answer."""

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils.translation import gettext as _

from articles.markup import MarkupError, parse_fact_body, scan
from articles.models import Article
from quizzes import scheduling
from quizzes.answering import RECENT_SCORES_KEPT
from quizzes.fsrs_terms import DEFAULT_RETENTION, RATING_FOR_VERDICT
from quizzes.grading import normalise
from quizzes.kinds import Kind
from quizzes.models import (
    Appeal,
    AppealRuling,
    Card,
    KeyFact,
    LearnerProfile,
    Question,
    Quiz,
    QuizItem,
    ReviewLog,
    TopicScore,
)

_SEPARATORS = "\\|~:}{"


class AppealRefused(ValueError):
    """This answer cannot be appealed; the message says why, and nothing changed."""


class RulingFailed(ValueError):
    """The ruling could not be carried out; the message says why, and nothing changed."""


def appeal_key(fact: KeyFact, text: str) -> str:
    """The typed answer as the grader compares it for this fact: appeals group by it."""
    return normalise(text, code=fact.kind == Kind.CODE, formula=fact.kind == Kind.FORMULA)[:500]


def appeal(user, quiz_id: int, position: int) -> QuizItem:
    """Count a wrong typed answer as correct for this learner, exactly once.

    Every total the answer touched is corrected in the same transaction: the quiz's score, the
    question's statistics, the topic score (and the finished quiz's place in it), and the
    spaced-repetition card, whose history is replayed with the corrected rating.
    """
    with transaction.atomic():
        item = (
            QuizItem.objects.for_display()
            .select_related("quiz")
            .select_for_update(of=("self", "quiz"))
            .filter(quiz_id=quiz_id, quiz__user=user, position=position)
            .first()
        )
        if item is None:
            raise Http404
        if Appeal.objects.filter(item=item).exists():
            return item  # a second post of the same appeal changes nothing
        _check_appealable(item)
        key = appeal_key(item.fact, item.response)
        ruling = AppealRuling.objects.filter(
            fact=item.fact, normalised=key, decision=AppealRuling.Decision.REJECTED
        ).first()
        if ruling is not None:
            raise AppealRefused(
                _("An editor has already ruled this answer out: %(reason)s")
                % {"reason": ruling.reason or _("it is not the answer.")}
            )
        try:
            with transaction.atomic():
                Appeal.objects.create(
                    item=item, user=user, fact=item.fact, response=item.response, normalised=key
                )
        except IntegrityError:
            return item  # another request recorded it first
        item.verdict = QuizItem.Verdict.CORRECT
        item.save(update_fields=["verdict"])
        _recount(item)
        _rerate(item)
        return item


def _check_appealable(item: QuizItem) -> None:
    if not item.is_answered:
        raise AppealRefused(_("Answer the question before appealing."))
    if item.options or not item.response:
        raise AppealRefused(_("Only a typed answer can be appealed."))
    if item.verdict != QuizItem.Verdict.WRONG:
        raise AppealRefused(_("This answer already counts as correct."))


def _recount(item: QuizItem) -> None:
    quiz = item.quiz
    Quiz.objects.filter(pk=quiz.pk).update(correct_count=F("correct_count") + 1)
    Question.objects.filter(pk=item.question_id).update(times_correct=F("times_correct") + 1)
    TopicScore.objects.filter(user_id=quiz.user_id, topic_id=item.fact.topic_id).update(
        correct=F("correct") + 1
    )
    if quiz.is_finished and quiz.mode == Quiz.Mode.TOPIC:
        # The finished quiz's score rose: so do the topic's best, and its trend if it is there.
        finished = Quiz.objects.filter(
            user_id=quiz.user_id, topic_id=quiz.topic_id, mode=Quiz.Mode.TOPIC, finished_at__isnull=False
        ).order_by("-finished_at", "-pk")
        recent = list(finished.values_list("correct_count", "item_count")[:RECENT_SCORES_KEPT])
        scores = [round(correct / total, 4) if total else 0.0 for correct, total in reversed(recent)]
        new_score = round((quiz.correct_count + 1) / quiz.item_count, 4)
        TopicScore.objects.filter(user_id=quiz.user_id, topic_id=quiz.topic_id).update(
            recent_scores=scores,
            last_score=scores[-1] if scores else None,
            best_score=Greatest(Coalesce(F("best_score"), Value(new_score)), Value(new_score)),
        )


def _rerate(item: QuizItem) -> None:
    card = Card.objects.select_for_update().filter(user_id=item.quiz.user_id, fact_id=item.fact_id).first()
    if card is None:
        return
    logs = list(card.logs.order_by("reviewed_at", "pk"))
    again = RATING_FOR_VERDICT[QuizItem.Verdict.WRONG].value
    appealed = next(
        (log for log in logs if log.reviewed_at == item.answered_at and log.rating == again), None
    )
    if appealed is None:
        return
    appealed.rating = RATING_FOR_VERDICT[QuizItem.Verdict.CORRECT].value
    retention = (
        LearnerProfile.objects.filter(user_id=card.user_id)
        .values_list("desired_retention", flat=True)
        .first()
    ) or DEFAULT_RETENTION
    if not scheduling.rerate(card, logs, appealed, retention):
        # Reviews from before the history was kept cannot be replayed: only the miss goes.
        card.misses = max(0, card.misses - 1)
    ReviewLog.objects.bulk_update(logs, ["rating", "previous"])
    card.save()


# --- editors' rulings ----------------------------------------------------------------------


def accept(fact: KeyFact, key: str, editor) -> str:
    """Make the appealed answer `key` an alternative of the fact, in the article's markup,
    and save the article as an editor would; returns the text added."""
    response = Appeal.objects.filter(fact=fact, normalised=key).values_list("response", flat=True).first()
    if response is None:
        raise RulingFailed(_("Nobody has appealed that answer."))
    text = " ".join(response.split())
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=fact.article_id)
        article.body = with_alternative(article.body, fact, text)
        article.save()
        _rule(fact, key, text, AppealRuling.Decision.ACCEPTED, "", editor)
    return text


def reject(fact: KeyFact, key: str, reason: str, editor) -> None:
    response = Appeal.objects.filter(fact=fact, normalised=key).values_list("response", flat=True).first()
    if response is None:
        raise RulingFailed(_("Nobody has appealed that answer."))
    _rule(fact, key, response, AppealRuling.Decision.REJECTED, reason.strip()[:200], editor)


def _rule(fact, key, response, decision, reason, editor) -> None:
    AppealRuling.objects.update_or_create(
        fact=fact,
        normalised=key,
        defaults={"response": response, "decision": decision, "reason": reason, "decided_by": editor},
    )


def with_alternative(body: str, fact: KeyFact, text: str) -> str:
    """`body` with `|text` added to the fact's markup, every other piece kept as written."""
    try:
        parsed = scan(body)
    except MarkupError as error:
        raise RulingFailed(_("The article's markup has errors; fix them first.")) from error
    source_fact = _find(parsed, fact)
    source = body[source_fact.start : source_fact.end]
    if not (source.startswith("{{") and source.endswith("}}")):
        raise RulingFailed(_("This fact's markup could not be found in the article."))
    inner = source[2:-2]
    addition = "|" + "".join(f"\\{char}" if char in _SEPARATORS else char for char in text)
    expected = (
        source_fact.answer,
        (*source_fact.alternatives, text),
        source_fact.wrong_options,
        source_fact.hint,
    )
    # The alternative goes where the parser reads it: before the first "~" or "::", or at the end.
    candidates = sorted(
        {index for index, char in enumerate(inner) if char == "~" or inner.startswith("::", index)}
        | {len(inner.rstrip())}
    )
    for at in candidates:
        candidate = inner[:at].rstrip() + addition + (" " if inner[at : at + 1] == "~" else "") + inner[at:]
        try:
            written = parse_fact_body(candidate)
        except MarkupError:
            continue
        if (written.answer, written.alternatives, written.wrong_options, written.hint) == expected:
            return body[: source_fact.start] + "{{" + candidate + "}}" + body[source_fact.end :]
    raise RulingFailed(_("This answer cannot be written into the fact's markup; edit the article instead."))


def _find(parsed, fact: KeyFact):
    """The parsed fact that is `fact`: same answer and sentence, at its position if it can."""
    same = [p for p in parsed if p.answer == fact.answer and p.sentence == fact.sentence]
    if not same:
        raise RulingFailed(_("This fact is no longer in the article."))
    at_position = [p for index, p in enumerate(parsed) if index == fact.position and p in same]
    return (at_position or same)[0]
