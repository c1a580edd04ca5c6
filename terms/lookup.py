"""What other apps ask the term bank: a spelling's aliases, every name, the whole bank."""

from terms.bank import TermBank, bank_from_rows
from terms.models import Term


def aliases_for(text: str) -> frozenset[str]:
    """Every name and alias of the term(s) `text` names (case/width-insensitively), or empty."""
    found = Term.objects.named(text).values_list("name", "aliases")
    return frozenset(spelling for name, aliases in found for spelling in (name, *aliases))


def all_term_names() -> list[str]:
    return list(Term.objects.order_by("name").values_list("name", flat=True))


def load_bank() -> TermBank:
    """The whole bank in one query, for choosing options at save."""
    return bank_from_rows(Term.objects.bank_rows())
