"""An entry's answer as readers get it: HTML rendered like the site's (one Markdown
configuration, entry links resolved to page URLs, sanitised), and the plain text and the
snippet derived from that HTML, for the index and for search results."""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from faq.config import Settings
from faq.models import Entry

SNIPPET_CHARS = 200


# ------------------------------------------------------------------------------------ URLs


def page_url(settings: Settings, source: str) -> str | None:
    """The URL of the site page built from `source`, a path under docs/ (`zh/usage/x.md`,
    `en/index.md`): the default language at the root, the others under /<lang>/; directory
    URLs, as the site is built. None when `source` is not a page of a configured language."""
    parts = source.split("/")
    if len(parts) < 2 or parts[0] not in settings.languages or not source.endswith(".md"):
        return None
    lang, rest = parts[0], parts[1:]
    rest[-1] = rest[-1].removesuffix(".md")
    if rest[-1] in ("index", "README"):
        rest.pop()
    prefix = [] if lang == settings.default_language else [lang]
    path = "/".join([*prefix, *rest])
    return settings.site_url.rstrip("/") + "/" + (path + "/" if path else "")


def entry_url(settings: Settings, lang: str, section: str, entry_id: str) -> str:
    """The URL of an entry's page in one language."""
    url = page_url(settings, f"{lang}/{section}/{entry_id}.md")
    if url is None:  # a language outside the settings: the same shape
        url = f"{settings.site_url.rstrip('/')}/{lang}/{section}/{entry_id}/"
    return url


def resolve_link(settings: Settings, source: str, href: str) -> str:
    """`href`, written in the page `source` (a path under docs/), as readers follow it from
    anywhere: a relative link to another page (`../usage/x.md#y`) becomes that page's URL in
    the same language, `#y` the source page's URL + `#y`; any other link is kept."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return href
    if not parts.path:
        own = page_url(settings, source)
        return own + "#" + parts.fragment if own and parts.fragment else href
    if not parts.path.endswith(".md"):
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), parts.path))
    url = None if target.startswith("../") else page_url(settings, target)
    if url is None:
        return href
    return (
        url
        + ("?" + parts.query if parts.query else "")
        + ("#" + parts.fragment if parts.fragment else "")
    )


# ------------------------------------------------------------------------------- rendering


class Renderer:
    """Entry answers → HTML with the site's Markdown configuration (faq.site.markdown_config).

    Entry links are resolved to page URLs (the widget shows answers away from their page) and
    the theme's heading permalinks (`¶`) are left out; the rest is what mkdocs renders for the
    page body. The output passes faq.sanitize: entries are data, not trusted markup.
    One Markdown instance is reused (`reset()` between answers): not thread-safe.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        """Raises BuildError when the knowledge base's mkdocs.yml cannot be read."""
        from faq.site import markdown_config

        self.settings = settings or Settings()
        config = markdown_config(settings)
        self.source = ""  # the page being rendered, a path under docs/
        self._md = markdown.Markdown(
            extensions=[*config.extensions, _LinkExtension(self)],
            extension_configs=config.configs,
        )

    def html(self, body: str, source: str = "") -> str:
        """The answer `body` of the page `source` (`<lang>/<section>/<id>.md`) as safe HTML;
        without `source`, relative links are kept as written."""
        from faq.sanitize import sanitize_html

        self.source = source
        try:
            return sanitize_html(self._md.reset().convert(body))
        finally:
            self.source = ""

    def render(self, entry: Entry) -> Rendered:
        """An entry's answer as HTML, plain text and snippet."""
        html = self.html(entry.body, f"{entry.lang}/{entry.section}/{entry.id}.md")
        blocks = text_blocks(html)
        return Rendered(html=html, text=blocks_text(blocks), snippet=snippet(blocks))


@dataclass(frozen=True)
class Rendered:
    """An answer ready to serve: safe HTML, its plain text (index), its snippet (results)."""

    html: str
    text: str
    snippet: str


