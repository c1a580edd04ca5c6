"""Keeps an article's key facts and their questions in step with its Markdown, on every save.

Which stored fact a parsed fact continues is quizzes.identity's rule; this module writes it.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from articles.markup import BLANK, Fact
from articles.models import Article
from articles.rendering import sentence_html
from quizzes.distractors import choose_options
from quizzes.giveaways import parsed_fact_warnings
from quizzes.grading import normalise
from quizzes.identity import FactVersion, match_facts
from quizzes.kinds import classify
from quizzes.mistakes import frequent_mistakes
from quizzes.models import KeyFact, KnownTerm, Question, QuizItem
from quizzes.topic_moves import move_to_topic
from terms.bank import TermBank
from terms.curation import record_suggestions
from terms.keys import spelling_key
from terms.lookup import load_bank
from terms.signals import bank_changed
from terms.suggesting import FactTerms

# How many same-kind answers from the rest of the library are offered to the option picker.
LIBRARY_POOL_SIZE = 200


def fingerprint(answer: str, sentence: str, occurrence: int) -> str:
    """A fact's key within its article, from its first version; it stays through edits."""
    text = f"{answer}\x1f{sentence}\x1f{occurrence}"
    return hashlib.sha1(text.encode()).hexdigest()


def fingerprints(facts: list[Fact]) -> list[str]:
    seen = Counter()
    result = []
    for fact in facts:
        seen[(fact.answer, fact.sentence)] += 1
        result.append(fingerprint(fact.answer, fact.sentence, seen[(fact.answer, fact.sentence)]))
    return result


@dataclass(frozen=True)
class RetiringFact:
    """A fact a save takes out of the text, with how many learners have answered it."""

    fact: KeyFact
    learners: int


@dataclass(frozen=True)
class FactChanges:
    """What one save did to an article's facts, for the editor."""

    kept: int = 0  # continued with the same answer and sentence
    reworded: int = 0  # continued with a new sentence or a corrected answer: history kept
    new: int = 0
    retired: int = 0  # no longer in the text (kept for the record once answered)
    retired_learners: int = 0  # learners who had answered any of the retired facts

    def describe(self) -> str:
        """E.g. 12 facts kept, 2 reworded (history kept), 1 new, 1 retired (answered by 14 learners)."""
        retired = (
            ngettext(
                "%(count)d retired (answered by %(learners)d learner)",
                "%(count)d retired (answered by %(learners)d learners)",
                self.retired_learners,
            )
            if self.retired_learners
            else ngettext("%(count)d retired", "%(count)d retired", self.retired)
        )
        return gettext("%(kept)s, %(reworded)s, %(new)s, %(retired)s") % {
            "kept": ngettext("%(count)d fact kept", "%(count)d facts kept", self.kept) % {"count": self.kept},
            "reworded": ngettext(
                "%(count)d reworded (history kept)", "%(count)d reworded (history kept)", self.reworded
            )
            % {"count": self.reworded},
            "new": ngettext("%(count)d new", "%(count)d new", self.new) % {"count": self.new},
            "retired": retired % {"count": self.retired, "learners": self.retired_learners},
        }


@dataclass
class FactPlan:
    """Each parsed fact with the stored fact it continues (None: new), and those it retires."""

    continued: list[tuple[Fact, KeyFact | None]]
    retiring: list[KeyFact]


@receiver(post_save, sender=Article, dispatch_uid="quizzes.extract_facts")
def extract_facts_on_save(sender, instance: Article, raw=False, **kwargs):
    if not raw:
        # Left on the instance for whoever saved it (the admin's message, the import report).
        instance.fact_changes = sync_article_facts(instance)


def plan_facts(article: Article, parsed: list[Fact]) -> FactPlan:
    """Match the parsed facts to the article's stored ones (see quizzes.identity); no writes."""
    stored = list(article.facts.order_by("position", "pk")) if article.pk else []
    old = [
        FactVersion(
            answer=fact.answer,
            sentence=fact.sentence,
            position=fact.position,
            alternatives=tuple(fact.alternatives),
            retired=fact.retired_at is not None,
        )
        for fact in stored
    ]
    new = [
        FactVersion(fact.answer, fact.sentence, position, tuple(fact.alternatives))
        for position, fact in enumerate(parsed)
    ]
    matches = match_facts(old, new)
    taken = {index for index in matches if index is not None}
    return FactPlan(
        continued=[
            (fact, None if index is None else stored[index])
            for fact, index in zip(parsed, matches, strict=True)
        ],
        retiring=[
            fact for index, fact in enumerate(stored) if index not in taken and fact.retired_at is None
        ],
    )


