"""FSRS's vocabulary as the app stores it: card states, ratings, the rating each verdict gives,
and the desired retention a learner may choose. Plain constants that models and scheduler share."""

import fsrs

from quizzes.grading import Verdict

State = fsrs.State  # Card.state: 1 learning, 2 review, 3 relearning
Rating = fsrs.Rating  # ReviewLog.rating: 1 again, 2 hard, 3 good (4, easy, is never given)

# What an answer tells FSRS: wrong -> Again, right with a typo -> Hard, right -> Good.
RATING_FOR_VERDICT = {
    Verdict.WRONG: Rating.Again,
    Verdict.TYPO: Rating.Hard,
    Verdict.CORRECT: Rating.Good,
}
VERDICT_FOR_RATING = {rating.value: verdict for verdict, rating in RATING_FOR_VERDICT.items()}

# The share of reviews a learner wants to get right: FSRS schedules reviews to reach it.
DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.80
MAX_RETENTION = 0.97
