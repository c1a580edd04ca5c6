"""Tell what kind of answer a key fact has: number, Latin term, Chinese term, code or formula.

The rules, where a case could go either way:
- Only an answer wrapped in backticks is CODE; an unmarked `__init__` is MIXED.
- FORMULA is an answer in `$...$`, or unmarked text without Han characters that is clearly maths:
  it holds `^`, `\\`, `=`, a comparison or big-operator sign, a super- or subscript digit, or is
  a short function application such as `O(n^2)`, `Θ(n log n)`, `f(x)`, `P(A|B)`.
- NUMBER is one number as written in notes: `2020`, `0.5`, `.5`, `-3`, `1,000`, `1e-3`, with at
  most one unit suffix `%`, `x`/`×` (as in `4x`), `k`, `M`, `B`, `T`. `3×3` is not one number: it
  is MIXED (script OTHER). A number's script is always OTHER, whatever its suffix letter.
- CHINESE is Han characters with optional punctuation and spaces; any Latin letter or digit next
  to them makes the answer MIXED (`第2层`, `Layer Norm层`).
- LATIN is Latin letters with optional digits, spaces, hyphens and dots (`AdamW`, `ResNet-50`,
  `self-attention`, `e.g.`); anything else Latin (`C++`, `ReLU(x)`) is MIXED with script LATIN.
- Full-width forms count as their half-width twins (`ＡｄａｍＷ` is LATIN).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class Kind(StrEnum):
    NUMBER = "number"
    LATIN = "latin"
    CHINESE = "chinese"
    CODE = "code"
    FORMULA = "formula"
    MIXED = "mixed"


class Script(StrEnum):
    LATIN = "latin"
    HAN = "han"
    MIXED = "mixed"
    OTHER = "other"


@dataclass(frozen=True)
class Classified:
    kind: Kind
    script: Script


@dataclass(frozen=True)
class Number:
    """A number as written, so that look-alike numbers can be written the same way."""

    value: Decimal
    decimals: int  # digits written after the point
    suffix: str  # as written: "", "%", "x", "×", "k", "M", "B", ...
    grouped: bool  # written with thousands separators
    mantissa: str  # digits before "e" in scientific notation, else ""
    exponent: int | None  # set only for scientific notation

    @property
    def unit(self) -> str:
        """The suffix in one spelling, so that `4x` and `4×`, `1k` and `1K` compare equal."""
        return self.suffix.lower().replace("×", "x")


# U+FF01..U+FF5E are the full-width twins of ASCII "!".."~"; U+3000 is the ideographic space.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_LATIN_TERM = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f0-9 .\-]+")
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<integer>\d{1,3}(?:,\d{3})+|\d+)?"
    r"(?:\.(?P<fraction>\d+))?"
    r"(?:e(?P<exponent>[+-]?\d{1,3}))?"
    r"(?P<suffix>%|x|×|k|m|b|t)?",
    re.IGNORECASE,
)
_MATH_SIGNS = re.compile(r"[\^\\=≤≥≠≈∑∏√∞∂∈∝∇⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ₀₁₂₃₄₅₆₇₈₉]")
_FUNCTION_APPLICATION = re.compile(r"[A-Za-zΑ-Ωα-ω]{1,3}\(.+\)")
_WHITESPACE = re.compile(r"\s+")


def to_half_width(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces as ASCII; nothing else (no NFKC)."""
    return text if text.isascii() else text.translate(_HALF_WIDTH)


def is_wrapped(text: str, mark: str) -> bool:
    return len(text) >= 2 and text[0] == mark == text[-1]


def parse_number(text: str) -> Number | None:
    """The number `text` spells, or None; full-width digits and spaces are allowed."""
    compact = _WHITESPACE.sub("", to_half_width(text))
    match = _NUMBER.fullmatch(compact)
    if not match or not (match["integer"] or match["fraction"]):
        return None
    if match["exponent"] and not match["integer"]:
        return None
    integer = (match["integer"] or "0").replace(",", "")
    fraction = match["fraction"] or ""
    exponent = int(match["exponent"]) if match["exponent"] else None
    try:
        value = Decimal(f"{match['sign']}{integer}.{fraction or '0'}e{exponent or 0}")
    except InvalidOperation:
        return None
    return Number(
        value=value,
        decimals=len(fraction),
        suffix=match["suffix"] or "",
        grouped="," in (match["integer"] or ""),
        mantissa=f"{integer}.{fraction}" if exponent is not None and fraction else integer,
        exponent=exponent,
    )


def classify(answer: str) -> Classified:
    text = answer.strip()
    if is_wrapped(text, "`"):
        return Classified(Kind.CODE, script_of(text.strip("`")))
    if is_wrapped(text, "$"):
        return Classified(Kind.FORMULA, script_of(text.strip("$")))
    if parse_number(text):
        return Classified(Kind.NUMBER, Script.OTHER)
    text = to_half_width(text)
    script = script_of(text)
    if script is Script.HAN and all(_is_chinese_character(char) for char in text):
        return Classified(Kind.CHINESE, script)
    if not HAN.search(text) and (_MATH_SIGNS.search(text) or _FUNCTION_APPLICATION.fullmatch(text)):
        return Classified(Kind.FORMULA, script)
    if script is Script.LATIN and _LATIN_TERM.fullmatch(text):
        return Classified(Kind.LATIN, script)
    return Classified(Kind.MIXED, script)


def script_of(text: str) -> Script:
    has_han = bool(HAN.search(text))
    has_latin = bool(LATIN_LETTER.search(to_half_width(text)))
    if has_han and has_latin:
        return Script.MIXED
    if has_han:
        return Script.HAN
    if has_latin:
        return Script.LATIN
    return Script.OTHER


def _is_chinese_character(char: str) -> bool:
    return bool(HAN.match(char)) or char.isspace() or unicodedata.category(char).startswith("P")