def answered_retiring(plan: FactPlan) -> list[RetiringFact]:
    """The facts the plan retires that learners have answered, each with their number."""
    learners = (
        dict(
            QuizItem.objects.filter(fact__in=plan.retiring, answered_at__isnull=False)
            .values_list("fact_id")
            .annotate(learners=Count("quiz__user", distinct=True))
            .order_by()
        )
        if plan.retiring
        else {}
    )
    return [RetiringFact(fact, learners[fact.pk]) for fact in plan.retiring if fact.pk in learners]


def sync_article_facts(article: Article) -> FactChanges:
    """Continue, create, retire or delete the article's KeyFacts, then regenerate questions.

    A continued fact keeps its row, so every card, answer, score, question statistic and
    disabled question stays with it. Running it twice writes nothing the second time.
    """
    with transaction.atomic():
        parsed = list(article.rendered.facts)
        active = article.is_published
        plan = plan_facts(article, parsed)
        move_to_topic(article)
        changes = _retire_or_delete(plan.retiring)
        used = set(article.facts.values_list("fingerprint", flat=True))
        old_pool = _answer_pool(
            [fact for _, fact in plan.continued if fact and fact.retired_at is None] + plan.retiring
        )
        changed: dict[tuple[str, ...], list[KeyFact]] = {}
        created, facts, open_answers, refresh = [], [], {}, []
        reworded = 0
        for position, (parsed_fact, fact) in enumerate(plan.continued):
            if fact is None:
                fact = KeyFact(article=article, fingerprint=_free_fingerprint(parsed_fact, used))
                _copy_parsed(fact, parsed_fact, position, article, active)
                created.append(fact)
            else:
                old_answer = fact.answer
                fields = _continue(fact, parsed_fact, position, article, active)
                if fields:
                    changed.setdefault(fields, []).append(fact)
                if OPTION_INPUTS.intersection(fields):
                    refresh.append(fact)
                if "answer" in fields:
                    open_answers[fact.pk] = (old_answer, fact.answer)
                reworded += bool({"answer", "sentence"}.intersection(fields))
            facts.append(fact)
        # Grouped by the fields that changed: a moved paragraph rewrites positions, not sentences.
        for fields, group in sorted(changed.items()):
            KeyFact.objects.bulk_update(group, fields)
        KeyFact.objects.bulk_create(created)
        _correct_open_options(open_answers)
        _remember_terms(parsed)
        # A fact's wrong options depend on it and on the answers of its kind around it.
        changed_kinds = {(kind, script) for kind, script, _ in old_pool ^ _answer_pool(facts)}
        refresh += [fact for fact in facts if (fact.kind, fact.script) in changed_kinds]
        bank = load_bank()
        _regenerate_questions(article, facts, {id(fact) for fact in created + refresh}, bank)
        _suggest_terms(article, parsed, bank)
        kept = len(facts) - len(created) - reworded
        return FactChanges(kept, reworded, len(created), *changes)


# What a save writes into a KeyFact (its identity, the row itself, stays).
STORED_FIELDS = [
    "topic",
    "position",
    "answer",
    "alternatives",
    "wrong_options",
    "hint",
    "sentence",
    "sentence_html",
    "context",
    "anchor",
    "kind",
    "script",
    "warnings",
    "is_active",
    "retired_at",
]


# What a fact's own wrong options are chosen from (with the article's and topic's answers, the
# term bank and learners' mistakes); the stem counts because an option it names is dropped.
OPTION_INPUTS = {
    "topic",
    "answer",
    "alternatives",
    "wrong_options",
    "sentence",
    "context",
    "kind",
    "script",
    "is_active",
}


def _answer_pool(facts: list[KeyFact]) -> set[tuple[str, str, str]]:
    return {(fact.kind, fact.script, fact.answer) for fact in facts}


def _stored_values(fact: KeyFact) -> list:
    return [getattr(fact, "topic_id" if name == "topic" else name) for name in STORED_FIELDS]


def _continue(fact: KeyFact, parsed: Fact, position: int, article: Article, active: bool):
    """Bring a continued fact to its new version; the names of the fields that changed."""
    before = _stored_values(fact)
    _copy_parsed(fact, parsed, position, article, active)
    after = _stored_values(fact)
    return tuple(name for name, old, new in zip(STORED_FIELDS, before, after, strict=True) if old != new)


