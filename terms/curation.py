"""What editors do to the bank: review the library's suggestions, merge two terms into one."""

from django.db import transaction
from django.db.models import Max

from terms.bank import TermBank
from terms.models import Category, Suggestion, Term
from terms.signals import bank_changed
from terms.suggesting import FactTerms, propose


def record_suggestions(facts: list[FactTerms], bank: TermBank) -> int:
    """Store the facts' proposals not yet suggested (a dismissed one stays dismissed)."""
    proposals = propose(facts, bank)
    if not proposals:
        return 0
    terms = dict(
        Term.objects.filter(name__in={p.term for p in proposals if p.term}).values_list("name", "pk")
    )
    categories = dict(
        Category.objects.filter(name__in={p.category for p in proposals if p.category}).values_list(
            "name", "pk"
        )
    )
    known = set(Suggestion.objects.filter(text__in={p.text for p in proposals}).values_list("kind", "text"))
    new = [
        Suggestion(
            kind=p.kind,
            text=p.text[:200],
            term_id=terms.get(p.term),
            category_id=categories.get(p.category),
            evidence=p.evidence[:300],
        )
        for p in proposals
        if (p.kind, p.text[:200]) not in known
    ]
    Suggestion.objects.bulk_create(new)
    return len(new)


class SuggestionError(ValueError):
    pass


def accept(suggestion: Suggestion) -> Term:
    """Apply a pending suggestion to the bank; raises SuggestionError when it no longer fits."""
    if suggestion.status != Suggestion.Status.PENDING:
        raise SuggestionError(f"{suggestion.text}: already {suggestion.get_status_display()}")
    with transaction.atomic():
        found = Term.objects.named(suggestion.text).first()
        if suggestion.kind == Suggestion.Kind.ALIAS:
            term = suggestion.term
            if term is None:
                raise SuggestionError(f"{suggestion.text}: the term it names was removed")
            if found and found.pk != term.pk:
                raise SuggestionError(f"{suggestion.text} already names the term {found.name}")
            term.aliases = [*term.aliases, suggestion.text]
        elif suggestion.kind == Suggestion.Kind.SIBLING:
            term = found or Term(name=suggestion.text)
            term.category = suggestion.category
            term.position = _next_position(suggestion.category)
        else:
            if found:
                raise SuggestionError(f"{suggestion.text} is already the term {found.name}")
            term = Term(name=suggestion.text)
        term.save()
        suggestion.status = Suggestion.Status.ACCEPTED
        suggestion.save(update_fields=["status"])
        bank_changed.send(sender=Term, keys=keys_around([term]))
    return term


def _next_position(category: Category | None) -> int:
    if category is None:
        return 0
    return (category.terms.aggregate(last=Max("position"))["last"] or 0) + 1


def keys_around(terms: list[Term]) -> set[str]:
    """The spellings whose options may change with these terms: theirs and their siblings'."""
    keys = {key for term in terms for key in term.spelling_keys}
    categories = {term.category_id for term in terms if term.category_id}
    for name, aliases in Term.objects.filter(category__in=categories).values_list("name", "aliases"):
        keys |= Term(name=name, aliases=aliases).spelling_keys
    return keys


def merge(survivor: Term, others: list[Term]) -> Term:
    """Fold `others` into `survivor`: their names and aliases become its aliases, their
    category is kept when it has none, and they are deleted. Facts are untouched; their
    options are chosen again."""
    others = [term for term in others if term.pk != survivor.pk]
    if not others:
        return survivor
    with transaction.atomic():
        before = keys_around([survivor, *others])
        spellings = [survivor.aliases]
        for term in others:
            spellings.append([term.name, *term.aliases])
            if survivor.category_id is None and term.category_id is not None:
                survivor.category_id = term.category_id
        Suggestion.objects.filter(term__in=others).update(term=survivor)
        Term.objects.filter(pk__in=[term.pk for term in others]).delete()
        survivor.aliases = [alias for group in spellings for alias in group]
        survivor.save()
        bank_changed.send(sender=Term, keys=before | keys_around([survivor]))
    return survivor
