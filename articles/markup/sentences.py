"""The sentence each fact is asked in, and the sentence before it when it points back."""

from __future__ import annotations

import itertools
import re

from articles.markup.bodies import FactBody, normalised
from articles.markup.inline import Token, masked, split_inline

BLANK = "\ue000"  # stands for the fact's answer inside Fact.sentence

# Chinese full stops end a sentence anywhere; ASCII ones only before a space or the end.
_SENTENCE_END = re.compile(r"[。！？][”’」』）)]*|[.!?][\"'”’)）]*(?=\s|$)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}$])")
_LINE_BREAK_SPACE = re.compile(r"\s*\n\s*")
# A sentence leans on the one before when it opens with a word pointing back (它, 其, This …),
# when its first clause does (每个类别内部的这个比值，…), or when it holds a phrase that always
# points back (该方法, 上述, 前者). A pronoun later in a sentence usually points inside it.
_POINTS_BACK = re.compile(r"\s*(?:它|他们|她们|这|该|此|其|两者|二者|前者|后者|(?:It|This|These|They)\b)")
_POINTS_BACK_IN_FIRST_CLAUSE = re.compile(r"[^，,；;：:。]*?(?:它|这|两者|二者|此时)")
_POINTS_BACK_ANYWHERE = re.compile(r"(?<![应活])该(?=[\u4e00-\u9fff])|上述|前述|前者|后者")
_WORD = re.compile(r"\w")
_FACTS_AROUND = 4  # other facts a sentence shows on each side of its blank, at most


def answer_as_markdown(answer: str) -> str:
    """The answer as Markdown that shows it as written: code and math stay, the rest escaped."""
    return "".join(
        _MARKDOWN_SPECIAL.sub(r"\\\1", source) if kind == "text" else source
        for kind, _, source in split_inline(answer)
    )


def block_sentences(
    text: str, found: list[Token], bodies: dict[int, FactBody], in_cell: bool
) -> tuple[dict[int, str], dict[int, str]]:
    """The sentence of each parsed fact of a block of text (a paragraph, list item, heading or
    table cell), and the context of those that point back (Fact.context), keyed by where the
    fact starts. `found` holds the block's code, math and facts, in order."""
    blotted = masked(text, found)
    sentences, start = [], 0  # (start, end) of each sentence, in order
    for match in _SENTENCE_END.finditer(blotted):
        sentences.append((start, match.end()))
        start = match.end()
    sentences.append((start, len(text)))
    result = {}
    for start, end in sentences:
        pieces = answer_pieces(text, found, bodies, start, end)
        for index, piece in enumerate(pieces):
            if not isinstance(piece, str) and piece[0] in bodies:
                # Pieces alternate text and facts: a window of facts on each side keeps a
                # sentence made of thousands of facts from costing thousands of sentences each.
                window = pieces[max(0, index - 2 * _FACTS_AROUND) : index + 2 * _FACTS_AROUND + 1]
                result[piece[0]] = joined(window, piece[0])
    contexts = {}
    if not in_cell:  # a table's cells stand side by side: none leans on another
        for (before_start, before_end), (start, end) in itertools.pairwise(sentences):
            if leans_on_previous(text[start:end]):
                context = joined(answer_pieces(text, found, bodies, before_start, before_end), -1)
                for fact_start in result:
                    if start <= fact_start < end:
                        contexts[fact_start] = _context_without(bodies[fact_start], context)
    return result, contexts


def leans_on_previous(sentence: str) -> bool:
    """Whether a sentence needs the one before it to be understood."""
    return bool(
        _POINTS_BACK.match(sentence)
        or _POINTS_BACK_IN_FIRST_CLAUSE.match(sentence)
        or _POINTS_BACK_ANYWHERE.search(sentence)
    )


def _context_without(body: FactBody, context: str) -> str:
    """The context, unless it would give away the answer or an alternative."""
    shown = normalised(context)
    return "" if any(normalised(text) in shown for text in (body.answer, *body.alternatives)) else context


def answer_pieces(
    text: str, found: list[Token], bodies: dict, start: int, end: int, key=lambda token: token.start
) -> list:
    """text[start:end] in pieces: text between facts, then (the fact's key, the fact as its
    answer); a fact's key is where it starts unless `key` says otherwise."""
    pieces, position = [], start
    for token in found:
        if token.kind != "fact" or not start <= token.start < end:
            continue
        pieces.append(_LINE_BREAK_SPACE.sub(" ", text[position : token.start]))
        body = bodies.get(key(token))
        shown = text[token.start : token.end] if body is None else body.answer
        pieces.append((key(token), _LINE_BREAK_SPACE.sub(" ", answer_as_markdown(shown))))
        position = token.end
    pieces.append(_LINE_BREAK_SPACE.sub(" ", text[position:end]))
    return pieces


def joined(pieces: list, blanked_fact: int) -> str:
    """The pieces joined, the fact starting at `blanked_fact` (if there) as the blank."""
    return "".join(
        piece if isinstance(piece, str) else BLANK if piece[0] == blanked_fact else piece[1]
        for piece in pieces
    ).strip()


def needs_its_row(sentence: str) -> bool:
    """A fact alone in its cell would be asked with nothing around it."""
    return not _WORD.search(sentence.replace(BLANK, ""))


def row_sentence(cells: list[list], labels: list[str], blanked_fact: int) -> str:
    """The fact asked with its row, each cell under its column's name ("层：BN；维度：＿");
    without names when the header does not match the row."""
    if len(labels) != len(cells):
        labels = [""] * len(cells)
    shown = [joined(pieces, blanked_fact) for pieces in cells]
    return "；".join(
        f"{label}：{cell}" if label else cell for label, cell in zip(labels, shown, strict=True) if cell
    )
