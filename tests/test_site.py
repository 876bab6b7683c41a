"""The static site: mkdocs --strict on a tiny knowledge base, per language, swapped in whole."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from corpus import write_corpus
from faq.atomic import builds_folder
from faq.config import Settings, load_settings
from faq.errors import BuildError
from faq.i18n import gettext
from faq.site import build_site, site_config
from faq.site_nav import linked_names, page_title

REPO = Path(__file__).resolve().parents[1]

HOME = {"en": "Tiny FAQ", "ko": "작은 FAQ"}
SECTIONS = {"deployment": "Deployment", "usage": "Usage", "general": "General"}


def add_pages(settings: Settings) -> None:
    """The pages a site needs besides entries: a home page and a page per section."""
    for lang in settings.languages:
        folder = settings.docs / lang
        (folder / "index.md").write_text(f"---\ntitle: {HOME[lang]}\n---\n\nWelcome.\n", "utf-8")
        for section, title in SECTIONS.items():
            if (folder / section).is_dir():
                (folder / section / "index.md").write_text(f"# {title}\n", "utf-8")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = write_corpus(tmp_path / "kb").replace(site_dir=str(tmp_path / "out" / "site"))
    add_pages(settings)
    return settings


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text("utf-8")


def test_every_language_gets_its_pages(settings: Settings) -> None:
    site = build_site(settings)
    assert site == settings.site and site.is_symlink()
    # the default language (en) at the root, every other under /<lang>/
    assert "Why is there no streaming output behind nginx?" in html(
        site, "deployment/streaming-nginx"
    )
    assert "nginx 뒤에서 스트리밍이 안 되는 이유는?" in html(site, "ko/deployment/streaming-nginx")
    assert '<html lang="ko"' in html(site, "ko")
    assert '<html lang="en"' in html(site, ".")
    for page in ("usage/quota-exceeded", "ko/usage/quota-exceeded", "deployment", "ko/deployment"):
        assert (site / page / "index.html").is_file(), page
    # a language switcher on every page, relative so that a path prefix works
    page = html(site, "ko/deployment/streaming-nginx")
    assert re.search(r'href="\.\./\.\./\.\./deployment/streaming-nginx/"[^>]*hreflang="en"', page)
    assert (site / "404.html").read_text("utf-8").count('<html lang="en"') == 1


def test_the_widget_is_the_site_search(settings: Settings) -> None:
    site = build_site(settings)
    page = html(site, "ko/deployment/streaming-nginx")
    tag = re.search(r"<script src=\"([^\"]+faq-widget\.js)\"([^>]*)>", page)
    assert tag is not None
    assert tag.group(1) == "../../../faq-widget.js"
    assert 'data-api="../../../api"' in tag.group(2)
    assert 'data-lang="ko"' in tag.group(2)
    assert "data-replace=" in tag.group(2)  # the theme's search stays as the fallback
    assert (site / "search" / "search_index.json").is_file()
    assert 'data-faq-entry="streaming-nginx"' in page  # votes on the entry page
    assert 'data-lang="en"' in html(site, "deployment")
    assert (site / "faq-widget.js").is_file()
    for lang in ("en", "ko"):
        strings = json.loads((site / "faq-widget-i18n" / f"{lang}.json").read_text("utf-8"))
        assert strings["Report a missing answer"]


def test_the_site_makes_no_third_party_request(settings: Settings) -> None:
    site = build_site(settings)
    loads = re.compile(
        r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"([^\"]+)\""
        r"|<link\b[^>]*\bhref=\"([^\"]+)\"[^>]*>"
        r"|url\((['\"]?)(https?:)?//"
    )
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        for match in loads.finditer(text):
            url = match.group(1) or match.group(2) or ""
            tag = match.group(0)
            if tag.startswith("<link") and ("alternate" in tag or "canonical" in tag):
                continue  # links, not loads
            assert not re.match(r"(https?:)?//", url), (page, tag)
        assert not re.search(r"url\(['\"]?(https?:)?//", text), page


def test_the_repositorys_mkdocs_yml_is_used_with_the_settings_languages(
    settings: Settings,
) -> None:
    shutil.copy(REPO / "mkdocs.yml", settings.root / "mkdocs.yml")
    options, _path = site_config(settings, settings.site)
    i18n = next(p["i18n"] for p in options["plugins"] if isinstance(p, dict) and "i18n" in p)
    assert [lang["locale"] for lang in i18n["languages"]] == ["en", "ko"]
    assert [lang["default"] for lang in i18n["languages"]] == [True, False]
    assert options["theme"]["font"] is False
    assert options["strict"] is True
    assert options["docs_dir"] == str(settings.docs)
    site = build_site(settings)
    page = html(site, "ko")
    assert "한국어" in page and "English" in page
    assert "中文" not in page  # zh is in mkdocs.yml but not in the settings


def test_strict_mode_fails_and_keeps_the_previous_site(settings: Settings) -> None:
    site = build_site(settings)
    before = site.resolve()
    page = settings.docs / "en" / "usage" / "quota-exceeded.md"
    page.write_text(page.read_text("utf-8") + "\nSee [this](no-such-page.md).\n", "utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(settings)
    message = str(failure.value)
    assert "\n" not in message
    assert "strict" in message and "no-such-page.md" in message
    assert site.resolve() == before and (before / "index.html").is_file()
    builds = [p for p in builds_folder(settings.index).iterdir() if not p.is_symlink()]
    assert [p for p in builds if p.is_dir()] == [before.parent]


def test_rebuilds_swap_and_keep_one_previous_build(settings: Settings) -> None:
    first = build_site(settings).resolve()
    second = build_site(settings).resolve()
    third = build_site(settings).resolve()
    assert len({first, second, third}) == 3
    assert settings.site.resolve() == third
    assert not first.exists()
    assert second.exists()


def test_a_plain_site_folder_is_replaced(settings: Settings) -> None:
    """A site built before (e.g. by a plain `mkdocs build`) is taken over and kept aside."""
    settings.site.mkdir(parents=True)
    (settings.site / "index.html").write_text("old", "utf-8")
    (settings.site / "old.html").write_text("old", "utf-8")
    site = build_site(settings)
    assert site.is_symlink() and not (site / "old.html").exists()


def test_a_folder_that_is_not_a_site_is_never_replaced(settings: Settings) -> None:
    settings.site.mkdir(parents=True)
    (settings.site / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(BuildError, match="not a faq build"):
        build_site(settings)
    assert (settings.site / "notes.txt").read_text("utf-8") == "mine"


def test_entry_pages_link_their_related_entries_in_their_language(settings: Settings) -> None:
    for lang in ("en", "ko"):
        page = settings.docs / lang / "usage" / "quota-exceeded.md"
        text = page.read_text("utf-8").replace(
            "related: []", "related: [vercel-env-vars, get-help]"
        )
        page.write_text(text, "utf-8")
    site = build_site(settings)
    english = html(site, "usage/quota-exceeded")
    assert re.search(r'<a href="\.\./\.\./deployment/vercel-env-vars/">How do I change', english)
    assert '<a href="../../general/get-help/">How do I get help quickly?</a>' in english
    korean = html(site, "ko/usage/quota-exceeded")
    assert "관련 항목" in korean  # the heading in the page's language
    assert '<a href="../../deployment/vercel-env-vars/">Vercel 환경 변수는' in korean
    related = korean.split("관련 항목", 1)[1].split("</article>", 1)[0]
    assert "vercel-env-vars" in related
    assert "get-help" not in related  # no Korean version: no link rather than a broken one


# ------------------------------------------------------------ the shipped site, per language

SECTION_LINK = re.compile(
    r'md-nav__container">\s*<a href="([^"]+)"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<'
)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The repository's knowledge base (four languages) with its mkdocs.yml, built once."""
    tmp = tmp_path_factory.mktemp("shipped")
    settings = load_settings(cwd=REPO, env={}).replace(site_dir=str(tmp / "site"))
    build_site(settings)
    return settings


