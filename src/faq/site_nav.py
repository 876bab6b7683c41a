"""Each language's site navigation: section labels from the section pages, sections and entries
in the order the home and section pages list them, and the maintainers' pages in a part of
their own.

mkdocs names a section after its folder ("Web-services", in every language) and sorts by
name. Here a section is named by its page (`docs/<lang>/<section>/index.md`: front matter
`title`, else its first `#` heading); sections follow the order of the links of the home page
(`docs/<lang>/index.md`), entries the order of the links of their section page; what no page
links keeps mkdocs' order, after. Pages directly in `docs/<lang>/` other than the home page
are about running the knowledge base (the entry format, reliability, deployment): they go
last, under "For maintainers", and the readers' pages' "Next" / "Previous" links never lead
into that part.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from faq.i18n import N_, gettext
from faq.loader import split_front_matter
from faq.markdown import headings, link_targets

FOR_MAINTAINERS = N_("For maintainers")


def page_title(path: Path) -> str | None:
    """A page's title: front matter `title`, else its first top-level heading; None if unread."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    parts = split_front_matter(text)
    body = text
    if parts is not None:
        raw, body, _line = parts
        try:
            meta = yaml.safe_load(raw)
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict) and isinstance(meta.get("title"), str) and meta["title"]:
            return str(meta["title"]).strip()
    first = next((h for h in headings(body) if h.level == 1), None)
    return first.text if first and first.text else None


def linked_names(path: Path) -> list[str]:
    """The first path segment (without `.md`) of each relative link of a page, in order:
    `general/index.md` → `general`, `gpt4-access.md` → `gpt4-access`."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    names: list[str] = []
    for href in link_targets(text):
        target = href.split("#", 1)[0].split("?", 1)[0]
        if not target or "://" in target or target.startswith(("/", "..", "mailto:")):
            continue
        name = target.removeprefix("./").split("/", 1)[0].removesuffix(".md")
        if name and name not in names:
            names.append(name)
    return names


def _src(item: Any) -> str:
    file = getattr(item, "file", None)
    return str(getattr(file, "src_uri", "") or "")


def _order(items: list[Any], names: list[str], name_of: Any) -> list[Any]:
    rank = {name: i for i, name in enumerate(names)}
    indexed = list(enumerate(items))
    indexed.sort(key=lambda pair: (rank.get(name_of(pair[1]), len(rank)), pair[0]))
    return [item for _i, item in indexed]


def _chain(pages: list[Any]) -> None:
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i > 0 else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None


def _pages_of(items: list[Any]) -> list[Any]:
    from mkdocs.structure.pages import Page

    out: list[Any] = []
    for item in items:
        if isinstance(item, Page):
            out.append(item)
        out.extend(_pages_of(getattr(item, "children", None) or []))
    return out


def arrange(nav: Any, docs: Path, lang: str) -> Any:
    """Rearrange mkdocs' Navigation of one language in place (see the module docstring)."""
    from mkdocs.structure.nav import Section
    from mkdocs.structure.pages import Page

    home: list[Any] = []
    sections: list[Any] = []
    maintainers: list[Any] = []
    others: list[Any] = []
    for item in nav.items:
        if isinstance(item, Section):
            sections.append(item)
        elif isinstance(item, Page) and (item is nav.homepage or _src(item).endswith("/index.md")):
            home.append(item)
        elif isinstance(item, Page) and _src(item).count("/") == 1:
            maintainers.append(item)
        else:
            others.append(item)
    for section in sections:
        children = list(section.children or [])
        index = next((c for c in children if _src(c).endswith("/index.md")), None)
        if index is not None:
            folder = (docs / _src(index)).parent
            section.title = page_title(docs / _src(index)) or section.title
            rest = [c for c in children if c is not index]
            rest = _order(rest, linked_names(folder / "index.md"), lambda c: Path(_src(c)).stem)
            section.children = [index, *rest]
    sections = _order(
        sections,
        linked_names(docs / lang / "index.md"),
        lambda s: Path(_src(next(iter(_pages_of([s])), None))).parent.name,
    )
    readers = [*home, *sections, *others]
    nav.items = list(readers)
    if maintainers:
        part = Section(gettext(FOR_MAINTAINERS, lang), maintainers)
        for page in maintainers:
            page.parent = part
        nav.items.append(part)
    reader_pages, maintainer_pages = _pages_of(readers), _pages_of(maintainers)
    _chain(reader_pages)  # the readers' "Next" never leads to a maintainers' page
    _chain(maintainer_pages)
    nav.pages = reader_pages + maintainer_pages
    return nav
