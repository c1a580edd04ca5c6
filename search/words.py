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

_lock = threading.Lock()


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


def _is_word(token: str) -> bool:
    return bool(_HAS_LETTER_OR_DIGIT.search(token))


def index_words(text: str) -> list[str]:
    """Every word of the text and the dictionary words inside its long words, in order."""
    cut = tokenizer().cut_for_search(normalise(text), HMM=False)
    return [token for token in cut if _is_word(token)]


def query_words(text: str) -> list[Word]:
    """The words a note must contain to match the query: each once, at most MAX_QUERY_WORDS.

    The last word is a prefix when it is Latin and the query does not end in a space, so
    results follow the typing ("transf" finds Transformer).
    """
    text = text[:MAX_QUERY_CHARS]
    words: list[str] = []
    for token in tokenizer().cut(normalise(text), HMM=False):
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
