"""Tell whether two typed formulas are mathematically the same, with SymPy, safely and quickly.

`2/(fan_out+fan_in)` is `2/(fan_in+fan_out)`, `s(i-1)-2p+k` is `(i-1)*s-2*p+k`, `r**2` is `r^2`.
Safety: text never reaches SymPy's parser as written. It is cut into numbers, names and
operators here; every name becomes a placeholder bound to a Symbol (or to one of a few known
functions), so the code SymPy evaluates holds no attribute, call or name of ours to abuse.
Time: input is bounded in length, nesting and exponent size, and equality is decided by
evaluating the difference at a few points, never by an open-ended simplify().
"""

import random
import re
import unicodedata
from functools import lru_cache

import sympy
from sympy.parsing.sympy_parser import auto_number, parse_expr

from quizzes.kinds import HAN, to_half_width

MAX_FORMULA_LENGTH = 120
MAX_TOKENS = 80
MAX_DEPTH = 12
MAX_DIGITS = 12
MAX_EXPONENT = 16
POINTS = 3
# Relative difference below which two values at a point count as equal (30 digits evaluated).
TOLERANCE = sympy.Float("1e-20")

# In these notes `e` is Euler's number (`e^{-x}`) and `pi` is π.
_CONSTANTS = {"e": sympy.E, "pi": sympy.pi}
_FUNCTIONS = {
    "sqrt": sympy.sqrt,
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
    "abs": sympy.Abs,
    "max": sympy.Max,
    "min": sympy.Min,
}
# What the code SymPy builds from ours refers to (numbers, and the unevaluated operators).
_GLOBALS = {
    name: getattr(sympy, name)
    for name in ("Integer", "Float", "Rational", "Add", "Mul", "Pow", "Symbol", "Tuple")
}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?|\.\d+)|(?P<name>[A-Za-z][A-Za-z0-9_]*(?:_\d+)?)"
    r"|(?P<operator>\*\*|[-+*/^(),])|(?P<root>√)|(?P<power>[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
)
_TEX_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")
_TEX_FRACTION = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_TEX_ROOT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_TEX_SPACING = re.compile(r"\\[,;:! ]|\\left|\\right")
_TIMES = str.maketrans({"·": "*", "×": "*", "∙": "*", "⋅": "*", "÷": "/", "−": "-", "–": "-"})
_EXPRESSION = re.compile(r"[A-Za-z0-9_\s.()+\-*/^·×÷√²³]+")
_OPERATOR = re.compile(r"[+*/^·×÷√²³]|\w\s*-\s*[\w(]|\)\s*-")


class Unreadable(ValueError):
    """Not a formula this module reads; the caller compares the text as before."""


