"""mkdocs hooks for `faq build`: entries rendered inert, each entry page linked to its related
entries, and the root 404 page in the default language.

Entries are data: their titles and answers may hold `<script>` or `<img onerror>` (pasted error
output, a hostile contribution); the theme's templates do not escape, so titles are escaped and
answers pass the same allow-list as the API's. mkdocs-static-i18n builds every language into
the same site folder, one after the other, the default language first; each build writes the
root 404.html, so the last language's would win.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from faq.i18n import N_, gettext
from faq.sanitize import escape_markup, sanitize_html

_pages: dict[str, str] = {}
# (lang, id) → (path of the entry file relative to docs/, title), for the "Related" links
_entries: dict[tuple[str, str], tuple[str, str]] = {}
RELATED = N_("Related")


def _is_entry(page: Any) -> bool:
    meta = getattr(page, "meta", None) or {}
    return bool(meta.get("id") and meta.get("section"))


def on_startup(command: str, dirty: bool) -> None:
    _pages.clear()  # mkdocs caches hook modules: one build's pages must not leak into the next


def on_pre_build(config: Any) -> None:
    from faq.loader import discover_languages, load

    _entries.clear()
    docs = Path(config["docs_dir"])
    for entry in load(docs, discover_languages(docs)).entries:
        path = f"{entry.lang}/{entry.section}/{entry.id}.md"
        if (docs / path).is_file():
            _entries[(entry.lang, entry.id)] = (path, entry.title)


def _related_links(page: Any) -> str:
    """A Markdown list of the entry's related entries in the page's language."""
    src = str(page.file.src_uri)
    lang = src.split("/", 1)[0]
    items = []
    for entry_id in page.meta.get("related") or []:
        found = _entries.get((lang, str(entry_id)))
        if found is None:
            continue
        path, title = found
        text = escape_markup(title).replace("[", "\\[").replace("]", "\\]")
        items.append(f"- [{text}]({posixpath.relpath(path, posixpath.dirname(src))})")
    if not items:
        return ""
    return f"\n\n## {gettext(RELATED, lang)}\n\n" + "\n".join(items) + "\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if not _is_entry(page):
        return markdown
    if isinstance(page.meta.get("title"), str):
        page.meta["title"] = escape_markup(page.meta["title"])
    return markdown + _related_links(page)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return sanitize_html(html) if _is_entry(page) else html


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output_content
    return _pages.setdefault(template_name, output_content)
