"""Grade a typed fill-in answer: forgiving where a person would be, strict where it matters."""

import keyword
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from functools import lru_cache

import opencc

from quizzes import formulas
from quizzes.kinds import (
    LATIN_LETTER,
    Kind,
    classify,
    is_wrapped,
    parse_number,
    to_half_width,
)
from quizzes.numbers import read_value, split_counter, strip_counter

# Beyond this many characters nobody reads a character diff, and difflib is quadratic.
DIFF_LIMIT = 300
TYPO_MIN_LETTERS = 5

_WHITESPACE = re.compile(r"[\s\u200b-\u200d\ufeff]+")
_SPACE_AROUND_PUNCTUATION = re.compile(r" ?([^\w ]) ?")
_TIMES_BETWEEN_DIGITS = re.compile(r"(\d)[xX*×](?=\d)")
_QUOTES = "\"'“”‘’「」『』"
_TRAILING_PUNCTUATION = "。.，,！!？?；;：:、"
# Brackets a learner may put around the whole answer: `（注意力）`, `【IoU】`, `《…》`.
_PAIRS = {
    "(": ")",
    "[": "]",
    "【": "】",
    "《": "》",
    "〈": "〉",
    "〔": "〕",
    "「": "」",
    "『": "』",
    "“": "”",
    "‘": "’",
}
_CODE_PAIRS = {opening: closing for opening, closing in _PAIRS.items() if not opening.isascii()}
# Code and formulas keep ASCII punctuation at the end (`println!`, `...`, `$n!$`), and full-width
# `！` is `!` there; only punctuation that has no ASCII twin can go.
_CJK_QUOTES = "“”‘’「」『』"
_CJK_TRAILING_PUNCTUATION = "。、"
# Typed after code or a formula with a Chinese input method; their ASCII twins may be code.
_CJK_TRAILING_SEPARATORS = "；，："
_FUNCTION_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\(\)")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ", "0123456789+-n")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ]+")
_SUBSCRIPT_RUN = re.compile(r"[₀₁₂₃₄₅₆₇₈₉₊₋]+")

# Taiwan and Hong Kong phrases, not only characters: 演算法 -> 算法, 資料集 -> 数据集.
_to_simplified_converters = (opencc.OpenCC("tw2sp"), opencc.OpenCC("hk2s"))


class Verdict(StrEnum):
    CORRECT = "correct"
    TYPO = "typo"
    WRONG = "wrong"


@dataclass(frozen=True)
class Segment:
    text: str
    differs: bool


@dataclass(frozen=True)
class Grade:
    verdict: Verdict
    typed: str  # what was typed, as typed (stripped)
    expected: str  # the accepted answer closest to what was typed, in display form
    typed_segments: tuple[Segment, ...]  # typed, split into same / differing runs
    expected_segments: tuple[Segment, ...]

    @property
    def accepted(self) -> bool:
        return self.verdict is not Verdict.WRONG


@dataclass(frozen=True)
class _Accepted:
    """One accepted spelling (the answer or an alternative), ready for comparison."""

    display: str
    kind: Kind
    normalised: str


@dataclass(frozen=True)
class Blank:
    """Where the answer sits: the sentence's text around the blank, and whether its form
    is the point (an exact fact accepts no other way of writing a number or a formula)."""

    preceding: str = ""
    following: str = ""
    exact: bool = False


def grade(
    typed: str,
    answer: str,
    alternatives: Sequence[str] = (),
    *,
    known_terms: Collection[str] = (),
    aliases: Collection[str] = (),
    blank: Blank = Blank(),
) -> Grade:
    """The verdict on `typed`; `aliases` (the library's other names for the answer) are
    accepted like alternatives, `known_terms` are never taken for a typo."""
    typed = typed.strip()
    accepted = _accepted_spellings(answer, (*alternatives, *aliases))
    if typed:
        for spelling in accepted:
            if _matches(typed, spelling, blank):
                return _grade(Verdict.CORRECT, typed, spelling)
        for spelling in accepted:
            if _is_typo(typed, spelling, known_terms):
                return _grade(Verdict.TYPO, typed, spelling)
    return _grade(Verdict.WRONG, typed, _closest(typed, accepted))


