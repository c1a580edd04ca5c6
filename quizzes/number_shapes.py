"""Wrong options for a numeric answer: other values of the same shape, written the same way.

A shape is what makes a number plausible in its place: a year among nearby years, a size among
powers of two, a hidden size among multiples of 64, a small count among small counts, a rate
among rates of the 1-2-5 series, a decay factor among 0.9/0.99/0.999. Plain neighbours (±10)
are only the last resort: `768` beside `758` is spotted by anyone.
"""

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import isqrt, log10

from quizzes.kinds import Number

# Past this, "same shape" numbers stop being plausible and Decimal arithmetic stops being cheap.
LIMIT = Decimal(10) ** 15
# Simple fractions a share or a probability takes, as finite decimals.
SIMPLE_FRACTIONS = tuple(
    Decimal(text) for text in ("0.1", "0.125", "0.2", "0.25", "0.4", "0.5", "0.6", "0.75", "0.8", "0.9")
)
SERIES_DIGITS = (1, 2, 5)
SIMPLE_DENOMINATORS = (2, 3, 4, 5, 8)
_FRACTION = re.compile(r"(?P<numerator>\d{1,3})\s*/\s*(?P<denominator>\d{1,3})")


def is_year(number: Number) -> bool:
    """A whole number from 1800 to 2100 without separators, and not a power of two (sizes)."""
    value = number.value
    return (
        not number.suffix
        and not number.grouped
        and number.exponent is None
        and number.decimals == 0
        and 1800 <= value <= 2100
        and not is_power_of_two(int(value))
    )


def is_power_of_two(value: int) -> bool:
    return value >= 2 and value & (value - 1) == 0


def shape_key(number: Number) -> tuple[object, ...]:
    """Numbers of different keys never stand side by side (a year beside a share)."""
    return (number.unit, is_year(number), number.decimals == 0, number.exponent is None)


def same_shape_values(number: Number, today: date | None = None) -> list[str]:
    """Values like `number`, nearest first, written like it (suffix, grouping, decimals)."""
    if abs(number.value) >= LIMIT:
        return []
    if number.exponent is not None:
        return _scientific(number)
    value = number.value
    if is_year(number):
        latest = max(int(value), (today or date.today()).year)
        steps = (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5)
        return [str(int(value) + k) for k in steps if int(value) + k <= latest]
    if number.decimals == 0:
        candidates = [(candidate, 0) for candidate in _integers(int(value), number.unit)]
    else:
        candidates = [(candidate, _decimals_of(candidate)) for candidate in _decimals(number)]
    return [
        _written_like(number, candidate, decimals)
        for candidate, decimals in candidates
        if candidate != value
        and (value <= 0 or candidate > 0)
        and (value < 0 or candidate >= 0)
        and not (number.unit == "%" and value <= 100 < candidate)
        and not (0 < value < 1 <= candidate)  # a rate or probability stays below one
    ]


def same_shape_fractions(text: str) -> list[str]:
    """Other simple fractions, nearest first, when `text` is one (`3/4` among `2/3`, `4/5`)."""
    match = _FRACTION.fullmatch(text.strip())
    if not match or int(match["denominator"]) == 0:
        return []
    value = Fraction(int(match["numerator"]), int(match["denominator"]))
    candidates = {
        Fraction(numerator, denominator)
        for denominator in SIMPLE_DENOMINATORS
        for numerator in range(1, 2 * denominator)
    }
    if value < 1:
        candidates = {candidate for candidate in candidates if candidate < 1}
    ranked = sorted(candidates - {value}, key=lambda other: (abs(other - value), other))
    return [f"{other.numerator}/{other.denominator}" for other in ranked[:6]]


