"""Properties of fact identity over random notes and random small edits.

A note here is paragraphs of sentences, each sentence holding one fact; answers repeat (as they
do in real notes), words do not. A small edit changes one word of a sentence, its spacing, or
its fact's options or hint, or moves a paragraph. Such edits keep every fact and every learner's
history; a changed answer never carries history, however little else changed.
"""

import itertools
from dataclasses import dataclass, replace

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markup import scan
from quizzes.answering import Submission, record_answer, start_topic_quiz
from quizzes.identity import FactVersion, match_facts
from quizzes.models import Card, KeyFact, QuizItem
from tests.factories import make_article, make_topic, make_user

# Words made of characters no other word uses: two sentences share no word by chance.
CHINESE_WORDS = [chr(0x4E00 + 2 * n) + chr(0x4E01 + 2 * n) for n in range(120)]
LATIN_WORDS = [f"w{n}x" for n in range(60)]
WORDS = CHINESE_WORDS + LATIN_WORDS
FRESH_WORDS = [chr(0x5E00 + n) + chr(0x5F00 + n) for n in range(40)]  # only edits use these
ANSWERS = ["GELU", "AdamW", "2017", "Google", "patch", "自注意力", "L1", "p", "Vaswani", "BPE"]


@dataclass(frozen=True)
class Sentence:
    before: tuple[str, ...]
    answer: str
    after: tuple[str, ...]
    extra: str = ""  # "|alternative", "~wrong", "::hint" inside the braces

    def markup(self, spaced: bool = True) -> str:
        return f"{_join(self.before, spaced)} {{{{{self.answer}{self.extra}}}}} {_join(self.after, spaced)}。"


def _join(words, spaced: bool) -> str:
    """Spaces between Chinese words are optional; between two Latin words they are not."""
    text = words[0]
    for previous, word in itertools.pairwise(words):
        text += " " if spaced or (previous.isascii() and word.isascii()) else ""
        text += word
    return text


@st.composite
def notes(draw, max_facts=8):
    """Paragraphs of sentences: (paragraph, sentence) in order."""
    count = draw(st.integers(2, max_facts))
    words = draw(st.permutations(WORDS))
    sentences, used = [], 0
    for _ in range(count):
        before, after = draw(st.integers(3, 6)), draw(st.integers(2, 5))
        chosen = words[used : used + before + after]
        used += before + after
        answer = draw(st.sampled_from(ANSWERS))
        sentences.append(Sentence(tuple(chosen[:before]), answer, tuple(chosen[before:])))
    breaks = draw(st.lists(st.booleans(), min_size=count - 1, max_size=count - 1))
    paragraphs, current = [], [sentences[0]]
    for sentence, new_paragraph in zip(sentences[1:], breaks, strict=True):
        if new_paragraph:
            paragraphs.append(current)
            current = []
        current.append(sentence)
    paragraphs.append(current)
    return paragraphs


def text_of(paragraphs, spaced=True) -> str:
    return "\n\n".join("".join(s.markup(spaced) for s in paragraph) for paragraph in paragraphs) + "\n"


@st.composite
def small_edit(draw, sentence: Sentence) -> Sentence:
    kind = draw(st.sampled_from(["none", "insert", "delete", "replace", "extra"]))
    side = draw(st.sampled_from(["before", "after"]))
    words = list(getattr(sentence, side))
    at = draw(st.integers(0, len(words) - 1))
    fresh = draw(st.sampled_from(FRESH_WORDS))
    if kind == "insert":
        words.insert(at, fresh)
    elif kind == "delete" and len(words) > 2:
        del words[at]
    elif kind == "replace":
        words[at] = fresh
    elif kind == "extra":
        return replace(sentence, extra=draw(st.sampled_from(["|Alt", " ~W1 ~W2 ~W3", "::提示", ""])))
    return replace(sentence, **{side: tuple(words)})


def changed_answer(answer: str, choice: int) -> str:
    """Another answer: what a learner knew for the old one is not this."""
    others = [other for other in ANSWERS if other != answer and other.lower() != answer.lower()]
    return [f"{answer}2", others[choice % len(others)]][choice % 2]


