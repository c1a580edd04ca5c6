"""How a term bank spelling is compared: case-, width- and spacing-insensitively."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def spelling_key(text: str) -> str:
    """`ＩｏＵ`, `iou` and ` IoU ` are one spelling; backticks around code do not count.

    NFKC folds full-width forms; spaces go entirely because notes write `JS 散度` and `JS散度`
    alike.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":
        text = text[1:-1]
    return _SPACES.sub("", text).casefold()
