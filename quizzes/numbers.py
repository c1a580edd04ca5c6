"""Read the value a typed number stands for: digits, Chinese numerals, percent and fractions.

Two spellings of one value are the same answer (`15%`, `0.15`, `百分之十五`; `0.75`, `3/4`);
a different value never is (`1.5%` is not `15%`). A unit such as `4x` must match as written:
only `%`, `‰` and the scale suffixes (`k`, `M`, `B`, `T`, `万`, `亿`) are part of the value.
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import cn2an

from quizzes.kinds import parse_number, to_half_width

# Longer than any number a note asks for; keeps cn2an and Fraction away from huge input.
MAX_NUMBER_LENGTH = 40
# A counter or unit after a number is a few characters (`年`, `个`, `层`, `ms`, `GB`, `个参数`).
MAX_COUNTER_LENGTH = 6

_SCALE = {
    "": 1,
    "%": Fraction(1, 100),
    "‰": Fraction(1, 1000),
    "k": 10**3,
    "m": 10**6,
    "b": 10**9,
    "t": 10**12,
    "万": 10**4,
    "亿": 10**8,
}
# Chinese numerals, as cn2an reads them ("normal" mode: 二〇一七, 十二, 负三, 零点五).
_CHINESE_NUMERAL = re.compile(r"[负正]?[零〇一二两三四五六七八九十百千万亿点]+")
_FRACTION = re.compile(r"([+-]?\d+)/(\d+)")
_PER = re.compile(r"(?P<whole>.+)分之(?P<part>.+)")  # 百分之十五, 三分之一
_WHITESPACE = re.compile(r"\s+")
# Where a sentence stops: a counter never runs past punctuation, a space, or a digit.
_COUNTER_STOP = re.compile(r"[\s\d.,;:!?，。；：！？、（）()\[\]【】“”‘’\"'《》]")


@dataclass(frozen=True)
class Value:
    """A typed number: its exact value and the unit written after it (`x`, `年`, ...)."""

    amount: Fraction
    unit: str = ""


@lru_cache(maxsize=4096)
def read_value(text: str) -> Value | None:
    """The value `text` spells, or None when it is not one number (with at most one unit)."""
    compact = _WHITESPACE.sub("", to_half_width(text))
    if not compact or len(compact) > MAX_NUMBER_LENGTH:
        return None
    if per := _PER.fullmatch(compact):
        # 百分之, 千分之: cn2an reads 一百 but not a bare 百.
        whole = _plain_amount(("一" if per["whole"] in ("百", "千", "万") else "") + per["whole"])
        part = _plain_amount(per["part"])
        if whole is None or part is None or whole == 0:
            return None
        return Value(part / whole)
    for suffix, scale in _SCALE.items():
        if (
            suffix
            and compact.endswith(suffix)
            and (amount := _plain_amount(compact[: -len(suffix)])) is not None
        ):
            return Value(amount * scale)
        if suffix and compact.lower().endswith(suffix) and len(suffix) == 1 and suffix.isascii():
            # `1K` and `1k`, `175B` and `175b`: the scale letters are case-blind.
            amount = _plain_amount(compact[:-1])
            if amount is not None:
                return Value(amount * scale)
    amount = _plain_amount(compact)
    if amount is not None:
        return Value(amount)
    number = parse_number(compact)
    if number is not None:  # `4x`, `4×`: a unit that is not a scale
        return Value(Fraction(number.value), number.unit)
    return None


def strip_counter(typed: str, preceding: str, following: str) -> str:
    """`typed` without the counter or unit the sentence itself writes around the blank.

    `＿＿年` makes `2017年` read as `2017`, `第＿＿层` makes `第12层` read as `12`; only text the
    sentence has right next to the blank is dropped, so `3层` stays `3层` for `＿＿个`.
    """
    text = _WHITESPACE.sub("", to_half_width(typed))
    after = _counter_run(to_half_width(following).lstrip())
    before = _counter_run(to_half_width(preceding).rstrip()[::-1])[::-1]
    for length in range(min(len(after), len(text) - 1), 0, -1):
        if text.endswith(after[:length]):
            text = text[:-length]
            break
    for length in range(min(len(before), len(text) - 1), 0, -1):
        if text.startswith(before[-length:]):
            text = text[length:]
            break
    return text


def split_counter(text: str) -> tuple[str, str]:
    """(`12`, `层`) for `12层`: a number followed by a Chinese counter, else (text, "")."""
    compact = _WHITESPACE.sub("", to_half_width(text))
    index = len(compact)
    while index > 0 and _is_counter_character(compact[index - 1]):
        index -= 1
    counter = compact[index:]
    if not counter or len(counter) > 2 or index == 0:
        return compact, ""
    return compact[:index], counter


def _is_counter_character(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" and not _CHINESE_NUMERAL.fullmatch(char)


def _counter_run(text: str) -> str:
    stop = _COUNTER_STOP.search(text)
    run = text[: stop.start()] if stop else text
    return run[:MAX_COUNTER_LENGTH]


def _plain_amount(text: str) -> Fraction | None:
    """A number without unit: digits (grouped, decimal, scientific), a/b, or Chinese numerals."""
    if not text:
        return None
    number = parse_number(text)
    if number is not None and not number.suffix:
        return Fraction(number.value)
    if fraction := _FRACTION.fullmatch(text):
        numerator, denominator = int(fraction[1]), int(fraction[2])
        return Fraction(numerator, denominator) if denominator else None
    if _CHINESE_NUMERAL.fullmatch(text):
        try:
            return Fraction(str(cn2an.cn2an(text, "normal")))
        except (ValueError, KeyError, IndexError):
            return None
    return None
