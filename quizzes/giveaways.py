"""Warnings about facts whose question would give itself away, computed when an article is saved.

A stem is what a learner sees: the fact's sentence with a blank, and the sentence before when it
is shown as context. The stem gives the answer away when it holds the answer or an accepted
alternative elsewhere; it rules an option out when it names that option (`~ReLU` under "比
ReLU 更平滑的＿＿"). A sentence that leans on the one before (这个比值, 该方法 …) but could not
be shown with it, because that sentence holds the answer, is flagged as well.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from articles.markup import Fact, leans_on_previous
from quizzes.kinds import HAN, Kind, classify, to_half_width

# A match of a Latin or number needle must not sit inside a longer word or number: `16` is in
# `ViT-B/16` but not in `160`; `IoU` is in `GIoU` only as part of another word.
_WORD_CHAR = re.compile(r"[0-9A-Za-z_]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Warning:
    """Stored untranslated (the English text, and the template with its values) so that each
    reader sees it in their own language: see `translated`."""

    line: int
    column: int
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.params

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "template": self.template,
            "params": self.params,
        }


def translated(warning: dict) -> str:
    """A stored warning's message in the active language."""
    try:
        return gettext(warning["template"]) % warning["params"]
    except (KeyError, TypeError, ValueError):
        return warning.get("message", "")


SHOWS_ANSWER = gettext_noop("The question shows its own answer: %(text)s appears elsewhere in it.")
NAMES_OPTION = gettext_noop(
    "The question names the wrong option %(option)s, which rules it out; it is dropped."
)
LEANS_WITHOUT_CONTEXT = gettext_noop(
    "The sentence leans on the one before, which cannot be shown because it holds the answer: "
    "reword one of them."
)


def _comparable(text: str) -> str:
    text = to_half_width(text).replace("`", "").replace("$", "")
    return _SPACES.sub("", text).casefold()


def mentions(stem: str, needle: str) -> bool:
    """Whether `stem` holds `needle` as a word of its own (Chinese needs no spaces around it).

    A one-character Chinese needle (`值`) is part of too many words to count.
    """
    wanted = _comparable(needle.strip())
    if not wanted or (HAN.fullmatch(wanted) and len(wanted) == 1):
        return False
    haystack = _comparable(stem)
    start = haystack.find(wanted)
    while start != -1:
        end = start + len(wanted)
        before = haystack[start - 1] if start else ""
        after = haystack[end] if end < len(haystack) else ""
        inside_word = (_WORD_CHAR.fullmatch(wanted[0]) and before and _WORD_CHAR.fullmatch(before)) or (
            _WORD_CHAR.fullmatch(wanted[-1]) and after and _WORD_CHAR.fullmatch(after)
        )
        # A number followed by a decimal point and digit is a longer number: `0` in `0.5`.
        longer_number = classify(wanted).kind is Kind.NUMBER and (
            (after == "." and haystack[end + 1 : end + 2].isdigit())
            or (before == "." and start >= 2 and haystack[start - 2].isdigit())
        )
        if not inside_word and not longer_number:
            return True
        start = haystack.find(wanted, start + 1)
    return False


def fact_warnings(
    *,
    answer: str,
    alternatives: list[str] | tuple[str, ...],
    wrong_options: list[str] | tuple[str, ...],
    sentence: str,
    context: str,
    leans_back: bool,
    line: int,
    column: int,
) -> list[Warning]:
    """What is wrong with one fact's question; empty when nothing is."""
    stem = f"{context}\n{sentence}" if context else sentence
    warnings = []
    for text in (answer, *alternatives):
        if mentions(stem, text):
            warnings.append(Warning(line, column, SHOWS_ANSWER, {"text": text}))
            break
    for option in wrong_options:
        if mentions(stem, option):
            warnings.append(Warning(line, column, NAMES_OPTION, {"option": option}))
    if leans_back and not context:
        warnings.append(Warning(line, column, LEANS_WITHOUT_CONTEXT))
    return warnings


def parsed_fact_warnings(fact: Fact) -> list[Warning]:
    """The warnings of a fact as the markup parser found it, saved or not."""
    return fact_warnings(
        answer=fact.answer,
        alternatives=fact.alternatives,
        wrong_options=fact.wrong_options,
        sentence=fact.sentence,
        context=fact.context,
        leans_back=leans_on_previous(fact.sentence),
        line=fact.line,
        column=fact.column,
    )