@lru_cache(maxsize=8192)  # typed answers repeat, and grading one normalises it several times
def normalise(text: str, *, code: bool = False, formula: bool = False) -> str:
    """The form two spellings are compared in; `code` and `formula` pick the stricter rules."""
    # No column stores a NUL, and OpenCC would end the text at one.
    text = text.replace("\x00", "")
    if code:
        return _normalise_code(text)
    if formula:
        return _normalise_formula(text)
    return _normalise_plain(text)


def display_form(answer: str) -> str:
    """An answer as a page shows it: without the backticks of code or the dollars of a formula."""
    text = answer.strip()
    for mark in "`$":
        if is_wrapped(text, mark):
            return text.strip(mark).strip()
    return text


def _normalise_plain(text: str) -> str:
    text = _WHITESPACE.sub("", to_half_width(text))
    # Repeated so that normalising twice changes nothing: `“`x`”` loses quotes, then backticks.
    previous = None
    while text != previous:
        previous = text
        text = _strip_ends(text, leading=_QUOTES, trailing=_TRAILING_PUNCTUATION + _QUOTES)
        text = _unwrap(text, _PAIRS)
        # Backticks or dollars a learner puts around a plain answer are decoration.
        for mark in "`$":
            if is_wrapped(text, mark):
                text = text.strip(mark)
    # Between digits, nobody types "×": `16x16` and `16*16` mean `16×16`.
    text = _TIMES_BETWEEN_DIGITS.sub(r"\1×", text)
    # Spaces are gone first: OpenCC converts by phrase, and a space would split a phrase.
    return _to_simplified(text).casefold()


def _normalise_code(text: str) -> str:
    text = _WHITESPACE.sub(" ", text).replace("`", "").replace("｀", "")
    text = _strip_ends(
        text, leading=_CJK_QUOTES + " ", trailing=_CJK_TRAILING_PUNCTUATION + _CJK_QUOTES + " "
    )
    text = _unwrap(text.strip(), _CODE_PAIRS)
    return _SPACE_AROUND_PUNCTUATION.sub(r"\1", to_half_width(text.strip()))


def _normalise_formula(text: str) -> str:
    text = _WHITESPACE.sub("", text).replace("$", "").replace("＄", "")
    text = to_half_width(
        _strip_ends(text, leading=_CJK_QUOTES, trailing=_CJK_TRAILING_PUNCTUATION + _CJK_QUOTES)
    )
    # `n²` means `n^2`: turned into TeX on purpose, never into `n2` as NFKC would.
    text = _SUPERSCRIPT_RUN.sub(lambda run: _tex_script("^", run[0], _SUPERSCRIPTS), text)
    return _SUBSCRIPT_RUN.sub(lambda run: _tex_script("_", run[0], _SUBSCRIPTS), text)


def _unwrap(text: str, pairs: dict[str, str]) -> str:
    """`text` without a bracket pair around all of it (`(a)(b)` is not wrapped)."""
    while len(text) >= 2 and text[0] in pairs and text[-1] == pairs[text[0]]:
        opening, closing, depth = text[0], text[-1], 0
        for index, char in enumerate(text):
            depth += (char == opening) - (char == closing)
            if depth == 0 and index < len(text) - 1:
                return text
        inner = text[1:-1].strip()
        if not inner:
            return text
        text = inner
    return text


def _tex_script(marker: str, run: str, table: dict[int, int]) -> str:
    plain = run.translate(table)
    return f"{marker}{plain}" if len(plain) == 1 else f"{marker}{{{plain}}}"


def _strip_ends(text: str, *, leading: str, trailing: str) -> str:
    # An answer that is nothing but punctuation (`...`) keeps it.
    return text.lstrip(leading).rstrip(trailing) or text


