"""The static site: mkdocs --strict on a tiny knowledge base, per language, swapped in whole."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from corpus import write_corpus
from faq.atomic import builds_folder
from faq.config import Settings
from faq.errors import BuildError
from faq.site import build_site, site_config

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
