"""Choose the wrong options of a multiple-choice question, or decide that no good ones exist.

Rules the brief left to decide:
- Similar length: an automatic option's normalised length may differ from the answer's by half
  the answer's length, but always by 3 and never by more than 6 characters (`AdamW` takes
  `Momentum`, not `SGD` beside `Transformer`).
- Kind: automatic options have the answer's kind and script (see `quizzes.kinds`); numbers must
  also have its shape: same suffix (`%`, `x`, ...), both years or neither, both whole or neither.
- Editor options are trusted on kind and length and on looking like the answer: they are only
  dropped when they duplicate an earlier option or grade as accepted. They count as known terms
  (so `~Adam` for `AdamW` is wrong, not a typo).
- Automatic options are graded with no known terms, so any one-letter variant of the answer is
  refused even when it is another fact's answer: `Adam-W` never stands beside `AdamW`.
- A year is a whole number from 1800 to 2100 written without separators, and not a power of two
  (`1024`, `2048` are sizes). Nearby years stay within ±5 and never pass the current year unless
  the answer itself does.
- Two options are the same option when their comparison forms match after their own kind's rules
  and case folding (`Yield` and `yield` are one option), or when they are the same number.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from quizzes.grading import grade, normalise
from quizzes.kinds import Kind, Number, classify, parse_number

MAX_LENGTH_DIFFERENCE = 6
MIN_LENGTH_DIFFERENCE = 3
# Past this, "nearby" numbers stop being plausible and Decimal arithmetic stops being cheap.
NEARBY_NUMBERS_LIMIT = Decimal(10) ** 15


def choose_wrong_options(
    answer: str,
    alternatives: Sequence[str],
    editor_options: Sequence[str],
    *,
    same_article: Sequence[str],
    same_topic: Sequence[str],
    library: Sequence[str],
    seed: int,
    count: int = 3,
) -> tuple[str, ...] | None:
    """Exactly `count` wrong options, best first, or None when fewer good ones exist."""
    chosen = []
    for option in ranked_wrong_options(
        answer,
        alternatives,
        editor_options,
        same_article=same_article,
        same_topic=same_topic,
        library=library,
        seed=seed,
    ):
        chosen.append(option)
        if len(chosen) == count:
            return tuple(chosen)
    return None


def ranked_wrong_options(
    answer: str,
    alternatives: Sequence[str],
    editor_options: Sequence[str],
    *,
    same_article: Sequence[str],
    same_topic: Sequence[str],
    library: Sequence[str],
    seed: int,
) -> Iterator[str]:
    """Every good wrong option, best tier first, shuffled by `seed` within a tier."""
    rng = random.Random(seed)
    taken = {_identity(text) for text in (answer, *alternatives)}

    def fresh(option: str, *, known_terms: Sequence[str]) -> bool:
        identity = _identity(option)
        if not identity or identity in taken:
            return False
        if grade(option, answer, alternatives, known_terms=known_terms).accepted:
            return False
        taken.add(identity)
        return True

    for option in editor_options:
        option = option.strip()
        if fresh(option, known_terms=editor_options):
            yield option

    looks_alike = _look_alike_test(answer, alternatives)
    for tier in (same_article, _nearby_numbers(answer), _sibling_letters(answer), same_topic, library):
        candidates = list(dict.fromkeys(text.strip() for text in tier))
        rng.shuffle(candidates)
        for option in candidates:
            if looks_alike(option) and fresh(option, known_terms=()):
                yield option


def _identity(text: str) -> object:
    """What makes two options the same option: `0.50` is `0.5`, `權重` is `权重`."""
    kind = classify(text).kind
    if kind is Kind.NUMBER and (number := parse_number(text)):
        return (number.value, number.unit)
    return normalise(normalise(text, code=kind is Kind.CODE, formula=kind is Kind.FORMULA))


def _look_alike_test(answer: str, alternatives: Sequence[str]) -> Callable[[str], bool]:
    """A test that an automatic option could pass for the answer without giving it away."""
    classified = classify(answer)
    kind = classified.kind
    answer_number = parse_number(answer) if kind is Kind.NUMBER else None
    answer_length = len(normalise(answer, code=kind is Kind.CODE, formula=kind is Kind.FORMULA))
    allowed_difference = min(MAX_LENGTH_DIFFERENCE, max(MIN_LENGTH_DIFFERENCE, answer_length // 2))
    # Case-insensitive even for code: `Yield` beside `yield` is a trick, not a question.
    accepted_forms = [normalise(text) for text in (answer, *alternatives)]
    accepted_forms = [form for form in accepted_forms if form]

    def looks_alike(option: str) -> bool:
        if classify(option) != classified:
            return False
        if answer_number is not None:
            option_number = parse_number(option)
            if option_number is None or _shape(option_number) != _shape(answer_number):
                return False
        length = len(normalise(option, code=kind is Kind.CODE, formula=kind is Kind.FORMULA))
        if abs(length - answer_length) > allowed_difference:
            return False
        form = normalise(option)
        return bool(form) and not any(form in other or other in form for other in accepted_forms)

    return looks_alike


def _shape(number: Number) -> tuple[object, ...]:
    return (number.unit, _is_year(number), number.decimals == 0, number.exponent is None)


def _is_year(number: Number) -> bool:
    value = number.value
    return (
        not number.suffix
        and not number.grouped
        and number.exponent is None
        and number.decimals == 0
        and 1800 <= value <= 2100
        and not _is_power_of_two(int(value))
    )


def _is_power_of_two(value: int) -> bool:
    return value >= 2 and value & (value - 1) == 0


# Greek letters that name things in ML formulas (learning rate, momentum, epsilon, ...): an
# answer that is one of them takes the others as options, the way a number takes its neighbours.
GREEK_LETTERS = ("αβγδεηθλμρστφω", "ΓΔΘΛΣΦΨΩ")


def _sibling_letters(answer: str) -> list[str]:
    """The other Greek letters of the answer's case, when the answer is one letter (maybe in $)."""
    letter = answer.strip().strip("$").strip()
    for letters in GREEK_LETTERS:
        if len(letter) == 1 and letter in letters:
            wrapped = answer.strip().startswith("$")
            return [f"${other}$" if wrapped else other for other in letters if other != letter]
    return []


