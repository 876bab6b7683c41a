"""mkdocs hooks for `faq build`: the site's root 404 page in the default language.

mkdocs-static-i18n builds every language into the same site folder, one after the other, the
default language first; each build writes the root 404.html, so the last language's would win.
"""

from __future__ import annotations

from typing import Any

_pages: dict[str, str] = {}


def on_startup(command: str, dirty: bool) -> None:
    _pages.clear()  # mkdocs caches hook modules: one build's pages must not leak into the next


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output_content
    return _pages.setdefault(template_name, output_content)
