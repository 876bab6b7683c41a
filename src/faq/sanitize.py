"""Entry content is data, not markup: one allow-list makes answers inert (API and site)."""

from __future__ import annotations

import functools
import re
from typing import Any

# What Markdown, admonitions, code highlighting and tables produce, and no more: no script,
# style, form or embedded content, no event handler or style attribute, no javascript: link.
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir"},  # class and id: filtered by _attribute
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
_SCHEMES = {"http", "https", "mailto"}

# The classes the renderers produce, and only those: an entry must not borrow the theme's or
# the widget's classes (a link with the widget's backdrop class covered the whole page, #12).
# Admonitions (python-markdown's `admonition`, material's types), code (pymdownx.highlight,
# fenced_code), the heading permalink (`toc`); Pygments token classes are added below.
_CLASSES: dict[str, set[str]] = {
    "div": {
        "admonition", "highlight", "note", "abstract", "summary", "tldr", "info", "todo",
        "tip", "hint", "important", "success", "check", "done", "question", "help", "faq",
        "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
        "bug", "example", "quote", "cite",
    },
    "p": {"admonition-title"},
    "a": {"headerlink"},
    "pre": {"highlight"},
    "code": set(),
    "span": set(),  # Pygments' token classes
}  # fmt: skip
_LANGUAGE_CLASS = re.compile(r"^language-[a-z0-9+#_-]{1,32}$")
# A heading's anchor (toc): ids the theme (`__drawer`, `__search`…) and the widget (`faq-…`)
# use are refused, so an entry cannot take over their labels and targets.
_ID = re.compile(r"^(?!__|faq-)[a-z0-9\u00c0-\uffff][a-z0-9_\-\u00c0-\uffff]{0,99}$")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@functools.cache
def _pygments_classes() -> frozenset[str]:
    try:
        from pygments.token import STANDARD_TYPES  # type: ignore[import-untyped]
    except ImportError:  # no Pygments: no highlighted code to keep classes for
        return frozenset()
    return frozenset(c for c in STANDARD_TYPES.values() if c) | {"hll"}


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: `class` down to the allowed classes, `id` on headings only."""
    if name == "class":
        allowed = _CLASSES.get(tag)
        if allowed is None:
            return None
        kept = [
            c
            for c in value.split()
            if c in allowed
            or (tag in ("div", "code") and _LANGUAGE_CLASS.match(c))
            or (tag == "span" and c in _pygments_classes())
        ]
        return " ".join(kept) or None
    if name == "id":
        return value if tag in _HEADINGS and _ID.match(value) else None
    return value


def sanitize_html(fragment: str) -> str:
    """`fragment` with everything that could run or load a script, or restyle the page, removed:
    no `style`, only the renderers' own classes, ids on headings only. Text is kept."""
    import nh3

    options: dict[str, Any] = {
        "tags": _TAGS,
        "clean_content_tags": {"script", "style"},
        "attributes": _ATTRIBUTES,
        "url_schemes": _SCHEMES,
        "link_rel": None,
        "attribute_filter": _attribute,
    }
    return str(nh3.clean(fragment, **options))


def escape_markup(text: str) -> str:
    """A plain-text title for a template that does not escape (mkdocs' templates): `<` and `>`
    become entities, so no tag can be opened; `&` stays, so `Q&A` reads as written."""
    return text.replace("<", "&lt;").replace(">", "&gt;")
