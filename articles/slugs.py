"""ASCII slugs from titles, Chinese included (by pinyin), kept unique by a numbered suffix."""

from collections.abc import Callable

from django.utils.text import slugify
from pypinyin import lazy_pinyin

FALLBACK = "note"


def slug_from_title(title: str, max_length: int = 200) -> str:
    """`ViT：图像块嵌入` -> `vit-tu-xiang-kuai-qian-ru`; never empty, never longer than max_length."""
    # lazy_pinyin gives one syllable per Han character and keeps other text as it is.
    words = lazy_pinyin(title, errors="default")
    slug = slugify(" ".join(words))[:max_length].strip("-")
    return slug or FALLBACK


def unique_slug(base: str, is_taken: Callable[[str], bool], max_length: int = 200) -> str:
    """base itself when free, else base-2, base-3 ... (cut so that the suffix fits)."""
    if not is_taken(base):
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if not is_taken(candidate):
            return candidate
        number += 1
