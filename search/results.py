"""A search as the results page shows it: notes by relevance with snippets, and key facts.

The number of queries is the same whatever the size of the library: one for the terms the query
names, one for the matching notes and their total, one for their rows, two for the facts group,
and one count per term shown (at most TERM_GROUP_SIZE).
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from articles.models import Article
from articles.rendering import render_answer
from search import backends, termbank
from search.indexing import load_library_dictionary
from search.models import SearchFact
from search.snippets import Snippet, best_snippet
from search.words import Word, finer_words, normalise, query_words

PAGE_SIZE = 20
FACT_GROUP_SIZE = 6
TERM_GROUP_SIZE = 3


@dataclass(frozen=True)
class NoteResult:
    article: Article
    snippet: Snippet | None

    @property
    def url(self) -> str:
        anchor = f"#{self.snippet.anchor}" if self.snippet and self.snippet.anchor else ""
        return self.article.get_absolute_url() + anchor


@dataclass(frozen=True)
class FactResult:
    answer_html: str
    alternatives: list[str]
    notes: int  # how many notes the searcher may read hold this answer


@dataclass(frozen=True)
class TermResult:
    name: str
    aliases: tuple[str, ...]
    category: str
    notes: int  # how many notes the searcher may read mention it, by any of its names


@dataclass
class Results:
    query: str
    words: list[Word] = field(default_factory=list)
    notes: list[NoteResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    facts: list[FactResult] = field(default_factory=list)
    terms: list[TermResult] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page * PAGE_SIZE < self.total

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def visible_statuses(user) -> list[str] | None:
    """Learners find published notes; editors every note (None: no filter)."""
    return None if user.is_staff else [Article.Status.PUBLISHED]


def search(query: str, user, page: int = 1) -> Results:
    load_library_dictionary()
    results = Results(query=query, page=page)
    results.words = query_words(query)
    if not results.words:
        return results
    backend = backends.current()
    named = termbank.terms_named([query, *(word.text for word in results.words)])
    named.sort(key=lambda term: not term.is_spelled(query))  # the term the whole query names first
    groups = query_groups(results.words, named)
    statuses = visible_statuses(user)
    ids, results.total = backend.documents(groups, statuses, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    marked = list(dict.fromkeys(word for group in groups for words in group for word in words))
    articles = Article.objects.select_related("topic", "search_document").only(
        "title", "slug", "status", "topic__name", "topic__slug", "search_document__paragraphs"
    )
    by_id = articles.in_bulk(ids)
    results.notes = [
        NoteResult(by_id[pk], best_snippet(by_id[pk].search_document.paragraph_list, marked))
        for pk in ids
        if pk in by_id
    ]
    if page == 1:
        results.facts = fact_results(backend, groups, statuses, normalise(query).strip())
        results.terms = [
            TermResult(term.name, term.aliases, term.category, backend.count([term.alternatives()], statuses))
            for term in named[:TERM_GROUP_SIZE]
        ]
    return results


def query_groups(words: list[Word], named: list[termbank.NamedTerm]) -> backends.Groups:
    """Each word of the query, or the words it was cut into before the segmenter learnt it,
    or any name of a term it names (交并比 also finds IoU)."""
    groups = []
    for word in words:
        alternatives = [(word,)]
        finer = tuple(Word(part) for part in finer_words(word.text))
        candidates = [finer] if len(finer) > 1 else []
        for term in named:
            if term.is_spelled(word.text):
                candidates += term.alternatives()
        seen = {(word.text,)}
        for candidate in candidates:
            texts = tuple(part.text for part in candidate)
            if texts not in seen:
                seen.add(texts)
                alternatives.append(candidate)
        groups.append(alternatives)
    return groups


def fact_results(backend, groups, statuses, key: str) -> list[FactResult]:
    found = backend.facts(groups, statuses, key, FACT_GROUP_SIZE)
    rows = SearchFact.objects.in_bulk([fact_id for fact_id, _ in found])
    return [
        FactResult(render_answer(rows[fact_id].answer), rows[fact_id].alternatives, notes)
        for fact_id, notes in found
        if fact_id in rows
    ]


def matching_articles(queryset: QuerySet, query: str) -> QuerySet:
    """The queryset's notes that match the query in the index (the admin's search box)."""
    if not query.strip():
        return queryset
    load_library_dictionary()
    words = query_words(query)
    if not words:
        return queryset.none()
    sql, params = backends.current().article_ids([[(word,)] for word in words])
    return queryset.filter(pk__in=RawSQL(sql, params))
