"""The term bank as plain data: what a spelling names, its category and its nearest siblings."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from terms.keys import spelling_key


@dataclass(frozen=True)
class BankTerm:
    name: str
    category: str = ""  # "" when no editor has placed the term yet
    aliases: tuple[str, ...] = ()
    position: int = 0  # place in its category: terms listed together are near each other

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class TermBank:
    terms: tuple[BankTerm, ...] = ()
    _by_key: dict = field(default_factory=dict, compare=False, repr=False)
    _by_category: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for term in self.terms:
            for spelling in term.spellings:
                self._by_key.setdefault(spelling_key(spelling), []).append(term)
            if term.category:
                self._by_category.setdefault(term.category, []).append(term)
        for members in self._by_category.values():
            members.sort(key=lambda term: (term.position, term.name))

    def find(self, text: str) -> tuple[BankTerm, ...]:
        """Every term one of whose spellings is `text`."""
        return tuple(self._by_key.get(spelling_key(text), ()))

    def aliases_for(self, text: str) -> frozenset[str]:
        return frozenset(spelling for term in self.find(text) for spelling in term.spellings)

    def category_of(self, text: str) -> str:
        """The category of the term `text` names, "" when unknown or ambiguous."""
        categories = {term.category for term in self.find(text)} - {""}
        return categories.pop() if len(categories) == 1 else ""

    def members(self, category: str) -> Sequence[BankTerm]:
        return self._by_category.get(category, ())

    def siblings(self, text: str, near: Iterable[str] = ()) -> list[BankTerm]:
        """The other terms of `text`'s category, nearest first.

        Nearest are the ones the library names together with it (`near`: an editor's `~`
        options for the same answer), then the bank's own order, closest place first.
        """
        own = self.find(text)
        category = self.category_of(text)
        if not category:
            return []
        own_names = {term.name for term in own}
        here = min(term.position for term in own if term.category == category)
        near_names = {term.name for spelling in near for term in self.find(spelling)}
        others = [term for term in self.members(category) if term.name not in own_names]
        return sorted(
            others,
            key=lambda term: (term.name not in near_names, abs(term.position - here), term.position),
        )


def bank_from_rows(rows: Iterable[tuple[str, str, Sequence[str], int]]) -> TermBank:
    """A bank from (name, category, aliases, position) rows, as the database gives them."""
    return TermBank(
        tuple(
            BankTerm(name=name, category=category or "", aliases=tuple(aliases), position=position)
            for name, category, aliases, position in rows
        )
    )