@st.composite
def edited_notes(draw, max_facts=8):
    """(note, edited note, the fact whose answer changed or None), facts numbered in text order."""
    paragraphs = draw(notes(max_facts))
    edited = [[draw(small_edit(sentence)) for sentence in paragraph] for paragraph in paragraphs]
    flat = [sentence for paragraph in paragraphs for sentence in paragraph]
    changed = draw(st.one_of(st.none(), st.integers(0, len(flat) - 1)))
    if changed is not None:
        number = 0
        for paragraph in edited:
            for index, sentence in enumerate(paragraph):
                if number == changed:
                    answer = changed_answer(sentence.answer, draw(st.integers(0, 20)))
                    paragraph[index] = replace(sentence, answer=answer, extra="")
                number += 1
    # Keep the original numbering with each sentence, then maybe move paragraphs around.
    numbered, number = [], 0
    for paragraph in edited:
        numbered.append([(number + i, sentence) for i, sentence in enumerate(paragraph)])
        number += len(paragraph)
    order = draw(st.permutations(range(len(numbered))))
    moved = [numbered[i] for i in order]
    spaced = draw(st.booleans())
    return paragraphs, moved, changed, spaced


def versions(source: str) -> list[FactVersion]:
    return [
        FactVersion(fact.answer, fact.sentence, position, tuple(fact.alternatives))
        for position, fact in enumerate(scan(source))
    ]


@settings(max_examples=200, deadline=None)
@given(edited_notes(max_facts=12))
def test_small_edits_keep_every_fact_and_a_changed_answer_is_a_new_fact(case):
    paragraphs, moved, changed, spaced = case
    before = text_of(paragraphs)
    after = text_of([[sentence for _, sentence in paragraph] for paragraph in moved], spaced)
    origins = [number for paragraph in moved for number, _ in paragraph]
    result = match_facts(versions(before), versions(after))
    expected = [None if origin == changed else origin for origin in origins]
    assert result == expected, (before, after)


# --- through the database: the learner's history ---------------------------------------------


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edited_notes(max_facts=6))
def test_small_edits_never_lose_a_learners_history_and_a_changed_answer_never_carries_it(case):
    paragraphs, moved, changed, spaced = case
    with transaction.atomic():
        article = make_article(topic=make_topic(), body=text_of(paragraphs))
        learner = make_user()
        now = timezone.now()
        quiz = start_topic_quiz(learner, article.topic, 20, now)
        for item in quiz.items.select_related("fact"):
            choice = str(item.options.index(item.fact.answer)) if item.options else None
            record_answer(learner, quiz.pk, item.position, Submission(item.fact.answer, choice), now)
        facts = list(KeyFact.objects.filter(article=article).order_by("position"))
        history = {fact.pk: _history(fact.pk) for fact in facts}
        answers, cards = QuizItem.objects.filter(answered_at__isnull=False).count(), Card.objects.count()
        assert cards == len(facts)

        article.body = text_of([[sentence for _, sentence in paragraph] for paragraph in moved], spaced)
        article.save()

        now_facts = list(
            KeyFact.objects.filter(article=article, retired_at__isnull=True).order_by("position")
        )
        origins = [number for paragraph in moved for number, _ in paragraph]
        for fact, origin in zip(now_facts, origins, strict=True):
            old = facts[origin]
            if origin == changed:
                assert fact.pk != old.pk and _history(fact.pk) == ([], [])
                retired = KeyFact.objects.get(pk=old.pk)
                assert retired.retired_at is not None and _history(old.pk) == history[old.pk]
            else:
                assert fact.pk == old.pk and fact.is_active
                assert _history(fact.pk) == history[old.pk]
        assert QuizItem.objects.filter(answered_at__isnull=False).count() == answers
        assert Card.objects.count() == cards
        transaction.set_rollback(True)


def _history(fact_id):
    return (
        sorted(Card.objects.filter(fact_id=fact_id).values_list("pk", "user_id", "reviews")),
        sorted(QuizItem.objects.filter(fact_id=fact_id).values_list("pk", "verdict")),
    )
