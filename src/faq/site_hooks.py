"""mkdocs hooks for `faq build`: entries rendered inert, and the root 404 page in the default
language.

Entries are data: their titles and answers may hold `<script>` or `<img onerror>` (pasted error
output, a hostile contribution); the theme's templates do not escape, so titles are escaped and
answers pass the same allow-list as the API's. mkdocs-static-i18n builds every language into
the same site folder, one after the other, the default language first; each build writes the
root 404.html, so the last language's would win.
"""

from __future__ import annotations

from typing import Any

from faq.sanitize import escape_markup, sanitize_html

_pages: dict[str, str] = {}


def _is_entry(page: Any) -> bool:
    meta = getattr(page, "meta", None) or {}
    return bool(meta.get("id") and meta.get("section"))


def on_startup(command: str, dirty: bool) -> None:
    _pages.clear()  # mkdocs caches hook modules: one build's pages must not leak into the next


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if _is_entry(page) and isinstance(page.meta.get("title"), str):
        page.meta["title"] = escape_markup(page.meta["title"])
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return sanitize_html(html) if _is_entry(page) else html


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output_content
    return _pages.setdefault(template_name, output_content)
