"""The bank in the database: lookups, import/export round trip, questions re-chosen on change."""

from io import StringIO

import pytest
from django.core.management import call_command

from quizzes.models import KeyFact, Question
from terms.files import TermFileError, import_terms
from terms.lookup import aliases_for, all_term_names, load_bank
from terms.models import Category, Term
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BANK = """[检测指标]
IoU | 交并比 | Intersection over Union
mAP | 平均精度均值
[人物]
何恺明 | Kaiming He | 何凯明
"""


def test_aliases_for_is_case_and_width_insensitive():
    import_terms(BANK)
    assert aliases_for("ｉｏｕ") == {"IoU", "交并比", "Intersection over Union"}
    assert aliases_for("kaiming he") == {"何恺明", "Kaiming He", "何凯明"}
    assert aliases_for("GIoU") == frozenset()
    assert all_term_names() == sorted(["IoU", "mAP", "何恺明"])


def test_import_twice_changes_nothing_and_an_edit_updates_by_name():
    first = import_terms(BANK)
    assert (first.created, first.categories) == (3, 2)
    again = import_terms(BANK)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    edited = import_terms(BANK.replace("mAP | 平均精度均值", "mAP | 平均精度均值 | mean AP"))
    assert edited.updated == 1
    assert "mean AP" in Term.objects.get(name="mAP").aliases


def test_a_bad_file_changes_nothing():
    with pytest.raises(TermFileError):
        import_terms("[a]\nX | Y\nZ | y\n")
    assert not Term.objects.exists() and not Category.objects.exists()


def test_export_then_import_round_trip(tmp_path):
    import_terms(BANK)
    call_command("export_terms", tmp_path / "terms.txt", stdout=StringIO())
    before = load_bank()
    Term.objects.all().delete()
    call_command("import_terms", tmp_path / "terms.txt", stdout=StringIO())
    assert load_bank() == before


def test_export_articles_writes_the_bank_next_to_the_notes_and_import_reads_it(tmp_path):
    import_terms(BANK)
    make_article(slug="one")
    call_command("export_articles", tmp_path, stdout=StringIO())
    assert (tmp_path / "terms.txt").read_text(encoding="utf-8").count("交并比") == 1
    Term.objects.all().delete()
    call_command("import_articles", tmp_path, stdout=StringIO())
    assert aliases_for("交并比")


OPTIMISER_NOTE = "# 优化\n\n训练 ViT 常用的优化器是{{AdamW|Adam-W}}。\n"


def test_questions_are_chosen_again_when_the_bank_changes_and_facts_keep_identity():
    article = make_article(body=OPTIMISER_NOTE)
    fact = KeyFact.objects.get(article=article)
    assert not Question.objects.filter(fact=fact, type="mcq", is_generated=True).exists()
    import_terms("[优化器]\nSGD\nAdam\nAdamW | Adam-W\nLion\n")
    mcq = Question.objects.get(fact=fact, type="mcq")
    assert mcq.is_generated and set(mcq.wrong_options) == {"SGD", "Adam", "Lion"}
    assert mcq.option_sources == ["bank", "bank", "bank"]
    assert KeyFact.objects.get(article=article).pk == fact.pk