def _to_simplified(text: str) -> str:
    # A few conversions chain (薴 -> 苧 -> 苎); converting to a fixed point keeps normalise
    # idempotent, so terms stored already normalised still compare equal.
    if text.isascii():
        return text  # nothing for OpenCC to convert
    for _ in range(3):
        try:
            converted = text
            for converter in _to_simplified_converters:
                converted = converter.convert(converted)
        except UnicodeError:  # lone surrogates cannot reach OpenCC; such text has no Han
            return text
        if converted == text:
            break
        text = converted
    return text


def _normalise_as(text: str, kind: Kind) -> str:
    return normalise(text, code=kind is Kind.CODE, formula=kind is Kind.FORMULA)


@lru_cache(maxsize=4096)  # a worker grades the same facts again and again
def _accepted_spellings(answer: str, alternatives: tuple[str, ...]) -> tuple[_Accepted, ...]:
    spellings = []
    for text in (answer, *alternatives):
        kind = classify(text).kind
        spellings.append(_Accepted(display_form(text), kind, _normalise_as(text, kind)))
    usable = [spelling for spelling in spellings if spelling.normalised]
    return tuple(usable or spellings[:1])


def _matches(typed: str, spelling: _Accepted, blank: Blank) -> bool:
    typed_normalised = _normalise_as(typed, spelling.kind)
    if not typed_normalised:
        return False
    if typed_normalised == spelling.normalised:
        return True
    if spelling.kind in (Kind.CODE, Kind.FORMULA):
        typed_normalised = _normalise_as(typed.rstrip().rstrip(_CJK_TRAILING_SEPARATORS), spelling.kind)
        if typed_normalised == spelling.normalised:
            return True
    if spelling.kind is Kind.CODE:
        # `np.bincount()` names the function `np.bincount`; nothing else about code is loose.
        return _without_call(typed_normalised) == _without_call(spelling.normalised)
    if blank.exact:
        return _same_number_as_written(typed_normalised, spelling.normalised)
    is_formula = spelling.kind is Kind.FORMULA
    # Formulas in $...$ keep their case; a bare `TP+FP` is compared like the term it is.
    if (is_formula or formulas.looks_like_expression(spelling.display)) and formulas.equivalent(
        _bare(typed), spelling.display, case_sensitive=is_formula
    ):
        return True
    return not is_formula and _same_value(typed, spelling.display, blank)


def _bare(typed: str) -> str:
    """Typed text without the punctuation and wrapping a person adds around an answer."""
    text = _strip_ends(
        typed.strip(),
        leading=_CJK_QUOTES,
        trailing=_CJK_TRAILING_PUNCTUATION + _CJK_TRAILING_SEPARATORS + _CJK_QUOTES,
    )
    return text.strip("`").strip()


def _without_call(code: str) -> str:
    call = _FUNCTION_CALL.fullmatch(code)
    return call[1] if call and not keyword.iskeyword(call[1]) else code


def _same_number_as_written(typed: str, answer: str) -> bool:
    """`0.50` is `0.5` and `1,000` is `1000`, in the same notation and unit: no other form is."""
    typed_number, answer_number = parse_number(typed), parse_number(answer)
    return (
        typed_number is not None
        and answer_number is not None
        and typed_number.value == answer_number.value
        and typed_number.unit == answer_number.unit
        and (typed_number.exponent is None) == (answer_number.exponent is None)
    )


def _same_value(typed: str, answer: str, blank: Blank) -> bool:
    """One value in any spelling (`2017年` for `＿＿年`, `三`, `15%` = `0.15`, `3/4`), with the
    counter the answer or the sentence gives it; never a different value or counter."""
    answer_text, answer_counter = split_counter(answer)
    expected = read_value(answer_text)
    if expected is None:
        return False
    typed_text, typed_counter = split_counter(
        strip_counter(normalise(typed), blank.preceding, blank.following)
    )
    if typed_counter and typed_counter != answer_counter:
        return False
    value = read_value(typed_text)
    return value is not None and value == expected


