"""The real mkdocs-material search of a built site, driven in headless Chromium as a reader would.

`build/site` is served by a plain static server (no `/api`: the ask widget finds no API and
leaves the theme's own search in place, as on a site whose API is down); each question is typed
into the theme's search box on the reader's language site, and the result list's page URLs are
read back as entry ids. Playwright drives Debian's /usr/bin/chromium (never `playwright install`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULT_TIMEOUT_MS = 5_000  # the theme answers in well under a second here


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


@contextlib.contextmanager
def static_server(folder: Path, port: int) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1:`port` from a thread; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


# Wait until the theme's search has answered the query in the box: the result meta shows a
# count or "no match", not the placeholder (empty box) or the initializer (index loading).
_ANSWERED = """([placeholder, initializer]) => {
  const meta = document.querySelector('.md-search-result__meta');
  const text = meta ? meta.textContent.trim() : '';
  return text !== '' && text !== placeholder && text !== initializer;
}"""
_EMPTY = """([placeholder]) => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta && meta.textContent.trim() === placeholder;
}"""
_READ = """() => {
  const items = document.querySelectorAll('.md-search-result__list > .md-search-result__item');
  const hrefs = [];
  for (const item of items) {
    const link = item.querySelector('a.md-search-result__link');
    if (link) hrefs.push(link.href);
  }
  const meta = document.querySelector('.md-search-result__meta');
  return {hrefs, meta: meta ? meta.textContent.trim() : ''};
}"""


def page_id(href: str, ids: set[str]) -> str:
    """An entry id from a result URL (…/<section>/<id>/#anchor), else `page:<path>` for the
    site's other pages (home, section indexes, format reference)."""
    path = urlparse(href).path
    parts = [p for p in path.split("/") if p]
    last = parts[-1].removesuffix(".html") if parts else ""
    return last if last in ids else f"page:{path}"


def page_lang(href: str, languages: tuple[str, ...], default: str) -> str:
    """The language of a result page: its first path segment, else the default (served at /)."""
    parts = [p for p in urlparse(href).path.split("/") if p]
    return parts[0] if parts and parts[0] in languages else default


class SiteSearch:
    """One Chromium, one tab per language site; `search` returns the result pages in order."""

    def __init__(self, base_url: str, languages: tuple[str, ...], default_language: str) -> None:
        self.base_url = base_url
        self.languages = languages
        self.default_language = default_language
        self._pages: dict[str, Any] = {}
        self._texts: dict[str, dict[str, str]] = {}
        self.stuck = 0  # queries the theme's search never answered (shown: nothing)

    def __enter__(self) -> SiteSearch:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self._browser.close()
        self._playwright.stop()

    def _page(self, lang: str) -> Any:
        if lang in self._pages:
            return self._pages[lang]
        page = self._browser.new_page()
        url = self.base_url + ("" if lang == self.default_language else f"{lang}/")
        page.goto(url, wait_until="load")
        # the widget found no API and kept the theme's search (data-faq-widget="fallback")
        page.wait_for_selector("html[data-faq-widget=fallback]", state="attached", timeout=15_000)
        config = page.evaluate("() => JSON.parse(document.getElementById('__config').textContent)")
        texts = config.get("translations", {})
        self._texts[lang] = {
            "placeholder": texts.get("search.result.placeholder", ""),
            "initializer": texts.get("search.result.initializer", ""),
        }
        page.click(".md-search__input", timeout=5_000)
        # the worker loads the index: wait until the box, empty, shows the placeholder
        self._type(page, "")
        page.wait_for_function(_EMPTY, arg=[self._texts[lang]["placeholder"]], timeout=30_000)
        self._pages[lang] = page
        return page

    @staticmethod
    def _type(page: Any, text: str) -> None:
        # the theme searches on key events: fill the box at once, then one key press (End)
        page.fill(".md-search__input", text)
        page.press(".md-search__input", "End")

    def search(self, query: str, lang: str) -> tuple[list[str], int, float]:
        """(result URLs in the order shown, the count the theme reports, seconds taken)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        page = self._page(lang)
        texts = self._texts[lang]
        self._type(page, "")
        page.wait_for_function(_EMPTY, arg=[texts["placeholder"]], timeout=RESULT_TIMEOUT_MS)
        start = time.perf_counter()
        self._type(page, query)
        try:
            page.wait_for_function(
                _ANSWERED,
                arg=[texts["placeholder"], texts["initializer"]],
                timeout=RESULT_TIMEOUT_MS,
            )
        except PlaywrightTimeout:
            # lunr rejects some queries (its syntax: "~", a leading "-", ":"…): the search
            # worker fails and the reader sees the placeholder, i.e. nothing
            self.stuck += 1
            return [], 0, time.perf_counter() - start
        took = time.perf_counter() - start
        found = page.evaluate(_READ)
        hrefs: list[str] = found["hrefs"]
        digits = "".join(c if c.isdigit() else " " for c in found["meta"]).split()
        count = int(digits[0]) if digits else (1 if hrefs else 0)
        return hrefs, count, took
