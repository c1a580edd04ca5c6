"""Choose the wrong options of a multiple-choice question, or decide that no good ones exist.

Order of preference (a later source only fills what the earlier ones left):
1. the editor's `~` options, in their order;
2. the answer's siblings in the term bank (same category), nearest first: those the editor
   named beside it, then the bank's neighbours; a Greek letter's siblings are the other letters;
3. wrong answers several learners typed for this fact, most frequent first;
4. for a number, values of the same shape (`quizzes.number_shapes`);
5. same-kind answers of the article, the topic, then the library.

Rules:
- Nothing that grades as correct against the answer, its alternatives or any term-bank alias
  of it; nothing the question's stem names (the stem would rule it out); no duplicate.
- Siblings are written the way the answer is: in its script, with as many words, in backticks
  when it is code (`何恺明` takes `李飞飞`, `Kaiming` takes `Hinton`).
- Automatic options from sources 3 to 5 have the answer's kind and script; numbers also its
  shape; when the bank knows the answer's category, nothing of another category; and, except
  learners' mistakes, a similar length (within half the answer's length, but always 3 and never
  more than 6 characters) and no overlap with the answer (`Adam-W` is no option for `AdamW`).
- Editor options, siblings and learners' mistakes are trusted on looking like the answer
  (`~Adam` for `AdamW` is a sibling, not a typo); other automatic options are graded with no
  known terms, so any one-letter variant of the answer is refused.
- Two options are the same option when their comparison forms match after their own kind's rules
  and case folding (`Yield` and `yield` are one option), or when they are the same number.
"""

import enum
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import NamedTuple

from quizzes.giveaways import mentions
from quizzes.grading import grade, normalise
from quizzes.kinds import Classified, Kind, Script, classify, is_wrapped, parse_number
from quizzes.number_shapes import same_shape_fractions, same_shape_values, shape_key
from terms.bank import BankTerm, TermBank

MAX_LENGTH_DIFFERENCE = 6
MIN_LENGTH_DIFFERENCE = 3
EMPTY_BANK = TermBank()


class Source(enum.StrEnum):
    EDITOR = "editor"
    BANK = "bank"
    MISTAKE = "mistake"
    NUMBER = "number"
    ARTICLE = "article"
    TOPIC = "topic"
    LIBRARY = "library"


class Option(NamedTuple):
    text: str
    source: Source


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
    **sources,
) -> tuple[str, ...] | None:
    """Exactly `count` wrong options, best first, or None when fewer good ones exist."""
    chosen = choose_options(
        answer,
        alternatives,
        editor_options,
        same_article=same_article,
        same_topic=same_topic,
        library=library,
        seed=seed,
        count=count,
        **sources,
    )
    return None if chosen is None else tuple(option.text for option in chosen)


def choose_options(
    answer: str, alternatives: Sequence[str], editor_options: Sequence[str], *, count: int = 3, **sources
) -> tuple[Option, ...] | None:
    """Like choose_wrong_options, with the source of each option."""
    chosen = []
    for option in ranked_options(answer, alternatives, editor_options, **sources):
        chosen.append(option)
        if len(chosen) == count:
            return tuple(chosen)
    return None


def ranked_wrong_options(
    answer: str, alternatives: Sequence[str], editor_options: Sequence[str], **sources
) -> Iterator[str]:
    """Every good wrong option's text, best source first."""
    return (option.text for option in ranked_options(answer, alternatives, editor_options, **sources))


def ranked_options(
    answer: str,
    alternatives: Sequence[str],
    editor_options: Sequence[str],
    *,
    same_article: Sequence[str] = (),
    same_topic: Sequence[str] = (),
    library: Sequence[str] = (),
    seed: int,
    bank: TermBank = EMPTY_BANK,
    mistakes: Sequence[str] = (),
    stem: str = "",
    today: date | None = None,
) -> Iterator[Option]:
    """Every good wrong option, best source first, shuffled by `seed` where order is not meant."""
    rng = random.Random(seed)
    accepted = [*alternatives, *sorted(bank.aliases_for(answer) - {answer})]
    taken = {_identity(text) for text in (answer, *accepted)}

    def fresh(option: str, *, known_terms: Sequence[str]) -> bool:
        identity = _identity(option)
        if not identity or identity in taken or (stem and mentions(stem, option)):
            return False
        if grade(option, answer, accepted, known_terms=known_terms).accepted:
            return False
        taken.add(identity)
        return True

    for option in editor_options:
        option = option.strip()
        if fresh(option, known_terms=editor_options):
            yield Option(option, Source.EDITOR)

    for option in _siblings(answer, bank, near=editor_options, rng=rng):
        if fresh(option, known_terms=[option]):
            yield Option(option, Source.BANK)

    looks_alike = _look_alike_test(answer, accepted, bank)
    for option in dict.fromkeys(text.strip() for text in mistakes):
        # What several learners typed (and was graded wrong) is plausible whatever its length
        # or overlap with the answer (`Adam` for `AdamW`); kind and script still hold.
        if looks_alike(option, typed_by_learners=True) and fresh(option, known_terms=[option]):
            yield Option(option, Source.MISTAKE)

    for option in _same_shape_numbers(answer, today):
        if looks_alike(option) and fresh(option, known_terms=()):
            yield Option(option, Source.NUMBER)

    for source, tier in (
        (Source.ARTICLE, same_article),
        (Source.TOPIC, same_topic),
        (Source.LIBRARY, library),
    ):
        candidates = list(dict.fromkeys(text.strip() for text in tier))
        rng.shuffle(candidates)
        for option in candidates:
            if looks_alike(option) and fresh(option, known_terms=()):
                yield Option(option, source)


