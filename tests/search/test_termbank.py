"""Search with the term bank: its names stay whole, aliases find each other, terms are a group."""

import pytest
from django.apps import apps

from articles.models import Article
from search.models import SearchDocument
from search.results import search
from tests.factories import make_article, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("terms"), reason="the term bank is not installed"),
]


@pytest.fixture
def iou():
    from terms.models import Category, Term

    category = Category.objects.create(name="检测指标")
    return Term.objects.create(name="IoU", aliases=["交并比", "Intersection over Union"], category=category)


def titles(results) -> list[str]:
    return sorted(note.article.title for note in results.notes)


def test_a_query_finds_notes_that_use_any_name_of_its_term(iou):
    learner = make_user()
    make_article(title="英文", body="检测框的 IoU 越大越好。\n")
    make_article(title="中文", body="检测框的交并比越大越好。\n")
    make_article(title="全称", body="It is the Intersection over Union of two boxes.\n")
    make_article(title="无关", body="这里讲的是数据增强。\n")
    for query in ("IoU", "交并比", "ｉｏｕ", "交並比"):
        assert titles(search(query, learner)) == ["中文", "全称", "英文"], query


def test_the_terms_a_query_names_are_a_group_with_their_note_counts(iou):
    learner, editor = make_user(), make_user(staff=True)
    make_article(title="一", body="检测框的 IoU 越大越好。\n")
    make_article(title="二", body="交并比衡量两个框的重叠。\n")
    make_article(title="草稿", body="IoU 的草稿。\n", status=Article.Status.DRAFT)
    [term] = search("交并比", learner).terms
    assert (term.name, term.aliases, term.category, term.notes) == (
        "IoU", ("交并比", "Intersection over Union"), "检测指标", 2
    )
    assert search("交并比", editor).terms[0].notes == 3
    assert search("梯度", learner).terms == []


def test_a_term_name_stays_whole_in_notes_indexed_after_it_was_added():
    from terms.models import Term

    Term.objects.create(name="自注意力机制", aliases=["self-attention"])
    article = make_article(title="注意力", body="Transformer 的核心是自注意力机制。\n")
    assert "自注意力机制" in SearchDocument.objects.get(article=article).body.split()
    assert titles(search("self-attention", make_user())) == ["注意力"]
