"""The term bank as a plain text file next to the notes (`terms.txt`), read and written.

    # a comment
    [优化器]
    SGD | 随机梯度下降 | stochastic gradient descent
    AdamW | Adam-W

A `[category]` line starts a category; each line below it is a term, its name first, then its
aliases, separated by `|` (`\\|` for a literal bar). Terms before any category line have none.
A backslash at the start of a line keeps a term that starts with `[` or `#` a term: `\\[CLS]`.
Order matters: terms listed side by side are the nearest siblings.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from terms.bank import BankTerm
from terms.keys import spelling_key
from terms.models import Category, Spelling, Term, rebuild_spellings
from terms.signals import bank_changed

FILE_NAME = "terms.txt"
_BAR = re.compile(r"(?<!\\)\|")
_CATEGORY = re.compile(r"\[(?P<name>[^\]]+)\]")


class TermFileError(ValueError):
    pass


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int
    unchanged: int
    categories: int


def parse_terms(text: str) -> list[BankTerm]:
    """Every term of a file, with its category and position; errors name the line."""
    terms, errors, seen = [], [], {}
    category, position = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _CATEGORY.fullmatch(line):
            category, position = match["name"].strip(), 0
            continue
        line = line.removeprefix("\\")
        pieces = [piece.strip().replace("\\|", "|") for piece in _BAR.split(line)]
        name, aliases = pieces[0], [piece for piece in pieces[1:] if piece]
        if not spelling_key(name):
            errors.append(f"line {number}: a term needs a name before its aliases")
            continue
        for spelling in (name, *aliases):
            key = spelling_key(spelling)
            if key in seen and seen[key][0] != len(terms):
                errors.append(f"line {number}: {spelling!r} already names the term on line {seen[key][1]}")
            seen.setdefault(key, (len(terms), number))
        position += 1
        terms.append(BankTerm(name=name, category=category, aliases=tuple(aliases), position=position))
    if errors:
        raise TermFileError("\n".join(errors))
    return terms


def format_terms(terms: list[BankTerm]) -> str:
    """The file form of a bank: categories in order, then the terms without one."""

    def line(term: BankTerm) -> str:
        written = " | ".join(spelling.replace("|", "\\|") for spelling in term.spellings)
        return "\\" + written if written[0] in "[#\\" else written

    by_category: dict[str, list[BankTerm]] = {}
    for term in terms:
        by_category.setdefault(term.category, []).append(term)
    blocks = []
    if "" in by_category:
        blocks.append("\n".join(line(term) for term in by_category.pop("")))
    for category, members in by_category.items():
        blocks.append("\n".join([f"[{category}]", *(line(term) for term in members)]))
    return "# Term bank: [category], then one term a line: name | alias | alias\n\n" + (
        "\n\n".join(blocks) + "\n"
    )


def export_terms(path: Path) -> int:
    terms = [
        BankTerm(
            name=term.name,
            category=term.category.name if term.category else "",
            aliases=tuple(term.aliases),
            position=term.position,
        )
        for term in Term.objects.select_related("category").order_by(
            "category__position", "category__name", "position", "name"
        )
    ]
    path.write_text(format_terms(terms), encoding="utf-8")
    return len(terms)


def import_terms(text: str) -> ImportCounts:
    """Upsert every term of a file by name; terms not in the file stay (merging is an editor's)."""
    parsed = parse_terms(text)
    with transaction.atomic():
        categories = {category.name: category for category in Category.objects.all()}
        new_categories = 0
        for term in parsed:
            if term.category and term.category not in categories:
                categories[term.category] = Category.objects.create(
                    name=term.category, position=len(categories) + 1
                )
                new_categories += 1
        existing = {term.key: term for term in Term.objects.all()}
        by_pk = {term.pk: term for term in existing.values()}
        owners = dict(Spelling.objects.values_list("key", "term_id"))
        created, updated, unchanged = [], [], 0
        for item in parsed:
            key = spelling_key(item.name)
            row = existing.get(key)
            if row is None and key in owners:
                row = by_pk.get(owners[key])  # the file names the term by one of its aliases
            category = categories.get(item.category)
            aliases = [alias for alias in item.aliases if spelling_key(alias) != key]
            if row is None:
                created.append(
                    Term(name=item.name, key=key, category=category, aliases=aliases, position=item.position)
                )
                continue
            if (row.category_id, row.aliases, row.position) == (
                category.pk if category else None,
                aliases,
                item.position,
            ):
                unchanged += 1
                continue
            row.category, row.aliases, row.position = category, aliases, item.position
            updated.append(row)
        Term.objects.bulk_create(created)
        Term.objects.bulk_update(updated, ["category", "aliases", "position"])
        rebuild_spellings(created + updated)
        if created or updated:
            bank_changed.send(sender=Term, keys=None)
    return ImportCounts(len(created), len(updated), unchanged, new_categories)


def import_terms_file(path: Path) -> ImportCounts:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TermFileError(f"{path}: {error}") from error
    return import_terms(text)
