"""Relative links in Markdown pages: found (markdown-it-py), rewritten on import, and checked the
way the strict mkdocs build checks them.

mkdocs 1.6 fails a strict build on a relative link or image whose target has a file extension
and is not a file of the site (`validation.links.not_found`, a warning, an error under
`--strict`); links without an extension, absolute paths and missing anchors are only logged
(`info`). mkdocs-static-i18n serves the default language's file where a translation is missing.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from faq.i18n import _
from faq.loader import display_path, read_text, split_front_matter
from faq.models import Problem


@dataclass(frozen=True)
class Link:
    """A link or image in a Markdown text."""

    href: str
    line: int  # 0-based line in the text
    image: bool


def find_links(markdown: str) -> Iterator[Link]:
    """Every inline link, image and reference definition target in `markdown`, in order."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    env: dict[str, Any] = {}
    for token in md.parse(markdown, env):
        if token.type != "inline" or token.map is None:
            continue
        line = token.map[0]
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open" and child.markup != "autolink":
                yield Link(str(child.attrs.get("href", "")), line, False)
            elif child.type == "image":
                yield Link(str(child.attrs.get("src", "")), line, True)


def is_relative(href: str) -> bool:
    """A link into the same site: no scheme, no host, not only an anchor."""
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc or href.startswith("#") or not href)


def is_page_anchor(href: str) -> bool:
    return href.startswith("#") and len(href) > 1


# ----------------------------------------------------------------------------- rewriting


def rewrite_links(markdown: str, change: Callable[[str, bool], str | None]) -> str:
    """`markdown` with each inline link/image (outside code) whose `change(href, image)` gives
    a new target rewritten to it, or to its plain text when it gives ""; None keeps it. A GitHub
    wiki link (`[[Text|Page name]]`, href `Page-name`) becomes a Markdown link (or its text)."""

    def inline(m: re.Match[str]) -> str:
        image, text, href = m.group("bang") == "!", m.group("text"), m.group("href")
        target = change(_unbracket(href), image)
        if target is None:
            return m.group(0)
        if target == "":
            return text
        return _replace_group(m, "href", target)

    def wiki(m: re.Match[str]) -> str:
        page, label = m.group("page").strip(), m.group("label")
        name, _hash, anchor = page.partition("#")
        href = "-".join(name.split()) + (f"#{'-'.join(anchor.lower().split())}" if anchor else "")
        text = (label or name).strip()  # [[Configuration#gui]] reads "Configuration"
        target = change(href, False)
        if target == "":
            return text
        return f"[{text}]({href if target is None else target})"

    def definition(m: re.Match[str]) -> str:
        target = change(_unbracket(m.group("href")), False)
        if target is None:
            return m.group(0)
        return "" if target == "" else _replace_group(m, "href", target)

    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        # any indentation: a fence inside an admonition or a list item (`!!! note` then four
        # spaces) is code too, and TOML's `[[tool.x]]` in it is no wiki link
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence is None and marker:
            fence = marker.group(1)
        elif fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        else:
            line = _DEFINITION.sub(definition, line)
            line = _INLINE.sub(inline, line)
            line = _WIKI.sub(wiki, line)
        out.append(line)
    return "\n".join(out)


def _replace_group(m: re.Match[str], group: str, value: str) -> str:
    """The match's text with `group` replaced by `value`: where the group is, not its first
    occurrence (in `[CHANGELOG.md](CHANGELOG.md)` that is the link's text)."""
    start, end = m.start(group) - m.start(0), m.end(group) - m.start(0)
    return m.group(0)[:start] + value + m.group(0)[end:]


def _unbracket(href: str) -> str:
    return href[1:-1] if href.startswith("<") and href.endswith(">") else href


_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]`]|`[^`]*`|\[[^\]]*\])*)\]"
    r"\(\s*(?P<href><[^>]*>|[^\s)]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
# a GitHub wiki (Gollum) link: [[Page]], [[Page#anchor]], [[Text|Page]]; not bash's [[ -f x ]]
_WIKI = re.compile(r"\[\[(?:(?P<label>[^\[\]|\n]+)\|)?(?P<page>[^\[\]|\s][^\[\]|\n]*)\]\]")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?P<href><[^>]*>|\S+).*$")


def absolute(base_url: str, href: str) -> str:
    """`href` as the browser resolved it on the page at `base_url`."""
    return urljoin(base_url, href)


# ------------------------------------------------------------------------------ checking


def check_links(docs: Path, languages: tuple[str, ...], default: str) -> list[Problem]:
    """Broken relative links and images in every Markdown page under docs/<lang>/, and pages
    that conflict, with path:line."""
    problems: list[Problem] = []
    for lang in languages:
        folder = docs / lang
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.md")):
            problems.extend(_check_page(path, docs, lang, default))
            if path.name.lower() == "readme.md" and (path.parent / "index.md").is_file():
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        _("README.md beside index.md: the site build leaves one of them out"),
                        rule="page-conflict",
                    )
                )
    return problems


def check_home_page(docs: Path, default: str) -> list[Problem]:
    """The site needs the default language's home page (mkdocs-static-i18n stops without it;
    the other languages fall back to it)."""
    home = docs / default / "index.md"
    if home.is_file():
        return []
    return [
        Problem(
            display_path(home),
            1,
            _("missing home page: the site build (`faq build`) fails without {path}").format(
                path=f"{default}/index.md"
            ),
            rule="home-page",
        )
    ]


def _check_page(path: Path, docs: Path, lang: str, default: str) -> list[Problem]:
    shown = display_path(path)
    text, _problem = read_text(path, shown)
    if text is None:
        return []  # the loader reports unreadable files
    offset = 0
    parts = split_front_matter(text)
    if parts is not None:
        _front, text, body_line = parts
        offset = body_line - 1
    here = posixpath.dirname(path.relative_to(docs).as_posix())
    out: list[Problem] = []
    for link in find_links(text):
        if not is_relative(link.href):
            continue
        target = unquote(urlsplit(link.href).path)
        if not target or target.startswith("/") or not posixpath.splitext(target)[1]:
            continue  # only logged by mkdocs: absolute paths and links without an extension
        resolved = posixpath.normpath(posixpath.join(here, target))
        if _exists(docs, resolved, lang, default):
            continue
        message = (
            _("broken image {href!r}: no such file in the knowledge base")
            if link.image
            else _("broken link {href!r}: no such page in the knowledge base")
        )
        out.append(
            Problem(shown, offset + link.line + 1, message.format(href=link.href), rule="link")
        )
    return out


def _exists(docs: Path, resolved: str, lang: str, default: str) -> bool:
    if resolved.startswith("../") or resolved == "..":
        return False
    if (docs / resolved).is_file():
        return True
    head, _sep, rest = resolved.partition("/")
    # mkdocs-static-i18n builds a missing translation from the default language's file
    return head == lang and lang != default and (docs / default / rest).is_file()
