"""The admin page and its data routes: /api/admin/gaps and /api/admin/stats behind the admin
token (and rate-limited), the page from this server under the CSP; in a real Chromium, the page
with its charts (screenshot in tests/artifacts/) and the widget sending `search_id` back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.api.guard import CONTENT_SECURITY_POLICY
from faq.builder import build
from faq.config import Settings
from faq.db import Database
from faq.feedback import FeedbackStore
from faq.i18n import gettext
from faq.migrations import queries
from faq.models import SearchHit, SearchResult
from faq.querylog import QueryLog
from faq.readerlog import stamp
from live import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    require_browser,
    screenshot,
    start,
    stop,
    wait_until_up,
)

TOKEN = "a-long-admin-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ASKED = [
    ("nginx streaming", "en"),
    ("the answer shows up in one piece behind my reverse proxy", "en"),
    ("dark theme for the chat", "en"),
    ("dark theme for the chat", "en"),
    ("다크 테마로 바꾸기", "ko"),
    ("vercel 환경변수", "ko"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("admin")
    settings = write_corpus(tmp / "kb").replace(site_dir=str(tmp / "site"))
    build(settings, site=False)
    return settings


@pytest.fixture
def settings(built: Settings, tmp_path: Path) -> Settings:
    return built.replace(
        feedback_db=str(tmp_path / "feedback.sqlite3"),
        log_queries=True,
        admin_token=TOKEN,
        rate_limit_search="0",
        rate_limit_feedback="0",
    )


def ask(client: TestClient) -> list[str]:
    ids = []
    for q, lang in ASKED:
        body = client.get("/api/search", params={"q": q, "lang": lang}).json()
        ids.append(body["search_id"])
    client.post(
        "/api/feedback",
        json={"kind": "missing-answer", "query": ASKED[2][0], "lang": "en", "search_id": ids[2]},
    )
    assert client.app.state.query_log.flush()  # type: ignore[attr-defined]
    return ids


def test_the_data_routes_need_the_token(settings: Settings) -> None:
    with TestClient(create_app(settings, reload_interval=0)) as client:
        ask(client)
        for route in ("/api/admin/gaps", "/api/admin/stats"):
            assert client.get(route).status_code == 401
            wrong = client.get(route, headers={"Authorization": "Bearer not-the-token-at-all"})
            assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
            assert client.get(route, params={"since": "7d"}, headers=AUTH).status_code == 200
            bad = client.get(route, params={"since": "7x"}, headers=AUTH)
            assert bad.status_code == 422 and "12h, 30d, 2w" in bad.json()["detail"]
        gaps = client.get("/api/admin/gaps", params={"since": "1d"}, headers=AUTH).json()
        stats = client.get("/api/admin/stats", headers=AUTH).json()
        korean = client.get("/api/admin/gaps", params={"lang": "ko"}, headers=AUTH).json()
    assert gaps["log_queries"] is True and gaps["topics"]
    dark = gaps["topics"][0]
    assert dark["examples"] == ["dark theme for the chat"]
    assert dark["readers"] == 2 and dark["kinds"] == {"missing": 1, "unanswered": 1}
    assert dark["suggestion"] == "new-entry" and dark["advice"] == "a new entry is needed"
    assert {t["languages"].get("ko", 0) for t in korean["topics"]} != {0}
    assert all(set(t["languages"]) == {"ko"} for t in korean["topics"])
    [day_en, day_ko] = stats["days"]
    assert (day_en["lang"], day_en["questions"]) == ("en", 4)
    assert (day_ko["lang"], day_ko["questions"]) == ("ko", 2)
    assert day_en["answered"] >= 1


def test_without_an_admin_token_administration_is_off(settings: Settings) -> None:
    with TestClient(create_app(settings.replace(admin_token=""), reload_interval=0)) as client:
        assert client.get("/api/admin/gaps", headers=AUTH).status_code == 403
        assert client.get("/api/admin/stats", headers=AUTH).status_code == 403
        assert client.get("/admin/").status_code == 200  # the page itself holds no data


def test_the_data_routes_are_rate_limited(settings: Settings) -> None:
    limited = settings.replace(rate_limit_admin="2/minute")
    with TestClient(create_app(limited, reload_interval=0)) as client:
        codes = [client.get("/api/admin/stats", headers=AUTH).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_page_comes_from_this_server_under_the_csp(settings: Settings) -> None:
    with TestClient(create_app(settings, reload_interval=0)) as client:
        redirect = client.get("/admin", follow_redirects=False)
        page = client.get("/admin/")
        script = client.get("/admin/admin.js")
        style = client.get("/admin/admin.css")
        ko = client.get("/admin/i18n/ko.json").json()
        assert client.get("/admin/i18n/fr.json").status_code == 404
        assert client.get("/admin/secret.txt").status_code == 404
    assert redirect.status_code == 308 and redirect.headers["location"].endswith("/admin/")
    assert page.status_code == 200 and page.headers["content-security-policy"] == (
        CONTENT_SECURITY_POLICY
    )
    assert script.headers["content-type"].startswith("text/javascript")
    assert style.headers["content-type"].startswith("text/css")
    html = page.text
    assert '<script src="admin.js"' in html and "<script>" not in html and "style=" not in html
    assert "http" not in html.replace("http://www.w3.org", "")  # nothing from elsewhere
    assert "style=" not in script.text and "innerHTML" not in script.text
    title = "What readers asked and didn't find"
    assert ko["strings"][title] == gettext(title, "ko") != title
    assert ko["languages"] == ["en", "ko"]


# ---------------------------------------------------------------------- in a real Chromium


# two weeks of searches in four languages (the chart), the unanswered ones about a dark theme
SEEDED = {
    "en": ("switch the colours to a dark theme", "nginx streaming"),
    "ko": ("화면을 어두운 테마로 바꾸고 싶어요", "vercel 환경변수"),
    "zh": ("界面能不能切换成暗色主题", "nginx 流式输出"),
    "ja": ("画面をダークテーマにしたい", "nginx ストリーミング"),
}


def seed(database: Database) -> None:
    log = QueryLog(database)
    when: list[str] = []
    now = datetime.now(UTC)
    for age in range(13, -1, -1):
        day = now - timedelta(days=age, minutes=5)
        for n, (lang, (gap, known)) in enumerate(SEEDED.items()):
            asked = 8 - 2 * n + (age * (n + 1)) % 4
            for i in range(asked):
                answered = i % (3 + n) != 0
                hit = SearchHit("streaming-nginx", lang, "t", 0.7 if answered else 0.2, "/", "")
                result = SearchResult(known if answered else gap, lang, answered, (hit,))
                log.record(result, None, "build-1", log.new_search_id())
                when.append(stamp(day))
    assert log.flush()
    log.close()
    with database.write() as conn:  # the log stamps "now": spread the rows over the days
        for row_id, created in enumerate(when, 1):
            conn.execute(queries.update().where(queries.c.id == row_id).values(created_at=created))


@pytest.fixture(scope="module")
def server(built: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    tmp = tmp_path_factory.mktemp("admin-live")
    port = free_port()
    settings = built.replace(
        feedback_db=str(tmp / "feedback.sqlite3"),
        log_queries=True,
        admin_token=TOKEN,
        host="127.0.0.1",
        port=port,
        workers=1,
    )
    store = FeedbackStore(Database.from_settings(settings))
    seed(store.database)
    log = tmp / "serve.log"
    process = start(settings, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/health", process, log)
        yield url
    finally:
        stop(process)
        store.database.dispose()


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


@pytest.mark.browser
def test_the_widget_sends_the_search_id_and_the_page_shows_the_report(
    server: str, browser: Any
) -> None:
    errors: list[str] = []
    requests: list[str] = []
    posted: list[dict[str, Any]] = []
    page = browser.new_page(viewport={"width": 1100, "height": 1300}, locale="ko-KR")
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))

    def capture(request: Any) -> None:
        if "/api/feedback" in request.url and request.method == "POST":
            posted.append(request.post_data_json)

    page.on("request", capture)
    # the widget on the admin page (same origin): ask, then report the missing answer
    page.goto(server + "/admin/")
    page.evaluate(
        """url => { const s = document.createElement("script");
        s.src = url; s.setAttribute("data-lang", "en"); document.head.appendChild(s); }""",
        server + "/faq-widget.js",
    )
    page.wait_for_selector("button.faq-w-button")
    for question in ("dark theme for the chat", "a dark theme for the chat window"):
        page.click("button.faq-w-button")
        page.fill("#faq-w-input", question)
        report = page.locator(".faq-w-missing button:not([aria-disabled=true])")
        report.wait_for(state="visible", timeout=15_000)
        report.click()
        page.wait_for_selector(".faq-w-missing button[aria-disabled=true]")
        page.keyboard.press("Escape")
    assert len(posted) == 2, posted
    assert all(len(p.get("search_id") or "") == 32 for p in posted), posted

    # the admin page: asks for the token, keeps it in sessionStorage, shows charts and topics
    page.goto(server + "/admin/")
    page.wait_for_selector("#login:not([hidden])")
    assert page.text_content("h1") == gettext("What readers asked and didn't find", "ko")
    page.fill("#token", TOKEN)
    page.click("#login button[type=submit]")
    page.wait_for_selector("body[data-loaded=true]", timeout=30_000)
    assert page.evaluate("sessionStorage.getItem('faq-admin-token')") == TOKEN
    assert page.locator("#chart-questions svg rect").count() >= 1
    assert page.locator("#chart-rate svg circle").count() >= 1
    rows = page.locator("#topics tbody tr")
    assert rows.count() >= 1
    assert "switch the colours to a dark theme" in rows.first.inner_text()
    assert "dark theme for the chat" in page.inner_text("#topics")
    screenshot(page, "admin-ko.png")
    page.reload()  # the token is remembered in this tab
    page.wait_for_selector("body[data-loaded=true]", timeout=30_000)
    page.click("#logout")
    assert page.evaluate("sessionStorage.getItem('faq-admin-token')") is None
    assert not errors, errors
    assert all(url.startswith(server) for url in requests), requests
    with contextlib.suppress(Exception):
        page.close()
