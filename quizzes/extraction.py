"""Keeps an article's key facts and their questions in step with its Markdown, on every save."""

import hashlib
from collections import Counter

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.markup import Fact
from articles.models import Article
from quizzes.distractors import choose_wrong_options
from quizzes.grading import normalise
from quizzes.kinds import classify
from quizzes.models import KeyFact, KnownTerm, Question

# How many same-kind answers from the rest of the library are offered to the option picker.
LIBRARY_POOL_SIZE = 200


def fingerprint(answer: str, sentence: str, occurrence: int) -> str:
    """What makes two versions of an article hold "the same fact"."""
    text = f"{answer}\x1f{sentence}\x1f{occurrence}"
    return hashlib.sha1(text.encode()).hexdigest()


def fingerprints(facts: list[Fact]) -> list[str]:
    seen = Counter()
    result = []
    for fact in facts:
        seen[(fact.answer, fact.sentence)] += 1
        result.append(fingerprint(fact.answer, fact.sentence, seen[(fact.answer, fact.sentence)]))
    return result


@receiver(post_save, sender=Article, dispatch_uid="quizzes.extract_facts")
def extract_facts_on_save(sender, instance: Article, raw=False, **kwargs):
    if not raw:
        sync_article_facts(instance)


def sync_article_facts(article: Article) -> None:
    """Create, update, retire or delete the article's KeyFacts, then regenerate questions.

    Running it twice changes nothing; a fact whose answer and sentence are unchanged keeps
    its row (and so every learner's history and an editor's disabled questions).
    """
    with transaction.atomic():
        parsed = list(article.rendered.facts)
        active = article.is_published
        existing = {fact.fingerprint: fact for fact in article.facts.all()}
        kept, created = [], []
        for position, (parsed_fact, key) in enumerate(
            zip(parsed, fingerprints(parsed), strict=True)
        ):
            fact = existing.pop(key, None) or KeyFact(article=article, fingerprint=key)
            _copy_parsed(fact, parsed_fact, position, article, active)
            (kept if fact.pk else created).append(fact)
        KeyFact.objects.bulk_update(
            kept,
            [
                "topic",
                "position",
                "answer",
                "alternatives",
                "wrong_options",
                "hint",
                "sentence",
                "context",
                "anchor",
                "kind",
                "script",
                "is_active",
                "retired_at",
            ],
        )
        KeyFact.objects.bulk_create(created)
        _retire_or_delete(list(existing.values()))
        _remember_terms(parsed)
        _regenerate_questions(article, kept + created)


def _copy_parsed(fact: KeyFact, parsed: Fact, position: int, article: Article, active: bool):
    classified = classify(parsed.answer)
    fact.topic_id = article.topic_id
    fact.position = position
    fact.answer = parsed.answer
    fact.alternatives = list(parsed.alternatives)
    fact.wrong_options = list(parsed.wrong_options)
    fact.hint = parsed.hint
    fact.sentence = parsed.sentence
    fact.context = parsed.context
    fact.anchor = parsed.anchor
    fact.kind = classified.kind.value
    fact.script = classified.script.value
    fact.is_active = active
    fact.retired_at = None if active else (fact.retired_at or timezone.now())


def _retire_or_delete(removed: list[KeyFact]) -> None:
    """A fact someone has answered is retired, never deleted: its history stays."""
    if not removed:
        return
    ids = [fact.pk for fact in removed]
    answered = set(
        KeyFact.objects.filter(pk__in=ids, quiz_items__isnull=False).values_list("pk", flat=True)
    ) | set(KeyFact.objects.filter(pk__in=ids, cards__isnull=False).values_list("pk", flat=True))
    KeyFact.objects.filter(pk__in=answered).update(is_active=False, retired_at=timezone.now())
    KeyFact.objects.filter(pk__in=set(ids) - answered).delete()


def _remember_terms(parsed: list[Fact]) -> None:
    terms = {
        normalise(text)
        for fact in parsed
        for text in (fact.answer, *fact.alternatives, *fact.wrong_options)
    }
    terms.discard("")
    KnownTerm.objects.bulk_create(
        [KnownTerm(text=term[:500]) for term in terms], ignore_conflicts=True
    )


def _regenerate_questions(article: Article, facts: list[KeyFact]) -> None:
    questions = {
        (question.fact_id, question.type): question
        for question in Question.objects.filter(fact__in=facts)
    }
    same_article = [fact.answer for fact in facts]
    topic_pool = list(
        KeyFact.objects.active()
        .filter(topic_id=article.topic_id)
        .exclude(article=article)
        .values_list("answer", flat=True)
    )
    library_pools: dict[tuple[str, str], list[str]] = {}

    def library_pool(fact: KeyFact) -> list[str]:
        key = (fact.kind, fact.script)
        if key not in library_pools:
            library_pools[key] = list(
                KeyFact.objects.active()
                .filter(kind=fact.kind, script=fact.script)
                .exclude(topic_id=article.topic_id)
                .order_by("fingerprint")
                .values_list("answer", flat=True)[:LIBRARY_POOL_SIZE]
            )
        return library_pools[key]

    to_create, to_update = [], []
    for fact in facts:
        fill_in = questions.get((fact.pk, Question.Type.FILL_IN)) or Question(
            fact=fact, type=Question.Type.FILL_IN
        )
        fill_in.is_generated = True
        wrong = None
        if fact.is_active:
            wrong = _wrong_options(fact, same_article, topic_pool, None)
            if wrong is None:
                wrong = _wrong_options(fact, same_article, topic_pool, library_pool(fact))
        mcq = questions.get((fact.pk, Question.Type.MULTIPLE_CHOICE))
        if wrong is not None or mcq is not None:
            mcq = mcq or Question(fact=fact, type=Question.Type.MULTIPLE_CHOICE)
            # Without three good wrong options there is no multiple-choice question;
            # the row stays (with its statistics and an editor's "disabled") for later.
            mcq.is_generated = wrong is not None
            mcq.wrong_options = list(wrong or mcq.wrong_options)
        for question in (fill_in, mcq):
            if question is not None:
                (to_update if question.pk else to_create).append(question)
    Question.objects.bulk_create(to_create)
    Question.objects.bulk_update(to_update, ["is_generated", "wrong_options"])


def _wrong_options(fact: KeyFact, same_article, topic_pool, library):
    return choose_wrong_options(
        fact.answer,
        fact.alternatives,
        fact.wrong_options,
        same_article=[answer for answer in same_article if answer != fact.answer],
        same_topic=topic_pool,
        library=library or [],
        seed=int(fact.fingerprint[:8], 16),
    )
