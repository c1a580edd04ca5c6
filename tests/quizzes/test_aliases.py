"""Aliases the library teaches: a fact's alternatives are accepted for the same answer elsewhere."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from quizzes import aliases
from quizzes.answering import grade_fill_in
from quizzes.models import KeyFact, LibraryAlias, QuizItem
from terms.files import import_terms
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

TEACHER = """# 分割指标

衡量重叠常用{{交并比|IoU|Intersection over Union}}。

Transformer 的核心是{{self-attention|自注意力}}。
"""

ASKED = """# 检测

目标检测里 NMS 的阈值作用在{{IoU}}上。

BERT 的编码器由{{自注意力}}和前馈网络组成。

正则化常用{{L2}}。
"""


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library():
    topic = make_topic()
    teacher = make_article(topic=topic, slug="metrics", body=TEACHER)
    asked = make_article(topic=topic, slug="detection", body=ASKED)
    return teacher, asked


def grade_for(article, answer, typed):
    fact = KeyFact.objects.get(article=article, answer=answer)
    return grade_fill_in(QuizItem(fact=fact), typed)


@pytest.mark.parametrize(
    ("answer", "typed", "accepted"),
    [
        ("IoU", "交并比", True),
        ("IoU", "intersection over union", True),
        ("IoU", "交並比", True),
        ("IoU", "Dice", False),
        ("IoU", "交集", False),
        ("自注意力", "self-attention", True),
        ("自注意力", "Self Attention", True),
        ("自注意力", "cross-attention", False),
        ("L2", "L1", False),
    ],
)
def test_the_library_teaches_aliases(library, answer, typed, accepted):
    _, asked = library
    assert grade_for(asked, answer, typed).accepted is accepted


def test_aliases_go_when_the_teaching_article_is_unpublished(library):
    teacher, asked = library
    assert grade_for(asked, "IoU", "交并比").accepted
    teacher.status = Article.Status.DRAFT
    teacher.save()
    assert not LibraryAlias.objects.filter(article=teacher).exists()
    assert not grade_for(asked, "IoU", "交并比").accepted


def test_aliases_follow_edits_of_the_teaching_article(library):
    teacher, asked = library
    teacher.body = TEACHER.replace("|Intersection over Union", "")
    teacher.save()
    assert grade_for(asked, "IoU", "交并比").accepted
    assert not grade_for(asked, "IoU", "Intersection over Union").accepted


def test_a_facts_aliases_cost_two_queries_however_large_the_library_then_none(library):
    _, asked = library
    fact = KeyFact.objects.get(article=asked, answer="IoU")
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        found = aliases.for_fact(fact)
    assert found == {"交并比", "Intersection over Union"}
    topic = make_topic()
    for number in range(10):
        make_article(topic=topic, slug=f"more-{number}", body=TEACHER.replace("交并比", f"交并比{number}"))
    with CaptureQueriesContext(connection) as large:
        found = aliases.for_fact(fact)
    with CaptureQueriesContext(connection) as cached:
        assert aliases.for_fact(fact) == found
    assert len(small) == len(large) == 2  # the notes' aliases, the term bank's
    assert len(cached) == 0
    assert len(found) == 12


def test_a_right_answer_looks_no_alias_up(library):
    _, asked = library
    fact = KeyFact.objects.get(article=asked, answer="IoU")
    with CaptureQueriesContext(connection) as captured:
        assert grade_fill_in(QuizItem(fact=fact), "iou").accepted
    assert len(captured) == 0


BANK = """[检测指标]
mAP | mean Average Precision | 平均精度均值
[人物]
何恺明 | Kaiming He
"""

BANK_ASKED = """# 检测

COCO 榜单的主要指标是{{mAP}}。

ResNet 的第一作者是{{何恺明}}。
"""


@pytest.mark.parametrize(
    ("answer", "typed", "accepted"),
    [
        ("mAP", "mean average precision", True),
        ("mAP", "平均精度均值", True),
        ("mAP", "AP50", False),
        ("何恺明", "Kaiming He", True),
        ("何恺明", "kaiming he", True),
        ("何恺明", "Ross Girshick", False),
    ],
)
def test_the_term_banks_aliases_are_accepted(answer, typed, accepted):
    import_terms(BANK)
    asked = make_article(topic=make_topic(), slug="bank-asked", body=BANK_ASKED)
    assert grade_for(asked, answer, typed).accepted is accepted


def test_an_alias_added_to_the_bank_is_accepted_at_once():
    import_terms("[人物]\n何恺明\n")
    asked = make_article(topic=make_topic(), slug="bank-asked", body=BANK_ASKED)
    assert not grade_for(asked, "何恺明", "Kaiming He").accepted
    import_terms("[人物]\n何恺明 | Kaiming He\n")
    assert grade_for(asked, "何恺明", "Kaiming He").accepted
