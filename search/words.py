"""Words of mixed Chinese and English text, found the same way in the notes and in a query.

Chinese has no spaces, so text is cut into words by jieba; the index holds every word of a
note and the shorter dictionary words inside long ones ("自注意力" also gives "注意力" and
"注意"), so a two-character query finds its word. Before cutting, text is put in one form:
full-width as half-width, case folded, Traditional as Simplified.
"""

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

import jieba
import opencc

# A query longer than this is cut: nobody types more, and each word costs the database a term.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12

_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
# Latin words and numbers are cut by this, not by jieba, whose dictionary would split
# "vanishing" into "van is hing" once a term bank taught it "is". Joined words ("skip-gram",
# "max_len", "gc.collect", "c++") are one word, and their parts are indexed beside them.
_LATIN_RUN = re.compile(r"[a-z0-9]+(?:[-_.'][a-z0-9]+)*(?:\+\+|#)?")
_JOINER = re.compile(r"[-_.']")

_lock = threading.Lock()
_taught: set[str] = set()  # words add_words() taught the segmenter


@dataclass(frozen=True)
class Word:
    """One word of a query; a prefix matches every word that starts with it (typing "trans")."""

    text: str
    prefix: bool = False


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """The one form both the index and queries are in: NFKC, case-folded, Simplified."""
    return _to_simplified().convert(unicodedata.normalize("NFKC", text).casefold())


@cache
def normalise_char(char: str) -> str:
    """normalise() of one character, for mapping matches back onto the original text."""
    return normalise(char)


@cache
def _tokenizer() -> jieba.Tokenizer:
    # Loading jieba's dictionary takes about two seconds: once per process, on first use or
    # from the warm-up thread the app starts.
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def tokenizer() -> jieba.Tokenizer:
    with _lock:
        return _tokenizer()


def add_words(words) -> None:
    """Teach the segmenter words that must stay whole (term names, key-fact answers)."""
    segmenter = tokenizer()
    for word in words:
        word = normalise(word).strip()
        # jieba never joins across a space, so such a name is found by its parts anyway.
        if len(word) > 1 and not any(char.isspace() for char in word) and word not in segmenter.FREQ:
            segmenter.add_word(word)
            _taught.add(word)


def finer_words(word: str) -> list[str]:
    """How a word taught to the segmenter was cut before it was taught: notes indexed before
    then hold these words instead (until rebuild_search_index). Empty for any other word."""
    if word not in _taught or _LATIN_RUN.fullmatch(word):
        return []
    segmenter = tokenizer()
    graph = segmenter.get_DAG(word)
    graph[0] = [end for end in graph[0] if end != len(word) - 1] or [0]
    route: dict = {}
    segmenter.calc(word, graph, route)
    parts, start = [], 0
    while start < len(word):
        end = route[start][1] + 1
        parts.append(word[start:end])
        start = end
    return [part for part in parts if _is_word(part)]


def _is_word(token: str) -> bool:
    return bool(_HAS_LETTER_OR_DIGIT.search(token))


def _cut(text: str, for_search: bool):
    """Words of normalised text: Latin runs by _LATIN_RUN, everything between by jieba."""
    segmenter = tokenizer()
    cut = segmenter.cut_for_search if for_search else segmenter.cut
    position = 0
    for latin in _LATIN_RUN.finditer(text):
        if latin.start() > position:
            yield from cut(text[position : latin.start()], HMM=False)
        word = latin.group()
        yield word
        if for_search and _JOINER.search(word):
            yield from _JOINER.split(word)
        position = latin.end()
    if position < len(text):
        yield from cut(text[position:], HMM=False)


def index_words(text: str) -> list[str]:
    """Every word of the text and the dictionary words inside its long words, in order."""
    return [token for token in _cut(normalise(text), True) if _is_word(token)]


def query_words(text: str) -> list[Word]:
    """The words a note must contain to match the query: each once, at most MAX_QUERY_WORDS.

    The last word is a prefix when it is Latin and the query does not end in a space, so
    results follow the typing ("transf" finds Transformer).
    """
    text = text[:MAX_QUERY_CHARS]
    words: list[str] = []
    for token in _cut(normalise(text), False):
        token = token.strip()
        if _is_word(token) and token not in words:
            words.append(token)
    words = words[:MAX_QUERY_WORDS]
    if not words:
        return []
    last = words[-1]
    typing_last = not text[-1:].isspace() and normalise(text).rstrip().endswith(last)
    prefix = typing_last and bool(_LATIN_WORD.fullmatch(last))
    return [Word(word) for word in words[:-1]] + [Word(last, prefix=prefix)]
