"""An article moved to another topic takes its facts, their cards and their scores along.

A learner's TopicScore counts the answers given to the topic's facts. When a note moves, the
answers given to its facts leave the old topic's totals and join the new topic's: each answer is
counted once, in the topic its fact is in now. Quiz-level figures (quizzes done, last and best
score) belong to the quiz's topic and stay.
"""

from django.db import transaction
from django.db.models import Count, Q

from quizzes.models import Card, KeyFact, QuizItem, TopicScore


def move_to_topic(article) -> None:
    """Bring every fact of the article (retired ones too) into the article's topic."""
    moving = KeyFact.objects.filter(article=article).exclude(topic_id=article.topic_id)
    if not article.pk or not moving.exists():
        return
    with transaction.atomic():
        _move_scores(article)
        Card.objects.filter(fact__article=article).exclude(topic_id=article.topic_id).update(
            topic_id=article.topic_id
        )
        moving.update(topic_id=article.topic_id)


def _move_scores(article) -> None:
    answered = (
        QuizItem.objects.filter(fact__article=article, answered_at__isnull=False)
        .exclude(fact__topic_id=article.topic_id)
        .values_list("quiz__user_id", "fact__topic_id")
        .annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(verdict__in=[QuizItem.Verdict.CORRECT, QuizItem.Verdict.TYPO])),
        )
        .order_by()
    )
    moves = {(user, topic): (count, correct) for user, topic, count, correct in answered}
    if not moves:
        return
    users = {user for user, _ in moves}
    TopicScore.objects.bulk_create(
        [TopicScore(user_id=user, topic_id=article.topic_id) for user in sorted(users)],
        ignore_conflicts=True,
    )
    topics = {topic for _, topic in moves} | {article.topic_id}
    # Locked: an answer recorded meanwhile adds to these rows with F() once the move commits.
    scores = {
        (score.user_id, score.topic_id): score
        for score in TopicScore.objects.select_for_update().filter(user_id__in=users, topic_id__in=topics)
    }
    for (user, topic), (count, correct) in moves.items():
        source, target = scores.get((user, topic)), scores[(user, article.topic_id)]
        if source is not None:
            # Never below zero: a topic's score may count fewer answers than its facts' history holds.
            source.answered = max(source.answered - count, 0)
            source.correct = max(source.correct - correct, 0)
        target.answered += count
        target.correct += correct
    TopicScore.objects.bulk_update(list(scores.values()), ["answered", "correct"])
