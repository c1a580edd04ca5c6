"""The term bank as plain data and as a plain file."""

import pytest

from terms.bank import BankTerm, TermBank
from terms.files import TermFileError, format_terms, parse_terms
from terms.keys import spelling_key

FILE = """# a comment
[检测指标]
IoU | 交并比 | Intersection over Union
mAP | 平均精度均值

[特殊 token]
\\[CLS] | CLS
\\## | 双井号

[公式]
P(A\\|B) | 条件概率
"""


def test_spelling_key_ignores_case_width_spaces_and_backticks():
    assert spelling_key("ＩｏＵ") == spelling_key(" iou ") == spelling_key("`IoU`")
    assert spelling_key("JS 散度") == spelling_key("JS散度")
    assert spelling_key("AdamW") != spelling_key("Adam")


def test_parse_reads_categories_aliases_positions_and_escapes():
    terms = parse_terms(FILE)
    assert [term.name for term in terms] == ["IoU", "mAP", "[CLS]", "##", "P(A|B)"]
    assert terms[0] == BankTerm("IoU", "检测指标", ("交并比", "Intersection over Union"), 1)
    assert terms[3].category == "特殊 token" and terms[3].position == 2
    assert terms[4].aliases == ("条件概率",)


def test_format_then_parse_is_the_same_bank():
    terms = parse_terms(FILE)
    assert parse_terms(format_terms(terms)) == terms


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a]\nIoU | 交并比\nGIoU | 交并比\n", "line 3: '交并比' already names the term on line 2"),
        ("[a]\n | 交并比\n", "line 2: a term needs a name"),
    ],
)
def test_bad_files_name_the_line(text, message):
    with pytest.raises(TermFileError, match=message):
        parse_terms(text)


def test_the_demo_bank_is_large_and_consistent():
    from quizzes.management.commands.load_demo import DEMO_DIR

    terms = parse_terms((DEMO_DIR / "terms.txt").read_text(encoding="utf-8"))
    categories = {term.category for term in terms}
    assert len(terms) >= 400 and len(categories) >= 40
    assert "" not in categories
    bank = TermBank(tuple(terms))
    assert bank.aliases_for("交并比") >= {"IoU", "Intersection over Union"}
    assert bank.aliases_for("self-attention") >= {"自注意力"}
    assert bank.aliases_for("Kaiming He") >= {"何恺明"}
    for name in ("AdamW", "GELU", "LayerNorm", "mAP", "Focal Loss", "何恺明", "yield", "引用计数", "单阶段"):
        assert bank.category_of(name), name


def test_bank_siblings_nearest_first_and_never_itself():
    bank = TermBank(tuple(BankTerm(name, "c", (), position) for position, name in enumerate("ABCDEF", 1)))
    assert [term.name for term in bank.siblings("C")] in (list("BDAEF"), list("DBEAF"))
    assert [term.name for term in bank.siblings("C", near=["F"])][0] == "F"
    assert bank.siblings("Z") == []


def test_ambiguous_spelling_has_no_category():
    bank = TermBank((BankTerm("x", "a", ("y",), 1), BankTerm("z", "b", ("Y",), 1)))
    assert bank.category_of("y") == ""
    assert bank.aliases_for("Y") == {"x", "y", "z", "Y"}
