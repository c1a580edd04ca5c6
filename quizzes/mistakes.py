"""Learners' frequent wrong answers to a fact: the most tempting wrong options there are."""

from collections import Counter, defaultdict
from collections.abc import Iterable

from quizzes.grading import normalise
from quizzes.kinds import to_half_width

# A wrong answer becomes an option once this many different learners typed it.
MIN_LEARNERS = 3


def frequent_mistakes(
    rows: Iterable[tuple[int, str, int]], min_learners: int = MIN_LEARNERS
) -> dict[int, list[str]]:
    """From (fact id, typed answer, learner id) rows: each fact's mistakes, most learners first.

    Spellings that normalise alike are one mistake, written as most learners wrote it (in
    half-width forms: `ＳＧＤ` is shown as `SGD`); a learner who typed it twice counts once.
    """
    learners: dict[tuple[int, str], set[int]] = defaultdict(set)
    spellings: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for fact_id, typed, learner_id in rows:
        typed = typed.strip()
        form = normalise(typed)
        if not form:
            continue
        learners[(fact_id, form)].add(learner_id)
        spellings[(fact_id, form)][typed] += 1
    result: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for (fact_id, form), who in learners.items():
        if len(who) >= min_learners:
            written = to_half_width(spellings[(fact_id, form)].most_common(1)[0][0])
            result[fact_id].append((-len(who), form, written))
    return {fact_id: [written for *_, written in sorted(found)] for fact_id, found in result.items()}
