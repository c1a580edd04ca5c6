"""Question statistics: Moodle's discrimination index, from finished quizzes."""

from collections import defaultdict
from math import sqrt

from quizzes.models import QuizItem

# Below this many answers a correlation says more about luck than about the question.
MIN_ANSWERS = 10
CORRECT = (QuizItem.Verdict.CORRECT, QuizItem.Verdict.TYPO)


def discrimination_index(attempts: list[tuple[float, float]]) -> float | None:
    """Pearson correlation between the question's score and the rest of the quiz's score.

    Each attempt is (score on this question 0..1, share correct on the other questions 0..1),
    as Moodle defines it; None when there are too few attempts or no spread to correlate.
    """
    if len(attempts) < MIN_ANSWERS:
        return None
    count = len(attempts)
    mean_x = sum(x for x, _ in attempts) / count
    mean_y = sum(y for _, y in attempts) / count
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in attempts)
    spread_x = sqrt(sum((x - mean_x) ** 2 for x, _ in attempts))
    spread_y = sqrt(sum((y - mean_y) ** 2 for _, y in attempts))
    if spread_x == 0 or spread_y == 0:
        return None
    return covariance / (spread_x * spread_y)


def discrimination_by_question(question_ids) -> dict[int, float | None]:
    """The index of each question, from every finished quiz that asked it (one query)."""
    attempts = defaultdict(list)
    rows = QuizItem.objects.filter(
        question_id__in=list(question_ids), quiz__finished_at__isnull=False, quiz__item_count__gte=2
    ).values_list("question_id", "verdict", "quiz__correct_count", "quiz__item_count")
    for question_id, verdict, quiz_correct, quiz_items in rows.iterator(chunk_size=5000):
        mine = 1.0 if verdict in CORRECT else 0.0
        attempts[question_id].append((mine, (quiz_correct - mine) / (quiz_items - 1)))
    return {question_id: discrimination_index(attempts[question_id]) for question_id in question_ids}
