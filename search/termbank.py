"""What search takes from the term bank when it is installed: names that must stay whole when
text is cut into words, the aliases a query word also finds, and the terms a query names."""

from dataclasses import dataclass

from django.apps import apps

from search.words import Word, query_words

MAX_TERMS = 12


def installed() -> bool:
    return apps.is_installed("terms")


@dataclass(frozen=True)
class NamedTerm:
    name: str
    aliases: tuple[str, ...]
    category: str
    keys: frozenset[str]  # the term bank's comparison keys of its name and aliases

    def is_spelled(self, text: str) -> bool:
        from terms.keys import spelling_key

        return spelling_key(text) in self.keys

    def alternatives(self) -> list[tuple[Word, ...]]:
        """Each spelling as the words a note must hold to mention it."""
        found = []
        for spelling in (self.name, *self.aliases):
            words = tuple(query_words(spelling + " "))  # whole words: not being typed
            if words and words not in found:
                found.append(words)
        return found


def dictionary_words() -> list[str]:
    """Every term's name and alias."""
    if not installed():
        return []
    from terms.lookup import all_term_names
    from terms.models import Term

    words = list(all_term_names())
    for aliases in Term.objects.values_list("aliases", flat=True):
        words += aliases
    return words


def terms_named(texts) -> list[NamedTerm]:
    """The terms one of whose spellings is one of the texts (as the term bank compares)."""
    if not installed():
        return []
    from terms.keys import spelling_key
    from terms.models import Term

    keys = {spelling_key(text) for text in texts} - {""}
    if not keys:
        return []
    found = (
        Term.objects.filter(spellings__key__in=keys)
        .select_related("category")
        .prefetch_related(None)
        .distinct()
        .order_by("name")[:MAX_TERMS]
    )
    return [
        NamedTerm(
            term.name,
            tuple(term.aliases),
            term.category.name if term.category else "",
            frozenset(spelling_key(text) for text in (term.name, *term.aliases)),
        )
        for term in found
    ]
