"""Hostile content in a real headless Chromium against `faq serve`: an entry and a question full of
<script> and <img onerror> render as text in the site and the widget; the Content-Security-Policy
blocks inline script even where markup slipped through; the site and /api/docs work under it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from corpus import write_corpus
from faq.build import build
from live import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    require_browser,
    start,
    stop,
    wait_until_up,
)
from test_site import add_pages

pytestmark = pytest.mark.browser

EVIL_TITLE = "Evil <script>window.pwned='title'</script><img src=x onerror=\"window.pwned='img'\">"
EVIL_BODY = (
    "Answer <script>window.pwned='body'; alert('body')</script>"
    "<img src=x onerror=\"window.pwned='onerror'; alert('onerror')\">"
    " <a href=\"javascript:window.pwned='link'\">click me</a>"
    " <b onmouseover=\"window.pwned='hover'\">hover me</b>"
)
# a link that borrows the widget's backdrop class, the theme's drawer id and a style, to cover
# the whole page with one invisible link (issue #12)
HIJACK = "https://evil.example/hijack"
HIJACK_BODY = (
    "Look here. "
    f'<a class="faq-w-backdrop md-overlay" id="__drawer" href="{HIJACK}"'
    ' style="position:fixed;inset:0;z-index:2147483647;opacity:0">covered</a>'
    '\n\n<div class="faq-w-backdrop md-sidebar" style="position:fixed;inset:0">block</div>'
)
EVIL_QUERY = "<img src=x onerror=\"window.pwned='query'\"> evil"
PROBE = (
    "<!doctype html><html><head><title>probe</title></head><body><p id=probe>probe</p>"
    "<script>window.pwned='inline'</script>"
    "<img src=x onerror=\"window.pwned='handler'\"></body></html>"
)
WATCH = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@dataclass
class Site:
    url: str
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_browser()
    tmp = tmp_path_factory.mktemp("inert")
    settings = write_corpus(tmp / "kb").replace(
        index_dir=str(tmp / "index"),
        site_dir=str(tmp / "site"),
        feedback_db=str(tmp / "feedback.sqlite3"),
        host="127.0.0.1",
        port=free_port(),
    )
    add_pages(settings)
    (settings.docs / "en" / "general" / "evil-entry.md").write_text(
        f"---\nid: evil-entry\nsection: general\ntitle: {json.dumps(EVIL_TITLE)}\n---\n\n"
        f"{EVIL_BODY}\n",
        "utf-8",
    )
    (settings.docs / "en" / "general" / "hijack-entry.md").write_text(
        f"---\nid: hijack-entry\nsection: general\ntitle: Hijack attempt\n---\n\n{HIJACK_BODY}\n",
        "utf-8",
    )
    build(settings)
    probe = settings.site / "csp-probe"
    probe.mkdir()
    (probe / "index.html").write_text(PROBE, "utf-8")  # markup that escaped every filter
    log = tmp / "serve.log"
    process = start(settings, log)
    url = f"http://127.0.0.1:{settings.port}"
    try:
        wait_until_up(f"{url}/api/health", process, log)
        yield Site(url)
    finally:
        stop(process)


@pytest.fixture
def page(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 860}, locale="en-US")
            page.add_init_script(WATCH)
            page.on(
                "dialog", lambda dialog: (site.dialogs.append(dialog.message), dialog.dismiss())
            )
            page.requests = []
            page.on("request", lambda request: page.requests.append(request.url))
            yield page
        finally:
            browser.close()


def pwned(page: Any) -> Any:
    return page.evaluate("window.pwned")


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


def test_the_entry_page_shows_markup_as_text(site: Site, page: Any) -> None:
    page.goto(site.url + "/general/evil-entry/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    page.hover("text=hover me")
    page.click("text=click me")
    page.wait_for_timeout(300)
    assert pwned(page) is None and not site.dialogs
    assert "<script>" in page.inner_text("h1")  # the title, as text
    assert page.locator("article script, article [onerror], article [onmouseover]").count() == 0
    assert page.locator("article a[href^=javascript]").count() == 0
    assert page.title().startswith("Evil <script>")
    assert violations(page) == []  # the theme itself needs no exception to the policy
    assert all(u.startswith(site.url) for u in page.requests), page.requests


def test_the_widget_shows_a_hostile_question_and_entry_as_text(site: Site, page: Any) -> None:
    page.goto(site.url + "/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    page.keyboard.press("/")
    page.fill("#faq-w-input", EVIL_QUERY)
    page.wait_for_function(
        "() => document.querySelector('#faq-w-list [role=option]')", timeout=15_000
    )
    page.wait_for_timeout(500)
    titles = page.eval_on_selector_all(
        "#faq-w-list .faq-w-title", "nodes => nodes.map(n => n.textContent)"
    )
    assert EVIL_TITLE in titles, titles
    dialog = page.locator("[role=dialog]")
    assert dialog.locator("img, script").count() == 0
    page.click(f"#faq-w-option-{titles.index(EVIL_TITLE)}")
    answer = page.locator("article.faq-w-answer[data-id=evil-entry]")
    answer.wait_for(state="visible")
    assert "Answer" in answer.inner_text() and "hover me" in answer.inner_text()
    assert answer.locator("img, script, [onerror], [onmouseover], a[href^=javascript]").count() == 0
    page.wait_for_timeout(300)
    assert pwned(page) is None and not site.dialogs
    assert violations(page) == []
    assert page.evaluate("document.adoptedStyleSheets.length") >= 1  # styled under the policy


def test_the_policy_blocks_inline_script_that_slipped_through(site: Site, page: Any) -> None:
    page.goto(site.url + "/csp-probe/")
    page.wait_for_selector("#probe")
    page.wait_for_timeout(300)
    assert pwned(page) is None
    blocked = " ".join(violations(page))
    assert "script-src" in blocked, blocked


def test_the_api_docs_work_under_the_policy(site: Site, page: Any) -> None:
    page.goto(site.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    page.wait_for_selector('[data-path="/api/search"]')
    assert violations(page) == []
    assert all(u.startswith(site.url) for u in page.requests), page.requests


def test_screenshot_of_the_hostile_entry(site: Site, page: Any) -> None:
    from live import screenshot

    page.goto(site.url + "/general/evil-entry/")
    page.wait_for_selector("h1")
    screenshot(page, "inert-entry.png")
    assert Path(__file__).parent.joinpath("artifacts", "inert-entry.png").is_file()


HIJACKER = f'a[href="{HIJACK}"]'


def assert_not_hijacked(page: Any, scope: str) -> None:
    link = page.locator(f"{scope} {HIJACKER}")
    assert link.count() == 1
    attributes = link.evaluate("a => [a.className, a.id, a.getAttribute('style')]")
    assert attributes == ["", "", None]
    assert link.evaluate("a => getComputedStyle(a).position") == "static"
    block = page.locator(f"{scope} div:has-text('block')").last
    assert block.evaluate("d => getComputedStyle(d).position") == "static"


def test_a_hostile_entry_cannot_cover_the_site_page(site: Site, page: Any) -> None:
    page.goto(site.url + "/general/hijack-entry/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    assert_not_hijacked(page, "article")
    page.mouse.click(600, 20)  # the header: somewhere no link of the entry is
    page.wait_for_timeout(300)
    assert "evil.example" not in page.url
    assert not any("evil.example" in url for url in page.requests)


def test_a_hostile_entry_cannot_cover_the_page_through_the_widget(site: Site, page: Any) -> None:
    page.goto(site.url + "/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    page.keyboard.press("/")
    page.fill("#faq-w-input", "Hijack attempt")
    page.wait_for_function(
        "() => document.querySelector('#faq-w-list [role=option]')", timeout=15_000
    )
    titles = page.eval_on_selector_all(
        "#faq-w-list .faq-w-title", "nodes => nodes.map(n => n.textContent)"
    )
    page.click(f"#faq-w-option-{titles.index('Hijack attempt')}")
    answer = page.locator("article.faq-w-answer[data-id=hijack-entry]")
    answer.wait_for(state="visible")
    assert_not_hijacked(page, "article.faq-w-answer[data-id=hijack-entry]")
    assert page.locator(".faq-w-backdrop").count() <= 1  # the widget's own, if any
    page.mouse.click(5, 850)  # a corner, outside the dialog
    page.wait_for_timeout(300)
    assert "evil.example" not in page.url
