"""Line-level Markdown facts shared by the loader, the validator and the importer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_CONTAINER = re.compile(r"^(?:[ \t]*>[ \t]?)+|^(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+)")


@dataclass(frozen=True)
class Line:
    """One source line, classified."""

    number: int  # 0-based
    text: str
    in_code: bool  # inside a fenced code block (fence lines included)
    heading: tuple[int, str] | None  # (level, text) for an ATX heading outside code
    fence: str | None = None  # "open" or "close" on a fence line


def _strip_container(line: str) -> str:
    """Drop blockquote markers and list bullets so that nested fences are seen."""
    stripped = _CONTAINER.sub("", line)
    return stripped if stripped != line else line


def _fence_of(line: str) -> re.Match[str] | None:
    m = _FENCE.match(_strip_container(line).rstrip("\n"))
    if m is None:
        m = _FENCE.match(line.strip() if line.startswith(("    ", "\t")) else "")
    if m is None:
        return None
    if m.group("fence")[0] == "`" and "`" in m.group("info"):
        return None  # an inline code span, not a fence
    return m


def classify(text: str) -> Iterator[Line]:
    """Each line of `text` with whether it is code and whether it is a heading."""
    opening: str | None = None
    for number, raw in enumerate(text.splitlines()):
        fence = _fence_of(raw)
        if opening is not None:
            closes = (
                fence is not None
                and fence.group("fence")[0] == opening[0]
                and len(fence.group("fence")) >= len(opening)
                and not fence.group("info").strip()
            )
            if closes:
                opening = None
            yield Line(number, raw, True, None, "close" if closes else None)
            continue
        if fence is not None:
            opening = fence.group("fence")
            yield Line(number, raw, True, None, "open")
            continue
        m = _HEADING.match(raw)
        heading = (len(m.group("hashes")), (m.group("text") or "").strip()) if m else None
        yield Line(number, raw, False, heading)


def unclosed_fence(text: str) -> int | None:
    """The 0-based line of a code fence that is never closed, or None."""
    opened: int | None = None
    for line in classify(text):
        if line.fence == "open":
            opened = line.number
        elif line.fence == "close":
            opened = None
    return opened


def plain_text(markdown: str, *, code: bool = True) -> str:
    """A rough plain-text rendering for snippets and indexing: no markup; code blocks kept as
    words (or dropped with `code=False`, for snippets that should read as prose)."""
    out: list[str] = []
    for line in classify(markdown):
        text = line.text
        if line.in_code:
            if line.fence or not code:
                continue
        else:
            text = re.sub(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", text)
            text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links, images
            text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)  # autolinks
            text = re.sub(r"[*_`]{1,3}", "", text)
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", text) and "-" in text:
                continue  # table delimiter row
            text = text.replace("|", " ")
        text = " ".join(text.split())
        if text:
            out.append(text)
    return "\n".join(out)