class _LinkTreeprocessor(Treeprocessor):  # type: ignore[misc]  # markdown is untyped
    """Resolves links against the page being rendered; drops the toc's permalinks."""

    def __init__(self, md: markdown.Markdown, renderer: Renderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: Element) -> None:
        renderer = self.renderer
        for parent in root.iter():
            for child in list(parent):
                if child.tag != "a":
                    continue
                if "headerlink" in (child.get("class") or "").split():
                    parent.remove(child)
                    continue
                href = child.get("href")
                if href and renderer.source:
                    child.set("href", resolve_link(renderer.settings, renderer.source, href))


class _LinkExtension(Extension):  # type: ignore[misc]
    def __init__(self, renderer: Renderer) -> None:
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # after the toc extension (priority 5), which adds the permalinks
        md.treeprocessors.register(_LinkTreeprocessor(md, self.renderer), "faq-links", 1)


# ------------------------------------------------------------------------- text from HTML


@dataclass(frozen=True)
class Block:
    """One block of rendered text: a paragraph, list item, heading, table row… or code."""

    text: str
    code: bool = False


_BLOCK_TAGS = {
    "p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "table",
    "thead", "tbody", "tr", "dl", "dt", "dd", "details", "summary", "hr", "br", "pre",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}


class _TextBlocks(HTMLParser):
    """Rendered HTML → blocks of text: block elements end a block, code keeps its lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._pre = 0

    def _flush(self) -> None:
        raw = "".join(self._text)
        self._text = []
        if self._pre:
            lines = [" ".join(line.split()) for line in raw.strip("\n").splitlines()]
            text = "\n".join(line for line in lines if line)
            if text:
                self.blocks.append(Block(text, code=True))
        else:
            text = " ".join(raw.split())
            if text:
                self.blocks.append(Block(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre += 1
        elif tag in _CELL_TAGS:
            self._text.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._text.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre" and self._pre:
                self._pre -= 1
        elif tag in _CELL_TAGS:
            self._text.append(" ")

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def text_blocks(html: str) -> list[Block]:
    """The text of rendered HTML, block by block: words, identifiers (`OPENAI_API_KEY`), `*`
    and code exactly as a reader sees them; markup, link targets and permalinks left out."""
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def blocks_text(blocks: list[Block]) -> str:
    """The blocks as plain text, one line per block line (code included): what is embedded
    and what BM25 reads."""
    return "\n".join(block.text for block in blocks)


def plain_text(body: str) -> str:
    """An answer's plain text, rendered with the default Markdown configuration: for texts
    outside a knowledge base (tests, tools)."""
    return blocks_text(text_blocks(_default_renderer().html(body)))


@functools.cache
def _default_renderer() -> Renderer:
    return Renderer()


# --------------------------------------------------------------------------------- snippets

# where a sentence ends: Latin punctuation before a space, or CJK full stops (not a colon: a
# snippet ending on "…is usually:" says nothing)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]")
_COMMENT = re.compile(r"^\s*(?:#|//|<!--)")


def snippet(blocks: list[Block], limit: int = SNIPPET_CHARS) -> str:
    """The opening of an answer as one line of at most about `limit` characters that reads
    right: a code block shows as its first line (not a comment) in backticks
    (`DISABLE_CHUNK=1 yarn build`),
    in its place in the text; a cut ends at a sentence end when one is near, else between
    words, never inside code; "…" marks a cut."""
    parts = []
    for block in blocks:
        if block.code:
            lines = block.text.split("\n")
            first = next((line for line in lines if not _COMMENT.match(line)), lines[0])
            parts.append("`" + first.replace("`", "'") + "`")
        else:
            parts.append(block.text)
    text = " ".join(parts)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    if cut.count("`") % 2:  # inside a code span: cut before it
        cut = cut[: cut.rindex("`")]
    ends = [m.end() for m in _SENTENCE_END.finditer(cut) if m.end() <= limit]
    if ends and ends[-1] >= limit // 2:
        return cut[: ends[-1]].rstrip() + " …"
    space = cut.rfind(" ", 0, limit)
    if space >= limit * 0.6:
        cut = cut[:space]
    else:
        cut = cut[:limit]
    return cut.rstrip(" ,;:、，") + "…"
