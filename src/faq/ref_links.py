"""Reference links of an imported answer (`[text][label]`, `[label][]`) whose definition
(`[label]: URL`) is elsewhere on the page: the definition goes with the answer.

A README defines its references once, often under the paragraph that first uses them or at
the end; split into entries, an answer that uses `[the redistributable][msvc]` lost `[msvc]: …`
to another entry and showed the brackets as text. A reference the page never defines (a
mkdocs page's definitions come from an included file) becomes its plain text, with a warning.
Code fences and code spans are left as they are; shortcut references (`[label]` alone) too,
since `[x]` is as often plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from faq.markdown import fences

__all__ = ["RefLinks", "carry_references", "page_definitions"]

# CommonMark link reference definitions: up to 3 spaces, `[label]:`, a destination, a title
_DEFINITION = re.compile(r"^[ ]{0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*\S")
# a full or collapsed reference, not an image's: `[text][label]`, `[text][]`
_REFERENCE = re.compile(r"(?<![!\]\\])\[(?P<text>[^\[\]\n]+)\]\[(?P<label>[^\[\]\n]*)\]")
_CODE_SPAN = re.compile(r"(`+).*?\1")


def _key(label: str) -> str:
    """CommonMark matches labels case-insensitively, with runs of white space as one space."""
    return " ".join(label.split()).casefold()


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based number, line) of each line of `text` outside fenced code (faq.markdown.fences:
    markdown-it-py's reading, at any depth)."""
    code = {n for fence in fences(text) for n in range(fence.start, fence.end)}
    for number, line in enumerate(text.split("\n")):
        if number not in code:
            yield number, line


def page_definitions(lines: list[str]) -> dict[str, str]:
    """Each reference definition of the page outside code fences: label key → its line."""
    out: dict[str, str] = {}
    for _number, line in _prose_lines("\n".join(lines)):
        m = _DEFINITION.match(line)
        if m is not None:
            out.setdefault(_key(m.group("label")), line.strip())  # the first one counts
    return out


@dataclass
class RefLinks:
    """An answer with its references carried: the text, and the labels the page lacks."""

    text: str
    undefined: list[str] = field(default_factory=list)


def carry_references(text: str, definitions: dict[str, str]) -> RefLinks:
    """`text` (Markdown) with the definitions of the references it uses and does not define
    appended (from `definitions`, see page_definitions), and each reference that no definition
    names written as its text. Returns the text and the undefined references as written."""
    own = page_definitions(text.split("\n"))
    needed: list[str] = []
    result = RefLinks(text)

    def resolve(m: re.Match[str]) -> str:
        key = _key(m.group("label") or m.group("text"))
        if key in own:
            return m.group(0)
        if key in definitions:
            if definitions[key] not in needed:
                needed.append(definitions[key])
            return m.group(0)
        result.undefined.append(m.group(0))
        return m.group("text")

    lines = text.split("\n")
    for n, line in _prose_lines(text):
        parts = _CODE_SPAN.split(line)
        spans = [s.group(0) for s in _CODE_SPAN.finditer(line)]
        # split() with a group gives [text, ticks, text, ticks, …]: keep the code spans as they are
        texts = parts[::2]
        rebuilt = _REFERENCE.sub(resolve, texts[0])
        for span, after in zip(spans, texts[1:], strict=True):
            rebuilt += span + _REFERENCE.sub(resolve, after)
        lines[n] = rebuilt
    result.text = "\n".join(lines)
    if needed:
        result.text = result.text.rstrip("\n") + "\n\n" + "\n".join(needed)
    return result