def _siblings(answer: str, bank: TermBank, *, near: Sequence[str], rng: random.Random) -> list[str]:
    """The answer's siblings in the bank written like it, nearest first; ties in random order."""
    letters = _sibling_letters(answer)
    if letters:
        rng.shuffle(letters)
        return letters
    siblings = bank.siblings(answer, near=near)
    # Equally near siblings (one before, one after in the bank) are taken in seeded order.
    keyed = [(index // 2, rng.random(), term) for index, term in enumerate(siblings)]
    written = (_written_like(answer, term) for _, _, term in sorted(keyed, key=lambda row: row[:2]))
    return [text for text in written if text]


def _written_like(answer: str, term: BankTerm) -> str | None:
    """The spelling of `term` that could stand where `answer` stands, or None."""
    text = answer.strip()
    wrapper = "`" if is_wrapped(text, "`") else "$" if is_wrapped(text, "$") else ""
    bare = text.strip(wrapper) if wrapper else text
    wanted = classify(text)
    fits = [
        spelling
        for spelling in term.spellings
        if _same_look(classify(f"{wrapper}{spelling}{wrapper}"), wanted)
    ]
    if not fits:
        return None
    words = len(bare.split())
    best = min(fits, key=lambda spelling: (len(spelling.split()) != words, abs(len(spelling) - len(bare))))
    return f"{wrapper}{best}{wrapper}"


def _same_look(one: Classified, other: Classified) -> bool:
    """Whether a sibling spelled `one` can stand beside an answer spelled `other`: code beside
    code, and Latin words beside Latin identifiers (`subsample`, `max_samples`)."""
    if one.kind is Kind.CODE or other.kind is Kind.CODE:
        return one.kind == other.kind
    latin = {Kind.LATIN, Kind.MIXED}
    if one.script is other.script is Script.LATIN and {one.kind, other.kind} <= latin:
        return True
    return one == other


def _identity(text: str) -> object:
    """What makes two options the same option: `0.50` is `0.5`, `權重` is `权重`."""
    kind = classify(text).kind
    if kind is Kind.NUMBER and (number := parse_number(text)):
        return (number.value, number.unit)
    return normalise(normalise(text, code=kind is Kind.CODE, formula=kind is Kind.FORMULA))


def _look_alike_test(answer: str, accepted: Sequence[str], bank: TermBank) -> Callable[[str], bool]:
    """A test that an automatic option could pass for the answer without giving it away."""
    classified = classify(answer)
    kind = classified.kind
    answer_number = parse_number(answer) if kind is Kind.NUMBER else None
    answer_length = len(normalise(answer, code=kind is Kind.CODE, formula=kind is Kind.FORMULA))
    allowed_difference = min(MAX_LENGTH_DIFFERENCE, max(MIN_LENGTH_DIFFERENCE, answer_length // 2))
    category = bank.category_of(answer)
    # Case-insensitive even for code: `Yield` beside `yield` is a trick, not a question.
    accepted_forms = [normalise(text) for text in (answer, *accepted)]
    accepted_forms = [form for form in accepted_forms if form]

    def looks_alike(option: str, typed_by_learners: bool = False) -> bool:
        if classify(option) != classified:
            return False
        if answer_number is not None:
            option_number = parse_number(option)
            if option_number is None or shape_key(option_number) != shape_key(answer_number):
                return False
        if category and bank.category_of(option) not in ("", category):
            return False
        length = len(normalise(option, code=kind is Kind.CODE, formula=kind is Kind.FORMULA))
        if not typed_by_learners and abs(length - answer_length) > allowed_difference:
            return False
        form = normalise(option)
        # `0.95` beside `0.9` is another value, not a give-away.
        if answer_number is not None or typed_by_learners:
            return bool(form)
        return bool(form) and not any(form in other or other in form for other in accepted_forms)

    return looks_alike


# Greek letters that name things in ML formulas (learning rate, momentum, epsilon, ...): an
# answer that is one of them takes the others as options, as a term takes its siblings.
GREEK_LETTERS = ("αβγδεηθλμρστφω", "ΓΔΘΛΣΦΨΩ")


def _sibling_letters(answer: str) -> list[str]:
    """The other Greek letters of the answer's case, when the answer is one letter (maybe in $)."""
    letter = answer.strip().strip("$").strip()
    for letters in GREEK_LETTERS:
        if len(letter) == 1 and letter in letters:
            wrapped = answer.strip().startswith("$")
            return [f"${other}$" if wrapped else other for other in letters if other != letter]
    return []


def _same_shape_numbers(answer: str, today: date | None) -> list[str]:
    if classify(answer).kind is not Kind.NUMBER:
        return same_shape_fractions(answer)
    number = parse_number(answer)
    return same_shape_values(number, today) if number else []
