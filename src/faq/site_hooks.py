"""mkdocs hooks for `faq build`: entries rendered inert, each entry page linked to its related
entries, the navigation of each language (see `on_nav`), and a 404 page per language.

Entries are data: their titles and answers may hold `<script>` or `<img onerror>` (pasted error
output, a hostile contribution); the theme's templates do not escape, so titles are escaped and
answers pass the same allow-list as the API's. mkdocs-static-i18n builds every language into
the same site folder, one after the other, the default language first; each build writes the
root 404.html, so the last language's would win: the default language's stays at the root, each
other's goes to /<lang>/404.html (faq.api.static serves it by path prefix).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from faq.i18n import N_, gettext
from faq.sanitize import escape_markup, sanitize_html
from faq.site_nav import arrange

_pages: dict[str, str] = {}
# (lang, id) → (path of the entry file relative to docs/, title), for the "Related" links
_entries: dict[tuple[str, str], tuple[str, str]] = {}
RELATED = N_("Related")
# the theme overrides' own strings (404.html), through `faq_t(key, lang)` in templates
TEMPLATE_STRINGS = {
    "not_found": N_("Page not found"),
    "not_found_text": N_(
        "There is no page at this address. Ask your question with the search box, or start"
        " from the home page."
    ),
    "home": N_("Home page"),
}


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


def current_language(config: Any) -> str:
    """The language mkdocs-static-i18n is building now (it builds one after the other)."""
    i18n = config.plugins.get("i18n") if hasattr(config.plugins, "get") else None
    lang = getattr(i18n, "current_language", None) or config.theme.get("language") or ""
    return str(lang)


@event_priority(-150)  # after mkdocs-static-i18n's on_nav (-100), which builds each language's
def on_nav(nav: Any, config: Any, files: Any) -> Any:
    return arrange(nav, Path(config["docs_dir"]), current_language(config))


def _template_string(key: str, lang: str) -> str:
    return gettext(TEMPLATE_STRINGS[key], lang)


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.globals["faq_t"] = _template_string
    return env


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output_content
    if template_name not in _pages:  # the default language: built first, at the root
        _pages[template_name] = output_content
        return output_content
    lang = current_language(config)
    if lang:
        folder = Path(config["site_dir"]) / lang
        folder.mkdir(parents=True, exist_ok=True)
        (folder / template_name).write_text(output_content, "utf-8")
    return _pages[template_name]