def _is_typo(typed: str, spelling: _Accepted, known_terms: Collection[str]) -> bool:
    if spelling.kind is not Kind.LATIN:
        return False
    if len(LATIN_LETTER.findall(spelling.normalised)) < TYPO_MIN_LETTERS:
        return False
    typed_normalised = normalise(typed)
    touched = _single_edit(typed_normalised, spelling.normalised)
    if not touched or not all(LATIN_LETTER.fullmatch(char) or char in "-." for char in touched):
        return False
    # `Adam` for `AdamW` is another term of the library, not a slip of the finger.
    return all(normalise(term) != typed_normalised for term in known_terms)


def _single_edit(typed: str, answer: str) -> tuple[str, ...] | None:
    """The characters touched if one insert, delete, substitution or adjacent swap turns one
    string into the other; None when they are equal or further apart. Linear time."""
    if abs(len(typed) - len(answer)) > 1 or typed == answer:
        return None
    if len(typed) == len(answer):
        mismatches = [i for i, (a, b) in enumerate(zip(typed, answer, strict=True)) if a != b][:3]
        if len(mismatches) == 1:
            i = mismatches[0]
            return typed[i], answer[i]
        if len(mismatches) == 2:
            i, j = mismatches
            if j == i + 1 and typed[i] == answer[j] and typed[j] == answer[i]:
                return typed[i], typed[j]
        return None
    longer, shorter = (typed, answer) if len(typed) > len(answer) else (answer, typed)
    pairs = zip(longer, shorter, strict=False)  # the longer one's last character has no pair
    i = next((i for i, (a, b) in enumerate(pairs) if a != b), len(shorter))
    return (longer[i],) if longer[i + 1 :] == shorter[i:] else None


def _closest(typed: str, accepted: list[_Accepted]) -> _Accepted:
    if not typed or len(accepted) == 1:
        return accepted[0]

    def similarity(spelling: _Accepted) -> float:
        typed_normalised = _normalise_as(typed, spelling.kind)[:DIFF_LIMIT]
        return SequenceMatcher(None, typed_normalised, spelling.normalised[:DIFF_LIMIT]).ratio()

    return max(accepted, key=similarity)  # max keeps the first of equals: the answer itself


def _grade(verdict: Verdict, typed: str, spelling: _Accepted) -> Grade:
    expected = spelling.display
    if verdict is Verdict.CORRECT:
        # Nothing to point out: case, width or script differences are not mistakes.
        typed_segments, expected_segments = _whole(typed, False), _whole(expected, False)
    else:
        typed_segments, expected_segments = _diff(typed, expected, spelling.kind)
    return Grade(verdict, typed, expected, typed_segments, expected_segments)


def _whole(text: str, differs: bool) -> tuple[Segment, ...]:
    return (Segment(text, differs),) if text else ()


def _diff(typed: str, expected: str, kind: Kind) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    if len(typed) > DIFF_LIMIT or len(expected) > DIFF_LIMIT:
        return _whole(typed, True), _whole(expected, True)
    strict = kind in (Kind.CODE, Kind.FORMULA)
    # Compare character by character in a forgiving form, so that only real differences show.
    typed_keys = [_character_key(char, strict) for char in typed]
    expected_keys = [_character_key(char, strict) for char in expected]
    typed_runs: list[Segment] = []
    expected_runs: list[Segment] = []
    matcher = SequenceMatcher(None, typed_keys, expected_keys, autojunk=False)
    for tag, typed_start, typed_end, expected_start, expected_end in matcher.get_opcodes():
        for runs, part in (
            (typed_runs, typed[typed_start:typed_end]),
            (expected_runs, expected[expected_start:expected_end]),
        ):
            if part:
                runs.append(Segment(part, tag != "equal" and not part.isspace()))
    return _merged(typed_runs), _merged(expected_runs)


@lru_cache(maxsize=4096)
def _character_key(char: str, strict: bool) -> str:
    char = to_half_width(char)
    return char if strict else _to_simplified(char).casefold()


def _merged(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].differs == segment.differs:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.differs)
        else:
            merged.append(segment)
    return tuple(merged)
