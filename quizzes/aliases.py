"""The library's other names for an answer, which grading accepts like alternatives.

A fact with alternatives in a published article names one thing several ways, and teaches
that everywhere: after `{{交并比|IoU}}`, a fact whose answer is `IoU` accepts `交并比`. The
term bank names things too: a term's name and its aliases are one thing (`IoU` =
`Intersection over Union`). The notes' spellings are kept in a table, rebuilt for an article
whenever it is saved. Each process
keeps the whole map (spelling -> its aliases) in memory, loaded in one query, and reloads it
when the version kept in the cache changes (every save that touches aliases changes it) or,
with a cache that processes do not share, after MAX_AGE seconds. An answer thus costs no
query at all, however large the library.
"""

import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.markup import Fact
from articles.models import Article
from quizzes.grading import normalise
from quizzes.kinds import Kind, classify
from quizzes.models import KeyFact, LibraryAlias
from terms.models import Term
from terms.signals import bank_changed

MAX_LENGTH = 500
MAX_AGE = 300  # seconds a process trusts its map when the cache is not shared
VERSION_KEY = "notesite:aliases:version"


def comparable(text: str) -> str:
    """`text` in the form the grader compares it in, by the kind of answer it is."""
    kind = classify(text).kind
    return normalise(text, code=kind is Kind.CODE, formula=kind is Kind.FORMULA)[:MAX_LENGTH]


def for_fact(fact: KeyFact) -> frozenset[str]:
    """Every other spelling the library gives to the fact's answer or alternatives."""
    own = (fact.answer, *fact.alternatives)
    known = _alias_map()
    found = [known.get(key, frozenset()) for key in map(comparable, own)]
    return frozenset().union(*found) - set(own)


@dataclass
class _Loaded:
    version: str | None = None
    loaded_at: float = -MAX_AGE
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)


_loaded = _Loaded()


def _alias_map() -> dict[str, frozenset[str]]:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    if version != _loaded.version or time.monotonic() - _loaded.loaded_at > MAX_AGE:
        groups: dict[str, set[str]] = {}
        rows = list(LibraryAlias.objects.values_list("group", "text", "normalised"))
        for group, text, _ in rows:
            groups.setdefault(group, set()).add(text)
        for pk, name, term_aliases in Term.objects.exclude(aliases=[]).values_list("pk", "name", "aliases"):
            spellings = {name, *term_aliases}
            groups[f"term:{pk}"] = spellings
            rows.extend((f"term:{pk}", text, comparable(text)) for text in spellings)
        aliases: dict[str, set[str]] = {}
        for group, _, key in rows:
            if key:
                aliases.setdefault(key, set()).update(groups[group])
        _loaded.aliases = {key: frozenset(texts) for key, texts in aliases.items()}
        _loaded.version, _loaded.loaded_at = version, time.monotonic()
    return _loaded.aliases


def forget() -> None:
    """Make every process reload the map (at once with a shared cache)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _loaded.version = None


def rows_for(article_id: int, facts: list[Fact]) -> list[LibraryAlias]:
    rows = []
    for position, fact in enumerate(facts):
        if not fact.alternatives:
            continue
        for text in dict.fromkeys((fact.answer, *fact.alternatives)):
            if key := comparable(text):
                rows.append(
                    LibraryAlias(
                        article_id=article_id,
                        group=f"{article_id}:{position}",
                        text=text[:MAX_LENGTH],
                        normalised=key,
                    )
                )
    return rows


@receiver(post_save, sender=Article, dispatch_uid="quizzes.learn_aliases")
def learn_aliases_on_save(sender, instance: Article, raw=False, **kwargs):
    if raw:
        return
    rows = rows_for(instance.pk, list(instance.rendered.facts)) if instance.is_published else []
    existing = LibraryAlias.objects.filter(article=instance)
    wanted = {(row.group, row.text, row.normalised) for row in rows}
    if set(existing.values_list("group", "text", "normalised")) == wanted:
        return  # an unchanged note writes nothing
    with transaction.atomic():
        existing.delete()
        LibraryAlias.objects.bulk_create(rows)
    # Now, and again once committed, so that no process reloads the old groups for good.
    forget()
    transaction.on_commit(forget)


@receiver(bank_changed, dispatch_uid="quizzes.aliases_follow_the_bank")
def forget_on_bank_change(sender, **kwargs):
    forget()
    transaction.on_commit(forget)