def _free_fingerprint(fact: Fact, used: set[str]) -> str:
    """A new fact's fingerprint: its first version's, unless a fact of the article holds it."""
    occurrence = 1
    while (key := fingerprint(fact.answer, fact.sentence, occurrence)) in used:
        occurrence += 1
    used.add(key)
    return key


def _copy_parsed(fact: KeyFact, parsed: Fact, position: int, article: Article, active: bool):
    classified = classify(parsed.answer)
    fact.topic_id = article.topic_id
    fact.position = position
    fact.answer = parsed.answer
    fact.alternatives = list(parsed.alternatives)
    fact.wrong_options = list(parsed.wrong_options)
    fact.hint = parsed.hint
    fact.sentence = parsed.sentence
    fact.sentence_html = sentence_html(parsed.sentence)
    fact.context = parsed.context
    fact.anchor = parsed.anchor
    fact.kind = classified.kind.value
    fact.script = classified.script.value
    fact.warnings = [warning.as_dict() for warning in parsed_fact_warnings(parsed)]
    fact.is_active = active
    # Retired means "no longer in the text"; a draft's facts are inactive, not retired.
    fact.retired_at = None


def _retire_or_delete(removed: list[KeyFact]) -> tuple[int, int]:
    """A fact someone has answered is retired, never deleted: its history stays.

    Returns (facts retired or deleted, learners who had answered them).
    """
    if not removed:
        return 0, 0
    ids = [fact.pk for fact in removed]
    answered = set(
        KeyFact.objects.filter(pk__in=ids, quiz_items__isnull=False).values_list("pk", flat=True)
    ) | set(KeyFact.objects.filter(pk__in=ids, cards__isnull=False).values_list("pk", flat=True))
    learners = (
        QuizItem.objects.filter(fact__in=answered, answered_at__isnull=False)
        .values("quiz__user")
        .distinct()
        .count()
        if answered
        else 0
    )
    KeyFact.objects.filter(pk__in=answered).update(is_active=False, retired_at=timezone.now())
    KeyFact.objects.filter(pk__in=set(ids) - answered).delete()
    return len(ids), learners


def _correct_open_options(answers: dict[int, tuple[str, str]]) -> None:
    """An answer's corrected spelling replaces the old one among an open quiz's options.

    A multiple-choice item fixes its options when the quiz starts and is graded against the
    fact's answer: left alone, the old spelling would be marked wrong.
    """
    if not answers:
        return
    items = list(
        QuizItem.objects.filter(fact_id__in=list(answers), answered_at__isnull=True).only(
            "pk", "fact_id", "options"
        )
    )
    corrected = []
    for item in items:
        old, new = answers[item.fact_id]
        if old in item.options:
            item.options = [new if option == old else option for option in item.options]
            corrected.append(item)
    QuizItem.objects.bulk_update(corrected, ["options"])


def _remember_terms(parsed: list[Fact]) -> None:
    terms = {
        normalise(text) for fact in parsed for text in (fact.answer, *fact.alternatives, *fact.wrong_options)
    }
    terms = {term[:500] for term in terms if term}
    # Read first, so that saving an unchanged article writes nothing.
    known = set(KnownTerm.objects.filter(text__in=terms).values_list("text", flat=True))
    KnownTerm.objects.bulk_create(
        [KnownTerm(text=term) for term in sorted(terms - known)], ignore_conflicts=True
    )


def _suggest_terms(article: Article, parsed: list[Fact], bank: TermBank) -> None:
    """The bank learns from the library: answers, alternatives and `~` options become
    suggestions an editor reviews (terms.curation)."""
    facts = [
        FactTerms(fact.answer, fact.alternatives, fact.wrong_options, where=article.slug)
        for fact in parsed
    ]
    record_suggestions(facts, bank)


