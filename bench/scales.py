"""The sizes the bench builds and measures at, and the names that mark its data as its own."""

from dataclasses import dataclass

PREFIX = "bench-"  # of every username, topic slug and article slug the bench creates
MARKER = "notesite benchmark data, scale "  # of the bench topics' descriptions
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
