"""faq.entries: answers rendered like the site, entry links resolved, text and snippets derived
from the rendered HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus import write_corpus
from faq.build import build
from faq.config import Settings, load_settings
from faq.embedders import get_embedder
from faq.entries import (
    Renderer,
    page_url,
    plain_text,
    resolve_link,
    snippet,
    text_blocks,
)
from faq.index import load_index, units_of
from faq.loader import load
from faq.models import Entry
from faq.search import Ranker
from faq.site import markdown_config

REPO = Path(__file__).resolve().parents[1]


def entry(body: str, *, lang: str = "en", section: str = "usage", id: str = "x") -> Entry:
    return Entry(id=id, lang=lang, section=section, title="T", body=body)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(Settings(languages=("ko", "en", "zh"), default_language="ko"))


# ------------------------------------------------------------------------------ plain text


def test_plain_text_drops_markup_and_keeps_words() -> None:
    markdown = (
        "# Title\n\n"
        "Some **bold**, _it_ and [a link](https://x.example) and `code`.\n\n"
        "```py\nprint(1)\n```\n\n"
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"
        "> quoted\n\n- item\n\n1. step\n\n![alt text](x.png)"
    )
    assert plain_text(markdown).splitlines() == [
        "Title",
        "Some bold, it and a link and code.",
        "print(1)",
        "a b",
        "1 2",
        "quoted",
        "item",
        "step",
        "alt text",
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        "Set `OPENAI_API_KEY` and `HTTP_PROXY`, or DISABLE_CHUNK=1.",
        "Set OPENAI_API_KEY and HTTP_PROXY, or DISABLE_CHUNK=1.",
        "```bash\nexport OPENAI_API_KEY=sk-*** HTTP_PROXY=x\nDISABLE_CHUNK=1 yarn build\n```",
        "- Set **`OPENAI_API_KEY`**, HTTP_PROXY and _DISABLE_CHUNK_",
    ],
    ids=["inline-code", "bare", "code-block", "list-emphasis"],
)
def test_identifiers_keep_their_underscores(markdown: str) -> None:
    text = plain_text(markdown)
    assert "OPENAI_API_KEY" in text and "HTTP_PROXY" in text and "DISABLE_CHUNK" in text
    if "sk-***" in markdown:
        assert "sk-***" in text  # `*` in code is code


def test_code_keeps_its_lines_and_hashes() -> None:
    text = "```nginx\n# no cache\nproxy_cache off;  # off\n```"
    assert plain_text(text) == "# no cache\nproxy_cache off; # off"


def test_permalinks_and_html_entities_are_not_text() -> None:
    assert plain_text("## Steps\n\nA &amp; B <b>x</b>") == "Steps\nA & B x"


# -------------------------------------------------------------------------------- snippets


def snippet_of(markdown: str, limit: int = 200) -> str:
    return snippet(text_blocks(Renderer().html(markdown)), limit)


def test_a_code_block_shows_in_its_place_in_the_snippet() -> None:
    body = (
        "The full error is usually:\n\n```\nError: Loading CSS chunk 12 failed\n```\n\n"
        "It is caused by old browsers."
    )
    assert snippet_of(body) == (
        "The full error is usually: `Error: Loading CSS chunk 12 failed` It is caused by old"
        " browsers."
    )


def test_a_code_blocks_first_command_not_its_comment() -> None:
    body = "Run:\n\n```bash\n# build without chunks\nDISABLE_CHUNK=1 yarn build\nyarn start\n```"
    assert snippet_of(body) == "Run: `DISABLE_CHUNK=1 yarn build`"


def test_a_long_snippet_ends_with_a_whole_sentence() -> None:
    body = "First sentence is here. " * 3 + "The last one runs on and on " * 10
    out = snippet_of(body, 100)
    assert out == "First sentence is here. First sentence is here. First sentence is here. …"


def test_a_long_snippet_without_a_sentence_end_is_cut_between_words() -> None:
    out = snippet_of("word " * 100, 50)
    assert out.endswith("word…") and len(out) <= 51


def test_a_cut_never_falls_inside_code() -> None:
    body = "Run this command now please:\n\n```\n" + "x" * 300 + "\n```"
    out = snippet_of(body, 60)
    assert out.count("`") % 2 == 0 and out.endswith("…")


def test_cjk_snippets_end_at_a_full_stop() -> None:
    body = "这是第一句话，说明问题的原因。" * 3 + "后面还有很长很长的内容" * 20
    out = snippet_of(body, 80)
    assert out.endswith("。 …") and len(out) <= 82


# ----------------------------------------------------------------------------- rendering


def test_the_api_renders_with_the_sites_markdown_extensions() -> None:
    settings = load_settings(cwd=REPO, env={})
    config = markdown_config(settings)
    assert config.extensions[:3] == ("toc", "tables", "fenced_code")  # mkdocs' built-ins
    for name in ("admonition", "pymdownx.superfences", "pymdownx.magiclink"):
        assert name in config.extensions
    assert config.configs["toc"] == {"permalink": True}
    html = Renderer(settings).html('!!! note "Heads up"\n    Careful.\n\n| a |\n|---|\n| 1 |')
    assert 'class="admonition note"' in html and "<table>" in html


def test_a_code_block_in_a_list_item_is_a_block_in_the_item(renderer: Renderer) -> None:
    body = "- Build it:\n\n    ```bash\n    DISABLE_CHUNK=1 yarn build\n    ```\n\n- Done."
    html = renderer.html(body)
    item = re.search(r"<li>(.*?)</li>", html, re.S)
    assert item is not None and "<pre>" in item.group(1)
    assert "DISABLE_CHUNK" in item.group(1)
    assert html.count("<ul>") == 1  # one list, not split in two around the code


def test_the_shipped_zh_css_chunk_entry_keeps_its_code_block_in_the_list(
    renderer: Renderer,
) -> None:
    settings = load_settings(cwd=REPO, env={})
    found = [
        e
        for e in load(settings.docs, ("zh",)).entries
        if e.id in ("css-chunk-error", "token-usage")
    ]
    assert len(found) == 2
    for e in found:
        html = Renderer(settings).render(e).html
        items = re.findall(r"<li>(.*?)</li>", html, re.S)
        assert any("<pre>" in item for item in items), e.id


def test_headings_have_no_permalink_in_the_api(renderer: Renderer) -> None:
    html = renderer.html("## Steps\n\nText")
    assert 'id="steps"' in html and "¶" not in html and "headerlink" not in html


# ----------------------------------------------------------------------------- entry links


@pytest.mark.parametrize(
    ("source", "href", "url"),
    [
        ("zh/usage/a.md", "../openai/b.md", "/zh/openai/b/"),
        ("zh/usage/a.md", "b.md#step-2", "/zh/usage/b/#step-2"),
        ("ko/usage/a.md", "../openai/b.md", "/openai/b/"),  # the default language: the root
        ("en/usage/a.md", "../index.md", "/en/"),
        ("en/usage/a.md", "../../zh/usage/b.md", "/zh/usage/b/"),
        ("en/usage/a.md", "#why", "/en/usage/a/#why"),
        ("en/usage/a.md", "https://x.example/a.md", "https://x.example/a.md"),
        ("en/usage/a.md", "../../../outside.md", "../../../outside.md"),
        ("en/usage/a.md", "image.png", "image.png"),
        ("en/usage/a.md", "../../fr/usage/b.md", "../../fr/usage/b.md"),  # not a language here
    ],
)
def test_entry_links_resolve_to_page_urls(source: str, href: str, url: str) -> None:
    settings = Settings(languages=("ko", "en", "zh"), default_language="ko")
    assert resolve_link(settings, source, href) == url


def test_page_urls_follow_site_url() -> None:
    settings = Settings(
        languages=("ko", "en"), default_language="ko", site_url="https://faq.example.org/kb/"
    )
    assert page_url(settings, "en/usage/b.md") == "https://faq.example.org/kb/en/usage/b/"
    assert page_url(settings, "ko/index.md") == "https://faq.example.org/kb/"


def test_rendered_links_point_to_entries_in_the_readers_language(renderer: Renderer) -> None:
    html = renderer.render(
        entry("See [quota](../openai/b.md) and <https://x.example>.", lang="zh")
    ).html
    assert '<a href="/zh/openai/b/">quota</a>' in html
    assert '<a href="https://x.example">' in html


# ---------------------------------------------------------------------- index and search


BODY = (
    "Set `OPENAI_API_KEY` in the environment.\n\n"
    "- For your own build:\n\n    ```bash\n    DISABLE_CHUNK=1 yarn build\n    ```\n"
)


def test_snippets_and_indexed_texts_keep_identifiers(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    page = settings.docs / "en" / "general" / "get-help.md"
    text = page.read_text("utf-8").replace(
        "Search first, then ask with details of your setup.", BODY
    )
    page.write_text(text, "utf-8")
    build(settings, site=False)
    data = load_index(settings)
    served = next(e for e in data.entries if e.id == "get-help")
    assert served.snippet == (
        "Set OPENAI_API_KEY in the environment. For your own build: `DISABLE_CHUNK=1 yarn build`"
    )
    answer = [t for t, k in zip(data.unit_text, data.unit_kind, strict=True) if k == "answer"]
    assert any("OPENAI_API_KEY" in t and "DISABLE_CHUNK=1 yarn build" in t for t in answer)
    entries = load(settings.docs, settings.languages).entries
    get_help = next(e for e in entries if e.id == "get-help")
    assert ("answer", plain_text(BODY)[:300]) in units_of(get_help)


def test_a_query_with_disable_chunk_finds_the_entry_through_the_lexical_leg(
    tmp_path: Path,
) -> None:
    settings = write_corpus(tmp_path)
    page = settings.docs / "en" / "general" / "get-help.md"
    text = page.read_text("utf-8").replace(
        "Search first, then ask with details of your setup.", BODY
    )
    page.write_text(text, "utf-8")
    build(settings, site=False)
    data = load_index(settings)
    ranker = Ranker(data, get_embedder("fake"))
    lexical = ranker.lexical_scores("build fails, I tried DISABLE_CHUNK=1")
    best = ranker.ids[int(lexical.argmax())]
    assert best == "get-help" and lexical.max() > 0
    alone = ranker.lexical_scores("DISABLE_CHUNK")
    assert [ranker.ids[i] for i in alone.nonzero()[0]] == ["get-help"]  # the word, underscore kept