def _regenerate_questions(
    article: Article, facts: list[KeyFact], refresh: set[int], bank: TermBank
) -> None:
    """Generate the questions of the facts in `refresh` (by id()), and of any fact lacking one.

    A fact whose options' inputs are unchanged keeps its questions as they are: the topic's
    other notes may have changed meanwhile, but its options are still good ones.
    """
    questions = {
        (question.fact_id, question.type): question for question in Question.objects.filter(fact__in=facts)
    }
    before = {
        question.pk: (question.is_generated, list(question.wrong_options), list(question.option_sources))
        for question in questions.values()
    }
    # Only an answer of the fact's own kind can be its wrong option (distractors' rule): pools
    # sorted out by kind once, not scanned whole for each of a long note's facts.
    same_article = _by_kind(fact.answer for fact in facts)
    topic_pool = _by_kind(
        KeyFact.objects.active()
        .filter(topic_id=article.topic_id)
        .exclude(article=article)
        .values_list("answer", flat=True)
    )
    mistakes = frequent_mistakes(QuizItem.objects.wrong_fill_in_answers([f for f in facts if f.pk]))
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
        mcq = questions.get((fact.pk, Question.Type.MULTIPLE_CHOICE))
        complete = (fact.pk, Question.Type.FILL_IN) in questions and mcq and mcq.is_generated
        if id(fact) not in refresh and complete:
            continue
        fill_in = questions.get((fact.pk, Question.Type.FILL_IN)) or Question(
            fact=fact, type=Question.Type.FILL_IN
        )
        fill_in.is_generated = True
        wrong = None
        if fact.is_active:
            key = (fact.kind, fact.script)
            sources = {
                "same_article": [answer for answer in same_article.get(key, ()) if answer != fact.answer],
                "same_topic": topic_pool.get(key, ()),
                "bank": bank,
                "mistakes": mistakes.get(fact.pk, ()),
                "stem": f"{fact.context}\n{fact.sentence.replace(BLANK, '')}",
                "seed": int(fact.fingerprint[:8], 16),
            }
            wrong = choose_options(fact.answer, fact.alternatives, fact.wrong_options, **sources)
            if wrong is None:
                sources["library"] = library_pool(fact)
                wrong = choose_options(fact.answer, fact.alternatives, fact.wrong_options, **sources)
        mcq = questions.get((fact.pk, Question.Type.MULTIPLE_CHOICE))
        if wrong is not None or mcq is not None:
            mcq = mcq or Question(fact=fact, type=Question.Type.MULTIPLE_CHOICE)
            # Without three good wrong options there is no multiple-choice question;
            # the row stays (with its statistics and an editor's "disabled") for later.
            mcq.is_generated = wrong is not None
            if wrong is not None:
                mcq.wrong_options = [option.text for option in wrong]
                mcq.option_sources = [option.source.value for option in wrong]
        for question in (fill_in, mcq):
            if question is None:
                continue
            if not question.pk:
                to_create.append(question)
            elif before[question.pk] != (
                question.is_generated,
                question.wrong_options,
                question.option_sources,
            ):
                to_update.append(question)
    Question.objects.bulk_create(to_create)
    Question.objects.bulk_update(to_update, ["is_generated", "wrong_options", "option_sources"])


def _by_kind(answers) -> dict[tuple[str, str], list[str]]:
    """Distinct answers by (kind, script), each list in one order whatever the facts' order."""
    pools: dict[tuple[str, str], list[str]] = {}
    for answer in sorted(set(answers)):
        classified = classify(answer)
        pools.setdefault((classified.kind.value, classified.script.value), []).append(answer)
    return pools


def regenerate_questions(article_ids) -> int:
    """Choose every option of these articles' facts again (the bank or learners' mistakes
    changed); facts, and so every learner's history, stay as they are."""
    articles = Article.objects.filter(pk__in=set(article_ids)).order_by("pk")
    bank = load_bank()
    for article in articles:
        with transaction.atomic():
            facts = list(article.facts.all())
            _regenerate_questions(article, facts, {id(fact) for fact in facts}, bank)
    return len(articles)


@receiver(bank_changed, dispatch_uid="quizzes.regenerate_on_bank_change")
def regenerate_on_bank_change(sender, keys=None, **kwargs):
    """Articles with a fact whose answer or option is one of `keys` (every article for None)."""
    facts = KeyFact.objects.active().values_list("article_id", "answer", "wrong_options")
    affected = {
        article_id
        for article_id, answer, options in facts
        if keys is None or any(spelling_key(text) in keys for text in (answer, *options))
    }
    regenerate_questions(affected)


def regenerate_for_mistakes() -> int:
    """Articles whose facts have frequent learner mistakes not yet among their options."""
    answered = QuizItem.objects.filter(
        question__type=Question.Type.FILL_IN, verdict=QuizItem.Verdict.WRONG
    ).values("fact_id")
    mistakes = frequent_mistakes(QuizItem.objects.wrong_fill_in_answers(answered))
    options = dict(
        Question.objects.filter(
            fact_id__in=mistakes, type=Question.Type.MULTIPLE_CHOICE
        ).values_list("fact_id", "wrong_options")
    )
    stale = [
        fact_id
        for fact_id, typed in mistakes.items()
        if len(options.get(fact_id) or []) < 3 or not set(typed) & set(options.get(fact_id) or [])
    ]
    return regenerate_questions(
        KeyFact.objects.filter(pk__in=stale).values_list("article_id", flat=True)
    )