def _nearby_numbers(answer: str) -> list[str]:
    """Plausible values near a numeric answer, written the way the answer is written."""
    if classify(answer).kind is not Kind.NUMBER:
        return []
    number = parse_number(answer)
    if number is None or abs(number.value) >= NEARBY_NUMBERS_LIMIT:
        return []
    if number.exponent is not None:
        return _nearby_scientific(number)
    value = number.value
    if _is_year(number):
        latest = max(int(value), date.today().year)
        years = range(int(value) - 5, int(value) + 6)
        return [str(year) for year in years if year != value and year <= latest]
    if number.decimals == 0:
        # A share moves in steps of ten points at most: 100% -> 90%, not 200%.
        largest_step = 10 if number.unit == "%" else None
        candidates = [(candidate, 0) for candidate in _nearby_integers(int(value), largest_step)]
    else:
        step = Decimal(1).scaleb(-number.decimals)
        candidates = [(value + k * step, number.decimals) for k in (-2, -1, 1, 2)]
        candidates.append((value / 10, number.decimals + 1))
        # 0.5 -> 5 leaves the range a ratio lives in; 3.14 -> 31.4 is still a number like it.
        if abs(value) >= 1 or abs(value * 10) < 1:
            candidates.append((value * 10, max(number.decimals - 1, 0)))
    return [
        _written_like(number, candidate, decimals)
        for candidate, decimals in candidates
        if candidate != value
        and (value <= 0 or candidate > 0)
        and (value < 0 or candidate >= 0)
        and not (number.unit == "%" and value <= 100 < candidate)
    ]


def _nearby_integers(value: int, largest_step: int | None = None) -> list[int]:
    if _is_power_of_two(value):  # powers of two go to neighbouring powers
        return [value // 4, value // 2, value * 2, value * 4]
    digits = str(abs(value))
    trailing_zeros = len(digits) - len(digits.rstrip("0")) if value else 0
    # Step on the last non-zero digit of a round number, else on the second digit: 175 -> 165.
    step = 10 ** max(trailing_zeros, len(digits) - 2)
    step = min(step, largest_step or step)
    nearby = [value + k * step for k in (-2, -1, 1, 2)] + [value * 2]
    if value % 2 == 0:
        nearby.append(value // 2)
    return nearby


def _nearby_scientific(number: Number) -> list[str]:
    sign = "-" if number.value < 0 else ""
    shifts = [number.exponent + k for k in (-2, -1, 1, 2)]
    written = [f"{sign}{number.mantissa}e{exponent}{number.suffix}" for exponent in shifts]
    if number.mantissa.isdigit():
        mantissa = int(number.mantissa)
        written += [
            f"{sign}{other}e{number.exponent}{number.suffix}"
            for other in (mantissa - 1, mantissa + 1)
            if 0 < other < 10
        ]
    return written


def _written_like(number: Number, value: Decimal, decimals: int) -> str:
    grouping = "," if number.grouped else ""
    return f"{value:{grouping}.{decimals}f}{number.suffix}"
