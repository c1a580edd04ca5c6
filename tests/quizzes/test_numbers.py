"""Reading typed numbers: one value in any spelling, counters taken from the sentence."""

from fractions import Fraction

import pytest

from quizzes.numbers import Value, read_value, split_counter, strip_counter


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2017", Value(Fraction(2017))),
        ("1,000", Value(Fraction(1000))),
        ("0.15", Value(Fraction(3, 20))),
        ("15%", Value(Fraction(3, 20))),
        ("１５％", Value(Fraction(3, 20))),
        ("百分之十五", Value(Fraction(3, 20))),
        ("3/4", Value(Fraction(3, 4))),
        ("三分之一", Value(Fraction(1, 3))),
        ("二〇一七", Value(Fraction(2017))),
        ("十二", Value(Fraction(12))),
        ("两", Value(Fraction(2))),
        ("负三", Value(Fraction(-3))),
        ("零点五", Value(Fraction(1, 2))),
        ("1万", Value(Fraction(10000))),
        ("175B", Value(Fraction(175 * 10**9))),
        ("1e-3", Value(Fraction(1, 1000))),
        ("4x", Value(Fraction(4), "x")),
    ],
)
def test_read_value(text, value):
    assert read_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1/0", "十十", "3层", "2017年", "1" * 50, "1,00"])
def test_not_one_number(text):
    assert read_value(text) is None


@pytest.mark.parametrize(
    ("typed", "preceding", "following", "left"),
    [
        ("2017年", "在", "年提出", "2017"),
        ("第12层", "第", "层。", "12"),
        ("3个注意力头", "有", "个注意力头。", "3"),
        ("3层", "有", "个头", "3层"),  # only what the sentence itself writes goes
        ("年", "", "年", "年"),  # never everything
        ("2017年", "", "", "2017年"),
        ("15%", "", "%的 token", "15"),
    ],
)
def test_strip_counter(typed, preceding, following, left):
    assert strip_counter(typed, preceding, following) == left


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("12层", ("12", "层")),
        ("三个", ("三", "个")),
        ("1万", ("1万", "")),
        ("2017", ("2017", "")),
        ("权重", ("权重", "")),
    ],
)
def test_split_counter(text, parts):
    assert split_counter(text) == parts