def looks_like_expression(text: str) -> bool:
    """Arithmetic on names and numbers (`TP+FP+FN`, `2/(fan_in+fan_out)`), not a term
    (`ResNet-50`, `self-attention`: a hyphen between words is no minus sign)."""
    text = to_half_width(text).strip().strip("$")
    if HAN.search(text) or not _EXPRESSION.fullmatch(text):
        return False
    if re.fullmatch(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*", text):
        return False
    return bool(_OPERATOR.search(text))


def equivalent(first: str, second: str, *, case_sensitive: bool = True) -> bool:
    """True when both read as formulas and are equal for every value of their symbols."""
    try:
        a = read(first, case_sensitive=case_sensitive)
        b = read(second, case_sensitive=case_sensitive)
    except Unreadable:
        return False
    return _same(a, b)


@lru_cache(maxsize=1024)
def read(text: str, *, case_sensitive: bool = True) -> sympy.Expr:
    """The expression `text` writes, or Unreadable."""
    code, names = _code(text if case_sensitive else text.casefold())
    local = {placeholder: _symbol(name) for placeholder, name in names.items()} | _FUNCTIONS | _CONSTANTS
    try:
        # Unevaluated first: `9^9^9` must be refused before anything computes it.
        _check(
            parse_expr(
                code,
                local_dict=dict(local),
                global_dict=dict(_GLOBALS),
                transformations=(auto_number,),
                evaluate=False,
            )
        )
        expression = parse_expr(
            code, local_dict=dict(local), global_dict=dict(_GLOBALS), transformations=(auto_number,)
        )
    except Exception as error:  # SymPy fails in many ways (TokenError, TypeError...): not a formula
        raise Unreadable(text) from error
    # Undefined anywhere (a division by zero) is no formula: zoo + 1 is zoo again, so any two
    # such expressions would compare equal.
    if not isinstance(expression, sympy.Expr) or expression.has(sympy.zoo, sympy.nan, sympy.oo):
        raise Unreadable(text)
    return expression


def _symbol(name: str) -> sympy.Symbol:
    # One capital letter is a matrix in these notes (Q, K, V, W, X): QK^T is not K^TQ.
    return sympy.Symbol(name, commutative=not re.fullmatch(r"[A-Z]", name))


def _code(text: str) -> tuple[str, dict[str, str]]:
    """Python code over placeholders for `text`, and what each placeholder names."""
    text = to_half_width(text).strip()
    if len(text) > MAX_FORMULA_LENGTH or not text:
        raise Unreadable(text)
    text = _tex_to_plain(text.strip("$").strip()).translate(_TIMES)
    text = "".join(_greek_name(char) for char in text)
    tokens = _tokens(text)
    if len(tokens) > MAX_TOKENS:
        raise Unreadable(text)
    placeholders: dict[str, str] = {}  # name -> placeholder
    out: list[str] = []
    previous = ""  # "value" ends an operand, "function" awaits its "(", "" neither
    opened: list[bool] = []  # one per open parenthesis: does it hold a function's arguments?
    for index, (kind, value) in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
        if (kind in ("number", "name", "root") or value == "(") and previous == "value":
            out.append("*")  # implicit product: `2p`, `s(i-1)`, `(a)(b)`
        if kind == "name" and value in _FUNCTIONS and following == ("operator", "("):
            out.append(value)
            previous = "function"
        elif kind in ("number", "name", "rooted"):
            out.append(_operand(kind, value, placeholders, text))
            previous = "value"
        elif kind == "root":
            out.append("sqrt")
            if following[1] != "(":
                # `√d_k` roots the next operand only.
                if following[0] not in ("name", "number"):
                    raise Unreadable(text)
                tokens[index + 1] = ("rooted", following[1])
            previous = "function"
        elif kind == "power":
            if previous != "value":
                raise Unreadable(text)
            out.append(f"**{value.translate(_SUPERSCRIPTS)}")
        else:
            _check_bracket(value, following, previous, opened, text)
            out.append("**" if value == "^" else value)
            previous = "value" if value == ")" else ""
    if opened:
        raise Unreadable(text)
    return " ".join(out), {placeholder: name for name, placeholder in placeholders.items()}


def _operand(kind: str, value: str, placeholders: dict[str, str], text: str) -> str:
    if value in _CONSTANTS:
        return f"({value})" if kind == "rooted" else value
    if kind == "number" or re.fullmatch(r"[\d.]+", value):
        if len(value.replace(".", "")) > MAX_DIGITS:
            raise Unreadable(text)
        return f"({value})" if kind == "rooted" else value
    placeholder = placeholders.setdefault(value, f"v{len(placeholders)}")
    return f"({placeholder})" if kind == "rooted" else placeholder


def _check_bracket(value: str, following, previous: str, opened: list[bool], text: str) -> None:
    """Parentheses balanced and never empty, commas only between a function's arguments: the
    code SymPy sees is then one expression, never a tuple."""
    if value == "(":
        if following[1] == ")" or len(opened) >= MAX_DEPTH:
            raise Unreadable(text)
        opened.append(previous == "function")
    elif value == ")":
        if not opened:
            raise Unreadable(text)
        opened.pop()
    elif value == "," and not (opened and opened[-1]):
        raise Unreadable(text)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise Unreadable(text)
        kind = match.lastgroup
        tokens.append((kind, match[kind]))
        position = match.end()
    return tokens


def _tex_to_plain(text: str) -> str:
    text = _TEX_SPACING.sub(" ", text)
    for _ in range(MAX_DEPTH):  # innermost braces first, a bounded number of rounds
        rewritten = _TEX_SCRIPT.sub(lambda m: f"{m[1]}({m[2]})" if m[1] == "^" else f"_{m[2]}", text)
        rewritten = _TEX_FRACTION.sub(r"((\1)/(\2))", rewritten)
        rewritten = _TEX_ROOT.sub(r"sqrt(\1)", rewritten)
        if rewritten == text:
            break
        text = rewritten
    text = _TEX_COMMAND.sub(lambda m: {"cdot": "*", "times": "*"}.get(m[1], f" {m[1]} "), text)
    return text.replace("{", "(").replace("}", ")")


def _greek_name(char: str) -> str:
    # α and \alpha are one symbol.
    if "\u0370" <= char <= "\u03ff":
        name = unicodedata.name(char, "").split()
        if len(name) >= 4 and name[:2] == ["GREEK", "SMALL"]:
            return f" {name[-1].lower()} "
        if len(name) >= 4 and name[:2] == ["GREEK", "CAPITAL"]:
            return f" {name[-1].capitalize()} "
    return char


def _check(expression) -> None:
    """Refuse what would take long to compute: big powers, and towers of powers of numbers."""
    for node in sympy.preorder_traversal(expression):
        if not isinstance(node, sympy.Pow):
            continue
        exponent = node.exp
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise Unreadable(str(expression))
        elif not exponent.free_symbols and not _small_number(exponent):
            raise Unreadable(str(expression))  # 2^(3^4): a number computed before it is checked


def _small_number(expression) -> bool:
    """Built from small numbers by + - * / only (`1/2` is Mul(1, Pow(2, -1)) unevaluated)."""
    for node in sympy.preorder_traversal(expression):
        if isinstance(node, sympy.Pow) and node.exp != -1:
            return False
        if node.is_Number and abs(node) > MAX_EXPONENT:
            return False
    return True


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    if a == b:
        return True
    difference = a - b
    if difference == 0:
        return True
    symbols = sorted(difference.free_symbols, key=lambda symbol: symbol.name)
    if any(not symbol.is_commutative for symbol in symbols):
        # Products of matrices: only an exact rewrite proves them equal.
        return sympy.expand(difference) == 0
    rng = random.Random(" ".join(symbol.name for symbol in symbols))
    for _ in range(POINTS):
        point = {symbol: sympy.Float(rng.uniform(0.3, 3.0), 30) for symbol in symbols}
        values = [a.evalf(30, subs=point), b.evalf(30, subs=point)]
        if not all(_finite_real(value) for value in values):
            return False
        if abs(values[0] - values[1]) > TOLERANCE * max(1, abs(values[0]), abs(values[1])):
            return False
    return True


def _finite_real(value) -> bool:
    return value.is_number and value.is_real is not False and value.is_finite is not False
