"""Which fact of an article's new text continues which fact of its old text.

A fact keeps its identity (and so every learner's history with it) while its answer stays the
same answer and its sentence stays recognisably the same sentence. "The same answer" forgives
formatting (case, full-width characters, spaces, backticks, a hyphen joining words: `Adam W`,
`Adam-W`, `adamw` and `` `AdamW` `` are one answer), a swap between the answer and one of its
alternatives, and a one-letter spelling fix of a long Latin word (`Vaswanni` -> `Vaswani`).
Anything else that changes the answer changes what a learner must know (`p` -> `1-p`,
`2017` -> `2018`, `L1` -> `L2`): that is a different fact, however similar the sentence.

Pairs are chosen one-to-one across the article, best first: the most similar sentence, then the
closest answer, then the closest position; facts still in the text are matched before facts
retired earlier (a restored paragraph brings its facts' history back).
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rapidfuzz.distance import OSA, LCSseq, Levenshtein

from articles.markup import BLANK

# A sentence at least this similar (0..1, see sentence_similarity) continues the old one.
MIN_SIMILARITY = 0.55
# A corrected answer spelling must come with an almost unchanged sentence.
MIN_SIMILARITY_FOR_SPELLING_FIX = 0.75
# Shorter Latin words are too close to other words for a one-letter change to be a typo fix.
SPELLING_FIX_MIN_LETTERS = 6

_SPACES_AND_BACKTICKS = re.compile(r"[\s`\u200b-\u200d\ufeff]+")
# A hyphen inside a word ("Adam-W", "t-SNE"), not a minus between symbols ("a-b", "1-p").
_JOINING_HYPHEN = re.compile(r"(?<=[^\W\d_]{2})[-‐‑](?=[^\W\d_])|(?<=[^\W\d_])[-‐‑](?=[^\W\d_]{2})")
# A Latin word or a number (with the marks inside them: "don't", "3.14", "t-sne"); or one other
# letter (a Chinese character), the blank where the answer stands, or an operator.
_TOKEN = re.compile(rf"[a-z0-9](?:[a-z0-9_'.\-]*[a-z0-9])?|[^\W\d_a-z]|[{BLANK}+*/=<>^%]")


class Relation(IntEnum):
    """How a new answer relates to an old one, closest first."""

    SAME = 0
    FORMATTING = 1  # case, width, spaces, backticks, a joining hyphen
    ALTERNATIVE = 2  # the new answer was an accepted alternative, or the other way round
    SPELLING = 3  # one lowercase letter added, removed, changed or swapped in a long word


@dataclass(frozen=True)
class FactVersion:
    """One fact as the matcher sees it: what it asks and where it stands."""

    answer: str
    sentence: str  # with articles.markup.BLANK where the answer stands
    position: int
    alternatives: tuple[str, ...] = ()
    retired: bool = False  # an old fact no longer in the text (never set on new ones)


@lru_cache(maxsize=8192)
def answer_key(answer: str) -> str:
    """The answer without its formatting: equal keys are one answer."""
    text = _SPACES_AND_BACKTICKS.sub("", unicodedata.normalize("NFKC", answer))
    return _JOINING_HYPHEN.sub("", text).casefold()


def _spelling_form(answer: str) -> str:
    return _JOINING_HYPHEN.sub("", _SPACES_AND_BACKTICKS.sub("", unicodedata.normalize("NFKC", answer)))


def is_spelling_fix(old: str, new: str) -> bool:
    """One lowercase letter added, removed, changed or swapped in a long Latin word.

    Capitals, digits and symbols carry meaning (`ResNet`/`ResNeXt`, `L1`/`L2`, `x+1`/`x-1`),
    and a short word one letter away is usually another word (`Adam`/`AdamW`, `float`/`floor`).
    """
    a, b = _spelling_form(old), _spelling_form(new)
    if min(len(a), len(b)) < SPELLING_FIX_MIN_LETTERS:
        return False
    if not (a.isascii() and b.isascii() and a.isalpha() and b.isalpha()):
        return False
    lower_a, lower_b = a.lower(), b.lower()
    if lower_a == lower_b:
        return False
    operations = Levenshtein.editops(lower_a, lower_b)
    changed = []
    for operation in operations:
        if operation.tag != "insert":
            changed.append(a[operation.src_pos])
        if operation.tag != "delete":
            changed.append(b[operation.dest_pos])
    if len(operations) == 1:
        return all(letter.islower() for letter in changed)
    if len(operations) == 2 and OSA.distance(lower_a, lower_b) == 1:  # two neighbours swapped
        return all(letter.islower() for letter in changed)
    return False


def answer_relation(old: FactVersion, new: FactVersion) -> Relation | None:
    """How close the new answer is to the old one; None when it is a different answer."""
    if old.answer.strip() == new.answer.strip():
        return Relation.SAME
    old_key, new_key = answer_key(old.answer), answer_key(new.answer)
    if old_key == new_key:
        return Relation.FORMATTING
    if new_key in {answer_key(text) for text in old.alternatives} or old_key in {
        answer_key(text) for text in new.alternatives
    }:
        return Relation.ALTERNATIVE
    if is_spelling_fix(old.answer, new.answer):
        return Relation.SPELLING
    return None


@lru_cache(maxsize=8192)
def sentence_tokens(sentence: str) -> tuple[str, ...]:
    """Words to compare: a Latin word or a number whole, any other letter alone, no punctuation.

    A Chinese sentence has no spaces; each character is about one word's weight there, and a
    typo fixed inside an English word changes one word, not the whole sentence.
    """
    return tuple(_TOKEN.findall(unicodedata.normalize("NFKC", sentence).casefold()))


def sentence_similarity(old: str, new: str) -> float:
    """0..1: how much of the two sentences' words they share, in order and in any order.

    Each count is scored as the mean of the overall likeness and of how much of the shorter
    sentence is kept: the second forgives a sentence shortened or extended around the fact, the
    first keeps a short sentence from passing for any long one that contains its words. Words
    in any order forgive clauses swapped ("ViT 由谷歌在 2020 年提出" / "2020 年，谷歌提出了 ViT").
    """
    a, b = sentence_tokens(old), sentence_tokens(new)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0

    def score(common: int) -> float:
        return (2 * common / (len(a) + len(b)) + common / min(len(a), len(b))) / 2

    in_order = LCSseq.similarity(a, b)
    any_order = (Counter(a) & Counter(b)).total()
    return (score(in_order) + score(any_order)) / 2


def _threshold(relation: Relation) -> float:
    return MIN_SIMILARITY_FOR_SPELLING_FIX if relation is Relation.SPELLING else MIN_SIMILARITY


def match_facts(old: Sequence[FactVersion], new: Sequence[FactVersion]) -> list[int | None]:
    """For each new fact, the index of the old fact it continues, or None for a new fact.

    One-to-one: no old fact continues into two new ones, and no two new facts share an old
    one. Deterministic: ties fall to the same rank among facts with that answer, then to the
    closer position, then to the earlier fact.
    """
    continued: list[int | None] = [None] * len(new)
    for retired in (False, True):
        olds = [index for index, fact in enumerate(old) if fact.retired is retired]
        news = [index for index, target in enumerate(continued) if target is None]
        for new_index, old_index in _pairs(old, new, olds, news):
            continued[new_index] = old_index
    return continued


def _pairs(old, new, olds: list[int], news: list[int]) -> list[tuple[int, int]]:
    """Greedy by best candidate: every acceptable pair ranked, each fact taken once.

    Between equally good candidates, the k-th fact with an answer goes with the k-th fact with
    that answer (so inserting a copy above two identical facts moves neither's history), then
    the closer position wins.
    """
    old_rank, new_rank = _answer_ranks(old, olds), _answer_ranks(new, news)
    candidates = []
    for new_index, old_index, relation in _answer_candidates(old, new, olds, news):
        similarity = sentence_similarity(old[old_index].sentence, new[new_index].sentence)
        if similarity >= _threshold(relation):
            candidates.append(
                (
                    -similarity,
                    relation,
                    abs(old_rank[old_index] - new_rank[new_index]),
                    abs(old[old_index].position - new[new_index].position),
                    new_index,
                    old_index,
                )
            )
    candidates.sort()
    taken_old, taken_new, pairs = set(), set(), []
    for *_, new_index, old_index in candidates:
        if new_index not in taken_new and old_index not in taken_old:
            taken_new.add(new_index)
            taken_old.add(old_index)
            pairs.append((new_index, old_index))
    return pairs


def _answer_ranks(facts, indexes: list[int]) -> dict[int, int]:
    """How many facts with the same answer come before each one (0 for the first)."""
    seen: dict[str, int] = {}
    ranks = {}
    for index in sorted(indexes, key=lambda i: (facts[i].position, i)):
        key = answer_key(facts[index].answer)
        ranks[index] = seen.get(key, 0)
        seen[key] = ranks[index] + 1
    return ranks


def _answer_candidates(old, new, olds: list[int], news: list[int]):
    """(new, old, relation) for every pair whose answers are one answer.

    Indexed by answer key, so a 300-fact article compares answers only where they meet; a
    spelling fix is looked for only between spellings that the other text no longer holds.
    """
    by_key: dict[str, list[int]] = {}
    for old_index in olds:
        keys = {answer_key(old[old_index].answer)}
        keys |= {answer_key(text) for text in old[old_index].alternatives}
        for key in keys:
            by_key.setdefault(key, []).append(old_index)
    new_keys = {answer_key(new[index].answer) for index in news}
    unmatched_old = [index for index in olds if answer_key(old[index].answer) not in new_keys]
    old_keys = {answer_key(old[index].answer) for index in olds}
    for new_index in news:
        fact = new[new_index]
        keys = {answer_key(fact.answer)} | {answer_key(text) for text in fact.alternatives}
        seen = set()
        for key in sorted(keys):
            for old_index in by_key.get(key, ()):
                if old_index not in seen:
                    seen.add(old_index)
                    relation = answer_relation(old[old_index], fact)
                    if relation is not None:
                        yield new_index, old_index, relation
        if answer_key(fact.answer) not in old_keys:
            for old_index in unmatched_old:
                if old_index not in seen and is_spelling_fix(old[old_index].answer, fact.answer):
                    yield new_index, old_index, Relation.SPELLING
