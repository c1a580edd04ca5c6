"""What the library's own facts suggest about the bank: aliases, siblings, uncategorised terms.

An editor's `{{AdamW|Adam-W ~Adam ~SGD}}` says Adam-W is another name of AdamW and that Adam and
SGD are AdamW's siblings. Suggestions are only proposals: an editor accepts or dismisses each.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizzes.kinds import Kind, classify
from terms.bank import TermBank
from terms.keys import spelling_key

# Longer texts are phrases or sentences, not terms.
MAX_TERM_LENGTH = 60


@dataclass(frozen=True)
class FactTerms:
    answer: str
    alternatives: Sequence[str]
    wrong_options: Sequence[str]
    where: str  # shown to the editor as evidence: the article


@dataclass(frozen=True)
class Proposal:
    kind: str  # "alias", "sibling" or "term" (terms.models.Suggestion.Kind)
    text: str
    term: str = ""  # alias: the term it names
    category: str = ""  # sibling: the category of its siblings
    evidence: str = ""


def _term_like(text: str) -> bool:
    text = text.strip()
    return (
        bool(spelling_key(text))
        and len(text) <= MAX_TERM_LENGTH
        and classify(text).kind
        not in (
            Kind.NUMBER,
            Kind.FORMULA,
        )
    )


def propose(facts: Iterable[FactTerms], bank: TermBank) -> list[Proposal]:
    """Every proposal the facts make that the bank does not already hold, each once."""
    proposals: dict[tuple[str, str], Proposal] = {}

    def add(proposal: Proposal) -> None:
        proposals.setdefault((proposal.kind, spelling_key(proposal.text)), proposal)

    for fact in facts:
        evidence = f"{fact.where}: {fact.answer}"
        answer_terms = bank.find(fact.answer)
        if len(answer_terms) == 1:
            for alternative in fact.alternatives:
                if _term_like(alternative) and not bank.find(alternative):
                    add(Proposal("alias", alternative.strip(), term=answer_terms[0].name, evidence=evidence))
        members = [text.strip() for text in (fact.answer, *fact.wrong_options) if _term_like(text)]
        categories = Counter(bank.category_of(text) for text in members) - Counter({"": len(members)})
        if categories:
            category = categories.most_common(1)[0][0]
            for text in members:
                if not bank.category_of(text) and not any(t.category for t in bank.find(text)):
                    add(Proposal("sibling", text, category=category, evidence=evidence))
        elif fact.wrong_options and fact.answer in members and not bank.find(fact.answer):
            add(Proposal("term", fact.answer.strip(), evidence=evidence))
    return list(proposals.values())
