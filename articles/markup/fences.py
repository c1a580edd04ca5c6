"""Fenced code blocks, read line by line in one pass (Python-Markdown's own preprocessor
searched the note again from the start after every block)."""

from __future__ import annotations

import re

from markdown.extensions.codehilite import CodeHilite, CodeHiliteExtension
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from articles.markup.marks import unmark

_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,}) *")
_FENCE_LANGUAGE = re.compile(r"\s*\{?\s*\.?([\w#+-][\w#+.-]*)")


# Highlighting costs about a millisecond a block; past this many in one note (the demo
# library's largest has 4) blocks are shown without colours.
MAX_HIGHLIGHTED = 30


class FencedCode(FencedBlockPreprocessor):
    """Fenced code blocks read line by line, as CommonMark reads them: an opening fence may be
    indented up to three spaces, a longer fence closes, and an unclosed block runs to the end."""

    def run(self, lines: list[str]) -> list[str]:
        if not self.checked_for_deps:
            for extension in self.md.registeredExtensions:
                if isinstance(extension, CodeHiliteExtension):
                    self.codehilite_conf = extension.getConfigs()
            self.checked_for_deps = True
        result, index, blocks = [], 0, 0
        while index < len(lines):
            opening = _FENCE.fullmatch(lines[index])
            if not opening or (opening.group(2)[0] == "`" and "`" in opening.group(3)):
                result.append(lines[index])
                index += 1
                continue
            indent, fence, info = opening.groups()
            code, index = [], index + 1
            while index < len(lines):
                closing = _CLOSING_FENCE.fullmatch(lines[index])
                if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                    break
                line = lines[index]
                code.append(line[min(len(indent), len(line) - len(line.lstrip(" "))) :])
                index += 1
            index += 1
            language = _FENCE_LANGUAGE.match(info)
            blocks += 1
            html = self._html(
                unmark("".join(f"{line}\n" for line in code)),
                language and language.group(1),
                highlight=blocks <= MAX_HIGHLIGHTED,
            )
            result += ["", self.md.htmlStash.store(html), ""]
        return result

    def _html(self, code: str, language: str | None, highlight: bool) -> str:
        if highlight and self.codehilite_conf and self.codehilite_conf["use_pygments"]:
            config = self.codehilite_conf.copy()
            style = config.pop("pygments_style", "default")
            return CodeHilite(code, lang=language, style=style, **config).hilite(shebang=False)
        language_class = f' class="language-{language}"' if language else ""
        return f"<pre><code{language_class}>{self._escape(code)}</code></pre>"