def _integers(value: int, unit: str) -> list[int]:
    if unit == "%":
        step = 5 if value % 5 == 0 else 1
        return [value + k * step for k in (-1, 1, -2, 2, -3, 3, 4)]
    magnitude = abs(value)
    if is_power_of_two(magnitude):  # sizes go to neighbouring powers of two
        return [value // 2, value * 2, value // 4, value * 4, value // 8, value * 8]
    if magnitude <= 12:  # small counts
        return [value + k for k in (-1, 1, -2, 2, 3, -3, 4)]
    digits = str(magnitude)
    significant = digits.rstrip("0")
    step = 10 ** (len(digits) - len(significant))
    if len(significant) == 1:  # round numbers: 700 among 600, 800, 500; 1000 among 500, 2000
        lead = int(significant)
        same_magnitude = [value + k * step for k in (-1, 1, -2, 2) if 0 < lead + k < 10]
        series = [int(candidate) for candidate in _series_around(Decimal(value))]
        return (same_magnitude if lead > 1 else []) + series
    root = isqrt(magnitude)
    if root >= 3 and root * root == magnitude:  # a square (196 patches = 14×14) among squares
        return [(root + k) ** 2 for k in (-1, 1, -2, 2, 3)]
    if step > 1:  # 32000 among 16000, 64000, 30000, 34000
        return [value // 2, value * 2, value - 2 * step, value + 2 * step]
    if magnitude >= 128 and magnitude % 64 == 0:  # hidden sizes: 768 among 512, 1024
        return [value - 128, value + 128, value - 256, value + 256, value // 2, value * 2]
    if magnitude >= 16 and magnitude % 8 == 0:  # byte counts and widths: 56 among 48, 64
        return [value + k * 8 for k in (-1, 1, -2, 2, 3)]
    if magnitude % 5 == 0:  # 45 fps among 40, 50
        return [value + k * 5 for k in (-1, 1, -2, 2, 3)]
    # Anything else: the second digit moves (175 -> 165, 185), never the last of a long number.
    step = 10 ** max(0, len(digits) - 2)
    return [value + k * step for k in (-1, 1, -2, 2, 3)]


def _decimals(number: Number) -> list[Decimal]:
    value = number.value
    if 0 < value < 1:
        complement = 1 - value
        if _is_power_of_ten(complement):  # decay factors: 0.9, 0.99, 0.999
            nines = [1 - Decimal(10) ** -k for k in range(1, 6)]
            halves = [1 - Decimal(5) * Decimal(10) ** -k for k in range(2, 5)]
            return sorted(nines + halves, key=lambda other: abs(_log(1 - other) - _log(complement)))
        if value in SIMPLE_FRACTIONS and value > Decimal("0.2"):  # shares: 0.5 among 0.25, 0.75
            return sorted(SIMPLE_FRACTIONS, key=lambda other: abs(other - value))
        if len(_significant(value)) == 1:  # rates: 0.01 among 0.001, 0.005, 0.1
            return _series_around(value)
    step = Decimal(1).scaleb(-number.decimals)
    # A version or a measured value: its last digit moves (3.4 -> 3.3, 3.5).
    return [value + k * step for k in (-1, 1, -2, 2, 3)]


def _series_around(value: Decimal) -> list[Decimal]:
    """The 1-2-5 series values nearest `value` on a log scale (0.01 -> 0.005, 0.02, ...)."""
    exponent = int(_log(abs(value)) // 1)
    series = [
        Decimal(digit).scaleb(power) for power in range(exponent - 2, exponent + 3) for digit in SERIES_DIGITS
    ]
    sign = -1 if value < 0 else 1
    ranked = sorted(series, key=lambda other: abs(_log(other) - _log(abs(value))))
    return [sign * other for other in ranked if other != abs(value)][:7]


def _significant(value: Decimal) -> str:
    return str(value.normalize()).replace("-", "").replace(".", "").lstrip("0")


def _is_power_of_ten(value: Decimal) -> bool:
    return value > 0 and _significant(value) == "1"


def _log(value: Decimal) -> float:
    return log10(float(value))


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent)


def _scientific(number: Number) -> list[str]:
    sign = "-" if number.value < 0 else ""
    shifts = [number.exponent + k for k in (-1, 1, -2, 2)]
    written = [f"{sign}{number.mantissa}e{exponent}{number.suffix}" for exponent in shifts]
    if number.mantissa.isdigit():
        mantissa = int(number.mantissa)
        written += [
            f"{sign}{other}e{number.exponent}{number.suffix}"
            for other in (mantissa - 1, mantissa + 1)
            if 0 < other < 10
        ]
    return written


def _written_like(number: Number, value: Decimal, decimals: int) -> str:
    grouping = "," if number.grouped else ""
    return f"{value:{grouping}.{decimals}f}{number.suffix}"
