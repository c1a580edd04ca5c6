"""The paragraph of a note that best matches a query, cut around the match and highlighted."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.words import Word, normalise_char

BEFORE = 30  # characters shown before the first match
LENGTH = 140  # characters shown in all
_LATIN = re.compile(r"[a-z0-9]")


class _FoldedChars(dict):
    """A str.translate() table that learns each character's normalised form on first sight."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = normalise_char(chr(code))
        return folded


_FOLDED = _FoldedChars()


@dataclass(frozen=True)
class Snippet:
    anchor: str  # the paragraph's id, "" for the top of the note
    html: SafeString


def best_snippet(paragraphs, words: list[Word]) -> Snippet | None:
    """The paragraph holding the most of the query's words (then the most matches, then the
    first), around its first match with every match marked; the note's opening if none."""
    best, best_spans, best_score = None, [], (0, 0)
    for paragraph in paragraphs:
        spans, matched = _matches(paragraph.text, words)
        score = (len(matched), len(spans))
        if score > best_score:
            best, best_spans, best_score = paragraph, spans, score
    if best is None:  # the title or a key fact matched: the note's opening, linked to its top
        return Snippet("", _highlight(paragraphs[0].text, [])) if paragraphs else None
    return Snippet(best.anchor, _highlight(best.text, best_spans))


def _matches(text: str, words: list[Word]) -> tuple[list[tuple[int, int]], set[str]]:
    """Spans of the original text where a query word occurs, compared in normalised form."""
    flat = text.translate(_FOLDED)
    if len(flat) == len(text):
        origin = range(len(text) + 1)  # one character for one: places are the same
    else:
        origin = [index for index, char in enumerate(text) for _ in normalise_char(char)]
        origin.append(len(text))
    spans, matched = [], set()
    for word in words:
        start = flat.find(word.text)
        while start != -1:
            end = start + len(word.text)
            if _whole(flat, start, end, word):
                spans.append((origin[start], origin[end - 1] + 1))
                matched.add(word.text)
            start = flat.find(word.text, start + 1)
    return sorted(spans), matched


def _whole(flat: str, start: int, end: int, word: Word) -> bool:
    """A Latin word matches whole ("iou" is not in "various"); a prefix only at its start."""
    if not _LATIN.match(word.text[0]):
        return True  # Chinese has no word boundaries to check
    if start and _LATIN.match(flat[start - 1]):
        return False
    return word.prefix or end == len(flat) or not _LATIN.match(flat[end])


def _highlight(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """LENGTH characters of text from a little before the first span, spans in <mark>."""
    start = max(0, spans[0][0] - BEFORE) if spans else 0
    end = min(len(text), start + LENGTH)
    parts = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start >= span_end:
            continue
        parts += [escape(text[position:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        position = span_end
    parts += [escape(text[position:end]), "…" if end < len(text) else ""]
    return mark_safe("".join(parts))  # every piece of text is escaped above
