"""Answers and math as HTML: an answer shows its `code` and $math$, the rest as text."""

from __future__ import annotations

import html
from functools import lru_cache

from latex2mathml.converter import convert as latex_to_mathml

from articles.markup.inline import split_inline


def escape(text: str) -> str:
    return html.escape(text, quote=False)


@lru_cache(maxsize=2048)  # a pure function, and notes repeat their formulas
def math_html(latex: str, display: bool, source: str) -> str:
    try:
        return latex_to_mathml(latex, display="block" if display else "inline")
    except Exception:  # a third-party parser fed by editors: any failure shows the source
        return f'<code class="math-error">{escape(source)}</code>'


def answer_html(answer: str) -> str:
    parts = []
    for kind, content, source in split_inline(answer):
        if kind == "text":
            parts.append(escape(content))
        elif kind == "code":
            parts.append(f"<code>{escape(content.strip())}</code>")
        else:  # math, inline even when written as display math: it sits inside a sentence
            parts.append(math_html(content, False, source))
    return "".join(parts)
