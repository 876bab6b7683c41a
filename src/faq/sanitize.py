"""Entry content is data, not markup: one allow-list makes answers inert (API and site)."""

from __future__ import annotations

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
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(fragment: str) -> str:
    """`fragment` with everything that could run or load a script removed; text is kept."""
    import nh3

    options: dict[str, Any] = {
        "tags": _TAGS,
        "clean_content_tags": {"script", "style"},
        "attributes": _ATTRIBUTES,
        "url_schemes": _SCHEMES,
        "link_rel": None,
    }
    return str(nh3.clean(fragment, **options))


def escape_markup(text: str) -> str:
    """A plain-text title for a template that does not escape (mkdocs' templates): `<` and `>`
    become entities, so no tag can be opened; `&` stays, so `Q&A` reads as written."""
    return text.replace("<", "&lt;").replace(">", "&gt;")