def home_section_order(docs: Path, lang: str) -> list[str]:
    return [
        name for name in linked_names(docs / lang / "index.md") if (docs / lang / name).is_dir()
    ]


def test_each_languages_sidebar_names_its_sections_in_the_home_pages_order(
    shipped: Settings,
) -> None:
    docs = shipped.docs
    for lang in shipped.languages:
        prefix = "" if lang == shipped.default_language else f"{lang}/"
        page = (shipped.site / prefix / "usage" / "css-chunk-error" / "index.html").read_text()
        found = [
            (href.rstrip("/").rsplit("/", 1)[-1], label)
            for href, label in SECTION_LINK.findall(page)
        ]
        order = home_section_order(docs, lang)
        assert len(order) == 5, order
        expected = [(name, page_title(docs / lang / name / "index.md")) for name in order]
        # the usage section is the page's own: its link is "../"
        assert [(("usage" if name == ".." else name), label) for name, label in found] == expected


def test_maintainer_pages_are_apart_and_not_next_from_the_home_page(shipped: Settings) -> None:
    home = (shipped.site / "en" / "index.html").read_text("utf-8")
    nav = home.split("md-nav--primary", 1)[1]
    assert nav.index("For maintainers") > nav.index("OpenAI")  # after every section
    assert nav.index("The entry format") > nav.index("For maintainers")
    following = re.search(r'md-footer__link--next[^>]*aria-label="([^"]+)"', home)
    assert following is not None and following.group(1) == "Next: General"
    last_reader = (shipped.site / "en" / "openai" / "gpt35-snapshots" / "index.html").read_text()
    assert "md-footer__link--next" not in last_reader  # the readers' part ends there
    korean = (shipped.site / "index.html").read_text("utf-8")
    assert "For maintainers" not in korean and "관리자용" not in korean  # no such pages in ko


