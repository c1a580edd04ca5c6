"""Keeping the index in step with the notes: on every save and import (in the save's
transaction), with the note's rows on delete (a cascade), and rebuilt whole on demand."""

import threading

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article
from search import backends, termbank
from search.documents import IndexedText, indexed_text
from search.models import SearchDocument, SearchFact
from search.words import add_words, index_words, normalise

_dictionary_lock = threading.Lock()
_dictionary_loaded = False


def library_words() -> list[str]:
    """Names that must stay whole when text is cut: the term bank's terms when it is
    installed, and every key fact's answer and alternatives."""
    names = termbank.dictionary_words()
    facts = SearchFact.objects.values_list("answer", "alternatives").order_by().distinct()
    for answer, alternatives in facts:
        names += [answer, *alternatives]
    return names


def load_library_dictionary() -> None:
    """Once per process, before the first note is indexed or searched."""
    global _dictionary_loaded
    with _dictionary_lock:
        if not _dictionary_loaded:
            add_words(library_words())
            _dictionary_loaded = True


def fact_spellings(facts) -> list[tuple[str, list[str]]]:
    """Each distinct answer of the note once, with its alternatives."""
    seen, spellings = set(), []
    for fact in facts:
        key = normalise(fact.answer)
        if key not in seen:
            seen.add(key)
            spellings.append((fact.answer, list(fact.alternatives)))
    return spellings


def text_of(article: Article) -> tuple[IndexedText, list[tuple[str, list[str]]]]:
    load_library_dictionary()
    facts = fact_spellings(article.rendered.facts)
    add_words(spelling for answer, alternatives in facts for spelling in (answer, *alternatives))
    flat = [spelling for answer, alternatives in facts for spelling in (answer, *alternatives)]
    return indexed_text(article.title, article.body_html, flat), facts


def document_row(article: Article, text: IndexedText) -> SearchDocument:
    return SearchDocument(
        article=article,
        title=text.title,
        facts=text.facts,
        body=text.body,
        paragraphs=[[paragraph.anchor, paragraph.text] for paragraph in text.paragraphs],
    )


def fact_rows(article: Article, facts) -> list[SearchFact]:
    return [
        SearchFact(
            article=article,
            answer=answer[:500],
            alternatives=alternatives,
            key=normalise(answer)[:500],
            words=" ".join(_fact_words(answer, alternatives)),
        )
        for answer, alternatives in facts
    ]


def _fact_words(answer, alternatives) -> list[str]:
    return index_words("\n".join([answer, *alternatives]))


def learn_term_names(sender, instance, **kwargs):
    """A term saved in the bank stays whole in the notes indexed from now on."""
    add_words([instance.name, *instance.aliases])


@receiver(post_save, sender=Article, dispatch_uid="search.index_article")
def index_saved_article(sender, instance: Article, raw=False, **kwargs):
    if not raw:  # fixtures load rows as they are; rebuild_search_index covers them
        index_article(instance)


_DOCUMENT_FIELDS = ("title", "facts", "body", "paragraphs")
_FACT_FIELDS = ("answer", "alternatives", "key", "words")


def index_article(article: Article) -> None:
    """Write the note's index rows, replacing what was there, in the caller's transaction;
    a save that changes nothing the index holds writes nothing."""
    text, facts = text_of(article)
    document, new_facts = document_row(article, text), fact_rows(article, facts)
    with transaction.atomic():
        values = {field: getattr(document, field) for field in _DOCUMENT_FIELDS}
        stored = SearchDocument.objects.filter(article=article).values(*_DOCUMENT_FIELDS).first()
        if stored is None:
            SearchDocument.objects.create(article=article, **values)
        elif stored != values:
            SearchDocument.objects.filter(article=article).update(**values)
        stored_facts = SearchFact.objects.filter(article=article).order_by("pk").values_list(*_FACT_FIELDS)
        fresh_facts = [tuple(getattr(fact, field) for field in _FACT_FIELDS) for fact in new_facts]
        if list(stored_facts) != fresh_facts:
            SearchFact.objects.filter(article=article).delete()
            SearchFact.objects.bulk_create(new_facts)


def rebuild_index(batch_size: int = 200, progress=lambda done: None) -> int:
    """Index every note from scratch, in one transaction; returns how many."""
    done = 0
    with transaction.atomic():
        SearchFact.objects.all().delete()
        SearchDocument.objects.all().delete()
        load_library_dictionary()
        articles = Article.objects.only("id", "title", "body", "body_html").order_by("pk")
        documents, facts = [], []
        for article in articles.iterator(chunk_size=batch_size):
            text, spellings = text_of(article)
            documents.append(document_row(article, text))
            facts += fact_rows(article, spellings)
            done += 1
            if len(documents) >= batch_size:
                _write(documents, facts)
                documents, facts = [], []
                progress(done)
        _write(documents, facts)
        backends.current().refresh()
    return done


def _write(documents, facts) -> None:
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    SearchFact.objects.bulk_create(facts, batch_size=1000)
