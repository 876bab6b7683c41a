"""The structure of a Markdown source, from markdown-it-py tokens, with line numbers: headings,
code fences, links, and blocks whose indentation the site's renderer reads differently.

The loader, the validator and the importer use these instead of regular expressions over lines.
markdown-it-py parses CommonMark, which nests a block under a list item by the item's content
column (2 spaces after `- `); the site's renderer, Python-Markdown, nests only by 4 spaces per
level. `shallow_blocks` finds where the two disagree, so that `faq validate` can say so; and
`close_paragraph_tags` mends the HTML that GitHub forgives and Python-Markdown does not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Python-Markdown's tab_length: a block belongs to the list item above it when indented by this
# many columns per level of nesting (https://python-markdown.github.io/#differences).
NEST_INDENT = 4


@functools.cache
def parser(*, tables: bool = False) -> MarkdownIt:
    """The one markdown-it-py parser (CommonMark; with `tables`, GitHub's pipe tables too),
    made once."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    return md.enable("table") if tables else md


def tokens(text: str) -> list[Token]:
    """The block-level token stream of `text` (markdown-it-py, CommonMark); `token.map` is the
    [first, last + 1) range of 0-based source lines of each block."""
    return list(parser().parse(text))


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its opening line, the line after its last one (0-based), whether a
    closing fence ends it (else it runs to the end of its container), its info string."""

    start: int
    end: int
    closed: bool
    info: str


@dataclass(frozen=True)
class Heading:
    """An ATX heading (`## text`) outside any container: 0-based line, level, text."""

    line: int
    level: int
    text: str


def fences(text: str) -> list[Fence]:
    """Every fenced code block of `text`, at any depth (lists, quotes), in source order."""
    out = []
    for token in tokens(text):
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        # a closed fence spans its opening line, its content lines and its closing line
        content = token.content
        lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
        closed = end - start == lines + 2
        out.append(Fence(start, end, closed, token.info.strip()))
    return out


def headings(text: str) -> list[Heading]:
    """The ATX headings of `text` at the top level (not inside a list or a quote)."""
    out = []
    stream = tokens(text)
    for i, token in enumerate(stream):
        if token.type != "heading_open" or token.level != 0 or token.map is None:
            continue
        if not token.markup.startswith("#"):
            continue  # a setext heading (underlined): not what a FAQ page's questions use
        inline = stream[i + 1] if i + 1 < len(stream) else None
        content = inline.content.strip() if inline is not None else ""
        out.append(Heading(token.map[0], int(token.tag[1:]), content))
    return out


@dataclass(frozen=True)
class Line:
    """One source line, classified."""

    number: int  # 0-based
    text: str
    in_code: bool  # inside a fenced code block (fence lines included)
    heading: tuple[int, str] | None  # (level, text) for an ATX heading outside code
    fence: str | None = None  # "open" or "close" on a fence line


def classify(text: str) -> Iterator[Line]:
    """Each line of `text` with whether it is fenced code and whether it is a heading."""
    marks: dict[int, str] = {}
    code: set[int] = set()
    for fence in fences(text):
        code.update(range(fence.start, fence.end))
        marks[fence.start] = "open"
        if fence.closed:
            marks[fence.end - 1] = "close"
    heads = {h.line: (h.level, h.text) for h in headings(text)}
    for number, raw in enumerate(text.splitlines()):
        yield Line(number, raw, number in code, heads.get(number), marks.get(number))


def unclosed_fence(text: str) -> int | None:
    """The 0-based line of the last code fence that is never closed, or None."""
    unclosed = [f.start for f in fences(text) if not f.closed]
    return unclosed[-1] if unclosed else None


def link_targets(text: str) -> list[str]:
    """The targets of the links of `text`, in order (inline links, autolinks, references)."""
    out = []
    for token in tokens(text):
        for child in token.children or []:
            if child.type == "link_open":
                href = child.attrGet("href")
                if isinstance(href, str):
                    out.append(href)
    return out


@dataclass(frozen=True)
class ShallowBlock:
    """A block that CommonMark nests under a list item but Python-Markdown does not, because it
    is indented by fewer than NEST_INDENT columns per level: 0-based line, indent, wanted."""

    line: int
    indent: int
    wanted: int
    kind: str  # "paragraph", "list", "code", "quote", "heading", …
    end: int = 0  # 0-based line after the block's last one


_BLOCK_KINDS = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "fence": "code",
    "code_block": "code",
    "blockquote_open": "quote",
    "heading_open": "heading",
    "html_block": "html",
    "hr": "rule",
}


def _indent(line: str) -> int:
    return len(line.expandtabs(NEST_INDENT)) - len(line.expandtabs(NEST_INDENT).lstrip(" "))


def shallow_blocks(text: str) -> list[ShallowBlock]:
    """Blocks inside list items whose indentation the site's renderer reads as "not nested":
    a nested list, or a paragraph or code block after a blank line, indented by less than
    NEST_INDENT columns per level. They render outside the list (a literal "- …" inside a
    paragraph, sub-bullets flattened, a code block splitting the list in two).

    A code fence right below the item's text, without a blank line, is kept: the site's
    fences extension (pymdownx.superfences) renders it inside the item at any indentation.
    """
    lines = text.splitlines()
    out: list[ShallowBlock] = []
    items: list[Token] = []  # the list items enclosing the current token
    in_quote = 0
    for token in tokens(text):
        if token.type == "list_item_open":
            items.append(token)
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "blockquote_open":
            in_quote += 1
        elif token.type == "blockquote_close":
            in_quote -= 1
        if token.type not in _BLOCK_KINDS or token.map is None or not items or in_quote:
            continue
        if token.type.endswith("_open") and token.nesting != 1:
            continue
        item = items[-1]
        if token.level != item.level + 1 or item.map is None or token.map[0] == item.map[0]:
            continue  # not a direct child, or on the item's own line
        first = token.map[0]
        wanted = NEST_INDENT * len(items)
        indent = _indent(lines[first]) if first < len(lines) else wanted
        if indent >= wanted:
            continue
        after_blank = first > 0 and not lines[first - 1].strip()
        if token.type == "fence" and not after_blank:
            continue
        if token.type == "paragraph_open" and not after_blank:
            continue  # a lazy continuation line: the same paragraph in both readings
        out.append(ShallowBlock(first, indent, wanted, _BLOCK_KINDS[token.type], token.map[1]))
    return out


def deepen_shallow_blocks(text: str) -> str:
    """`text` with each block that `shallow_blocks` finds moved right, with the lines it spans,
    to NEST_INDENT columns per level: the site's renderer then nests it under its list item as
    CommonMark does (`faq import` writes answers so; a page's `1. ` items indent by 3)."""
    lines = text.split("\n")
    for _ in range(len(lines)):  # each round deepens one block: at most one per line
        blocks = shallow_blocks("\n".join(lines))
        if not blocks:
            break
        block = blocks[0]
        shift = " " * (block.wanted - block.indent)
        for number in range(block.line, min(block.end, len(lines))):
            if lines[number].strip():
                lines[number] = shift + lines[number]
    return "\n".join(lines)


_P_TAG = re.compile(r"<(/?)p(?=[\s>/])[^>]*>", re.IGNORECASE)


def close_paragraph_tags(text: str) -> str:
    """`text` with the `<p>` elements of each HTML block closed inside that block: a `<p>` that
    meets another `<p>` is closed before it, and one still open at the block's end is closed
    there. GitHub's renderer, an HTML5 parser, closes them so itself; the site's, Python-Markdown,
    counts `<p` against `</p>` and, one short, takes the rest of the page for raw HTML (a README
    heading its logo with `<p align="center">…<p>` for `…</p>` showed its whole home page as
    Markdown source). Other tags may span blocks (a `<details>` around Markdown) and are left as
    they are."""
    lines = text.split("\n")
    blocks = [t.map for t in tokens(text) if t.type == "html_block" and t.map]
    for start, end in reversed(blocks):
        block = "\n".join(lines[start:end])
        parts, at, open_ = [], 0, False
        for tag in _P_TAG.finditer(block):
            if tag.group(1):
                open_ = False
            elif open_:
                parts += [block[at : tag.start()], "</p>"]
                at = tag.start()
            else:
                open_ = True
        fixed = "".join([*parts, block[at:]]) + ("</p>" if open_ else "")
        if fixed != block:
            lines[start:end] = fixed.split("\n")
    return "\n".join(lines)