def test_every_language_has_its_own_404_page(shipped: Settings) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    from faq.api.static import SiteFiles

    app = Starlette(routes=[Mount("/", SiteFiles(shipped))])
    with TestClient(app) as client:
        for path, lang in (
            ("/zh/missing", "zh"),
            ("/ja/no/such/page/", "ja"),
            ("/missing", "ko"),
            ("/en/missing", "en"),
            ("/ko/missing", "ko"),
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            page = response.text
            assert f'<html lang="{lang}"' in page, path
            assert gettext("Page not found", lang) in page, path
            if lang != "en":
                assert "Page not found" not in page, path
        chinese = client.get("/zh/missing").text
        assert "找不到页面" in chinese
        assert 'href="/zh/usage/css-chunk-error/"' in chinese  # the zh site's navigation
        assert "使用相关" in chinese  # … with its section names


RICH = """Set `OPENAI_API_KEY` first.

!!! note "Heads up"
    Careful with *your* key.

| a | b |
|---|---|
| 1 | `x_y` |

- Build:

    ```bash
    DISABLE_CHUNK=1 yarn build
    ```

- See [the variables](../deployment/vercel-env-vars.md) and https://x.example/docs

## Steps

> Quoted [link](https://x.example/q).
"""


def test_the_api_renders_an_answer_as_the_site_does(settings: Settings) -> None:
    from urllib.parse import urljoin

    from faq.entries import Renderer
    from faq.loader import load

    page = settings.docs / "ko" / "usage" / "quota-exceeded.md"
    text = page.read_text("utf-8")
    page.write_text(text.split("---\n\n", 1)[0] + "---\n\n" + RICH, "utf-8")
    site = build_site(settings)
    article = html(site, "ko/usage/quota-exceeded").split('<article class="md-content__inner', 1)[1]
    content = article.split("</h1>", 1)[1].split('<div class="faq-page-feedback"', 1)[0]
    content = re.sub(r'<a class="headerlink"[^>]*>¶</a>', "", content)  # the theme's permalinks
    base = "/ko/usage/quota-exceeded/"
    content = re.sub(  # the site's links are relative to the page, the API's to the site
        r'href="(?!https?:|#)([^"]+)"', lambda m: f'href="{urljoin(base, m.group(1))}"', content
    )
    entry = next(
        e
        for e in load(settings.docs, settings.languages).entries
        if e.id == "quota-exceeded" and e.lang == "ko"
    )
    api = Renderer(settings).render(entry).html
    assert "DISABLE_CHUNK" in content and "<pre>" in content
    assert api.strip() == content.strip()
    assert 'href="/ko/deployment/vercel-env-vars/"' in api
    assert '<div class="admonition note">' in api and "<table>" in api


def test_a_home_page_titled_as_the_site_is_not_titled_twice(settings: Settings) -> None:
    settings = settings.replace(site_name=HOME["en"])
    site = build_site(settings)
    assert f"<title>{HOME['en']}</title>" in html(site, ".")
    # other pages keep "page - site"
    assert f"<title>Deployment - {HOME['en']}</title>" in html(site, "deployment")
