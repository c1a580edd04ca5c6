"""Answer kinds: what decides which wrong options and which grading rules an answer gets."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.kinds import Classified, Kind, Script, classify, parse_number, to_half_width

CLASSIFIED = [
    # numbers and years
    ("2020", Kind.NUMBER, Script.OTHER),
    ("0.5", Kind.NUMBER, Script.OTHER),
    ("-3", Kind.NUMBER, Script.OTHER),
    ("1,000", Kind.NUMBER, Script.OTHER),
    ("1e-3", Kind.NUMBER, Script.OTHER),
    ("50%", Kind.NUMBER, Script.OTHER),
    ("4x", Kind.NUMBER, Script.OTHER),
    ("175B", Kind.NUMBER, Script.OTHER),
    ("２０２０", Kind.NUMBER, Script.OTHER),
    ("3×3", Kind.MIXED, Script.OTHER),
    ("1,00", Kind.MIXED, Script.OTHER),
    # Latin terms
    ("AdamW", Kind.LATIN, Script.LATIN),
    ("ResNet-50", Kind.LATIN, Script.LATIN),
    ("GELU", Kind.LATIN, Script.LATIN),
    ("self-attention", Kind.LATIN, Script.LATIN),
    ("Vision Transformer", Kind.LATIN, Script.LATIN),
    ("e.g.", Kind.LATIN, Script.LATIN),
    ("ＡｄａｍＷ", Kind.LATIN, Script.LATIN),
    ("L2", Kind.LATIN, Script.LATIN),
    ("C++", Kind.MIXED, Script.LATIN),
    ("__init__", Kind.MIXED, Script.LATIN),
    # Chinese terms
    ("权重衰减", Kind.CHINESE, Script.HAN),
    ("權重衰減", Kind.CHINESE, Script.HAN),
    ("“注意力”", Kind.CHINESE, Script.HAN),
    ("编码器，解码器", Kind.CHINESE, Script.HAN),
    ("第2层", Kind.MIXED, Script.HAN),
    # code and formulas
    ("`yield`", Kind.CODE, Script.LATIN),
    ("`__init__`", Kind.CODE, Script.LATIN),
    ("`[]`", Kind.CODE, Script.OTHER),
    ("$O(n^2)$", Kind.FORMULA, Script.LATIN),
    ("$\\sqrt{d_k}$", Kind.FORMULA, Script.LATIN),
    ("O(n^2)", Kind.FORMULA, Script.LATIN),
    ("O(n²)", Kind.FORMULA, Script.LATIN),
    ("Θ(n log n)", Kind.FORMULA, Script.LATIN),
    ("P(A|B)", Kind.FORMULA, Script.LATIN),
    ("a=b", Kind.FORMULA, Script.LATIN),
    ("ReLU(x)", Kind.MIXED, Script.LATIN),
    # mixed
    ("自注意力 self-attention", Kind.MIXED, Script.MIXED),
    ("Layer Norm层", Kind.MIXED, Script.MIXED),
    ("x的平方", Kind.MIXED, Script.MIXED),
    ("", Kind.MIXED, Script.OTHER),
]


@pytest.mark.parametrize(("answer", "kind", "script"), CLASSIFIED, ids=[c[0] for c in CLASSIFIED])
def test_classify(answer, kind, script):
    assert classify(answer) == Classified(kind, script)


@pytest.mark.parametrize(
    ("text", "value", "decimals", "suffix", "grouped"),
    [
        ("0.50", Decimal("0.5"), 2, "", False),
        (".5", Decimal("0.5"), 1, "", False),
        ("1,000", Decimal(1000), 0, "", True),
        ("１，０００", Decimal(1000), 0, "", True),
        ("1e-3", Decimal("0.001"), 0, "", False),
        ("-2.5%", Decimal("-2.5"), 1, "%", False),
        ("4×", Decimal(4), 0, "×", False),
    ],
    ids=[
        "trailing-zero",
        "leading-point",
        "grouped",
        "full-width",
        "scientific",
        "percent",
        "times",
    ],
)
def test_parse_number(text, value, decimals, suffix, grouped):
    number = parse_number(text)
    expected = (value, decimals, suffix, grouped)
    assert (number.value, number.decimals, number.suffix, number.grouped) == expected


@pytest.mark.parametrize("text", ["", "e3", "x", "1,00", "1.2.3", "NaN", "Infinity", "3×3", "%"])
def test_parse_number_refuses_non_numbers(text):
    assert parse_number(text) is None


def test_units_compare_in_one_spelling():
    assert parse_number("4x").unit == parse_number("4×").unit == "x"
    assert parse_number("1K").unit == parse_number("1k").unit


def test_half_width_leaves_superscripts_alone():
    assert to_half_width("Ｏ（ｎ²）\u3000") == "O(n²) "


@given(st.text())
def test_classify_never_raises(text):
    assert isinstance(classify(text), Classified)
