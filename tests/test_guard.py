"""Abuse and exposure: security headers, offline API docs, body limits, rate limits, the admin
token, query logging (off by default) and the access log without query strings."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.api.guard import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES
from faq.api.server import HideQueryStrings
from faq.build import build
from faq.config import Settings, load_settings
from faq.errors import ConfigError
from faq.feedback import FeedbackStore
from faq.i18n import _, use_locale

TOKEN = "test-admin-token-0123456789"
VOTE = {"kind": "vote", "query": "nginx", "entry_id": "streaming-nginx", "helpful": True}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    base = write_corpus(tmp_path / "kb")
    settings = base.replace(
        feedback_db=str(tmp_path / "var" / "feedback.sqlite3"), site_dir=str(tmp_path / "site")
    )
    build(settings, site=False)
    return settings


def client_for(settings: Settings, **changes: object) -> TestClient:
    return TestClient(create_app(settings.replace(**changes), reload_interval=0))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with client_for(settings) as client:
        yield client


def detail(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"detail"}, body
    return str(body["detail"])


# ---------------------------------------------------------------------------- headers


def test_the_policy_allows_only_the_site_itself() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert not re.search(r"https?:|\*", CONTENT_SECURITY_POLICY)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/health", 200),
        ("GET", "/api/search?q=nginx", 200),
        ("GET", "/api/search?q=", 422),
        ("GET", "/api/nothing", 404),
        ("POST", "/api/search", 405),
        ("GET", "/api/docs", 200),
        ("GET", "/api/docs/assets/swagger-ui.css", 200),
        ("GET", "/faq-widget.js", 200),
        ("GET", "/", 404),  # no site built: the hint page
        ("GET", "/api/admin/feedback", 403),
    ],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_a_500_carries_them_too(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(settings, reload_interval=0)
    with TestClient(app, raise_server_exceptions=False) as client:
        monkeypatch.setattr(app.state.service, "search", lambda *a, **k: 1 / 0)
        response = client.get("/api/search", params={"q": "nginx"})
    assert response.status_code == 500 and detail(response) == "internal error"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_api_docs_load_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.headers["content-type"].startswith("text/html")
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(ref.startswith("/api/") for ref in refs), refs
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    for ref in refs:
        response = client.get(ref)
        assert response.status_code == 200, ref
        assert "cdn" not in response.text[:5000].lower() or ref.endswith(".js")
    init = client.get("/api/docs/api-docs.js").text
    assert "validatorUrl: null" in init
    assert client.get("/api/openapi.json").status_code == 200


def test_the_api_docs_under_a_path_prefix(settings: Settings) -> None:
    with TestClient(create_app(settings, reload_interval=0), root_path="/faq") as client:
        page = client.get("/faq/api/docs").text
    assert 'href="/faq/api/docs/assets/swagger-ui.css"' in page
    assert 'data-openapi="/faq/api/openapi.json"' in page


@pytest.mark.parametrize(
    "path", ["/api/docs/assets/", "/api/docs/assets", "/api/docs/assets/%2e%2e/%2e%2e/"]
)
def test_no_directory_listing_of_the_docs_assets(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "swagger-ui-bundle.js" not in response.text


# ------------------------------------------------------------------------- body limits


def test_a_body_over_the_limit_is_a_413(client: TestClient, settings: Settings) -> None:
    body = json.dumps({**VOTE, "comment": "x" * MAX_BODY_BYTES}).encode()
    response = client.post(
        "/api/feedback", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert detail(response) == f"the request body is too large (at most {MAX_BODY_BYTES} bytes)"
    assert FeedbackStore(settings.path("feedback_db")).rows() == []


def test_a_streamed_body_over_the_limit_is_a_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _i in range(100):
            yield b" " * 1024

    response = client.post(
        "/api/feedback", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    detail(response)


def test_a_body_at_the_limit_is_read(client: TestClient, settings: Settings) -> None:
    text = json.dumps(VOTE)
    body = (text + " " * (MAX_BODY_BYTES - len(text))).encode()
    assert len(body) == MAX_BODY_BYTES
    response = client.post(
        "/api/feedback", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201
    assert len(FeedbackStore(settings.path("feedback_db")).rows()) == 1


def test_the_413_detail_is_translated(client: TestClient) -> None:
    response = client.post(
        "/api/feedback",
        content=b"{" + b" " * MAX_BODY_BYTES + b"}",
        headers={"Content-Type": "application/json", "Accept-Language": "ko"},
    )
    with use_locale("ko"):
        expected = _("the request body is too large (at most {limit} bytes)")
    assert detail(response) == expected.format(limit=MAX_BODY_BYTES)


def test_undecodable_body_is_a_400_with_a_detail(client: TestClient) -> None:
    response = client.post(
        "/api/feedback", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert detail(response) == "the request body could not be read: send UTF-8 JSON"


# ------------------------------------------------------------------------- rate limits


def test_search_is_rate_limited_per_client(settings: Settings) -> None:
    with client_for(settings, rate_limit_search="3/minute") as client:
        for _i in range(3):
            assert client.get("/api/search", params={"q": "nginx"}).status_code == 200
        limited = client.get("/api/search", params={"q": "nginx"})
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert detail(limited).startswith("too many requests: try again in ")
        assert limited.headers["content-security-policy"]
        bad = client.get("/api/search", params={"q": ""})  # bad input counts too
        assert bad.status_code == 429
        assert client.get("/api/health").status_code == 200  # other routes are not limited
        ko = client.get("/api/search", params={"q": "nginx"}, headers={"Accept-Language": "ko"})
        wait = int(ko.headers["retry-after"])
        with use_locale("ko"):
            assert detail(ko) == _("too many requests: try again in {seconds} s").format(
                seconds=wait
            )
    # another client address has its own budget
    app = create_app(settings.replace(rate_limit_search="1/minute"), reload_interval=0)
    with (
        TestClient(app, client=("192.0.2.1", 1)) as one,
        TestClient(app, client=("192.0.2.2", 1)) as two,
    ):
        assert one.get("/api/search", params={"q": "nginx"}).status_code == 200
        assert one.get("/api/search", params={"q": "nginx"}).status_code == 429
        assert two.get("/api/search", params={"q": "nginx"}).status_code == 200


def test_feedback_is_rate_limited(settings: Settings) -> None:
    with client_for(settings, rate_limit_feedback="2/minute") as client:
        codes = [client.post("/api/feedback", json=VOTE).status_code for _i in range(5)]
    assert codes == [201, 201, 429, 429, 429]
    assert len(FeedbackStore(settings.path("feedback_db")).rows()) == 2


def test_zero_turns_rate_limits_off(settings: Settings) -> None:
    with client_for(settings, rate_limit_search="0") as client:
        codes = {client.get("/api/search", params={"q": "vercel"}).status_code for _i in range(300)}
    assert codes == {200}


def test_the_default_limits_leave_a_reader_alone(client: TestClient) -> None:
    # search-as-you-type: a question typed letter by letter, one request per keystroke
    question = "how do I change environment variables on vercel"
    codes = [
        client.get("/api/search", params={"q": question[:n]}).status_code
        for n in range(1, len(question) + 1)
    ]
    assert set(codes) == {200}


@pytest.mark.parametrize("value", ["lots", "60/fortnight", "-1/minute", "", "60 per"])
def test_bad_rate_limits_are_config_errors(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="rate_limit_search"):
        load_settings(cwd=tmp_path, env={"FAQ_RATE_LIMIT_SEARCH": value})


def test_rate_limit_settings(tmp_path: Path) -> None:
    (tmp_path / "faq.toml").write_text(
        'rate_limit_search = 0\nrate_limit_feedback = "5/second;100/day"\n', "utf-8"
    )
    settings = load_settings(cwd=tmp_path, env={})
    assert settings.rate_limit_search == "0"
    assert settings.rate_limit_feedback == "5/second;100/day"
    assert Settings().rate_limit_search == "120/minute"


# ------------------------------------------------------------------------------ admin


def test_admin_is_disabled_without_a_token(client: TestClient) -> None:
    for method, path in (("GET", "/api/admin/feedback"), ("POST", "/api/admin/reload")):
        response = client.request(method, path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403
        assert "admin_token" in detail(response)


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer wrong-token-0123456789", f"Basic {TOKEN}", TOKEN]
)
def test_admin_needs_the_right_token(settings: Settings, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    with client_for(settings, admin_token=TOKEN) as client:
        response = client.get("/api/admin/feedback", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        detail(response)
        assert client.post("/api/admin/reload", headers=headers).status_code == 401


def test_admin_feedback_export_and_reload(settings: Settings) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with client_for(settings, admin_token=TOKEN) as client:
        assert client.post("/api/feedback", json=VOTE).status_code == 201
        summary = client.get("/api/admin/feedback", headers=auth).json()
        assert summary["rows"] is None
        assert summary["summary"]["entries"] == [
            {"id": "streaming-nginx", "helpful": 1, "unhelpful": 0}
        ]
        rows = client.get("/api/admin/feedback", params={"rows": True}, headers=auth).json()
        assert [r["entry_id"] for r in rows["rows"]] == ["streaming-nginx"]
        before = client.get("/api/health").json()["index"]
        same = client.post("/api/admin/reload", headers=auth).json()
        assert same == {"reloaded": False, "index": before, "refused": None}
        build(settings, site=False)
        again = client.post("/api/admin/reload", headers=auth).json()
        assert again["reloaded"] is True and again["index"] != before
        assert client.get("/api/health").json()["index"] == again["index"]


def test_a_short_admin_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 16 characters"):
        load_settings(cwd=tmp_path, env={"FAQ_ADMIN_TOKEN": "short"})


def test_the_admin_token_is_not_in_the_settings_repr() -> None:
    assert TOKEN not in repr(Settings(admin_token=TOKEN))


# -------------------------------------------------------------------------- query log


# (what is logged, and where: tests/test_querylog.py)


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("1", True), ("off", False), ("no", False)]
)
def test_log_queries_setting(tmp_path: Path, value: str, expected: bool) -> None:
    assert load_settings(cwd=tmp_path, env={"FAQ_LOG_QUERIES": value}).log_queries is expected


def test_bad_log_queries_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="log_queries"):
        load_settings(cwd=tmp_path, env={"FAQ_LOG_QUERIES": "sometimes"})


def test_the_access_log_has_no_query_strings() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/search?q=my+secret+question", "1.1", 200),
        None,
    )
    assert HideQueryStrings().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /api/search HTTP/1.1" 200'


# ----------------------------------------------------------------- proxies (issue #12)


def whoami_app(settings: Settings) -> TestClient:
    """The app with rate limit 1/minute: a second search from the same client is a 429."""
    return TestClient(
        create_app(settings.replace(rate_limit_search="1/minute"), reload_interval=0),
        client=("127.0.0.1", 5000),
    )


def test_forwarded_for_is_ignored_by_default(settings: Settings) -> None:
    with whoami_app(settings) as client:
        assert client.get("/api/search", params={"q": "nginx"}).status_code == 200
        forged = {"X-Forwarded-For": "203.0.113.9"}
        again = client.get("/api/search", params={"q": "nginx"}, headers=forged)
        assert again.status_code == 429  # no fresh budget per forged value


def test_forwarded_for_is_believed_from_a_configured_proxy(settings: Settings) -> None:
    app = create_app(
        settings.replace(rate_limit_search="1/minute", forwarded_allow_ips="127.0.0.1"),
        reload_interval=0,
    )
    with TestClient(app, client=("127.0.0.1", 5000)) as proxy:
        for address in ("203.0.113.9", "203.0.113.10"):
            headers = {"X-Forwarded-For": f"198.51.100.1, {address}"}
            assert proxy.get("/api/search", params={"q": "x"}, headers=headers).status_code == 200
        repeat = {"X-Forwarded-For": "203.0.113.9"}
        assert proxy.get("/api/search", params={"q": "x"}, headers=repeat).status_code == 429
        # values that are not addresses are ignored: the proxy's own budget (spent once here)
        for junk in ("not-an-ip", "203.0.113.11, <script>", "unknown"):
            headers = {"X-Forwarded-For": junk}
            codes = {
                proxy.get("/api/search", params={"q": "x"}, headers=headers).status_code
                for _i in range(2)
            }
            assert 429 in codes, junk
    with TestClient(app, client=("192.0.2.7", 5000)) as stranger:  # not a configured proxy
        headers = {"X-Forwarded-For": "203.0.113.50"}
        assert stranger.get("/api/search", params={"q": "x"}, headers=headers).status_code == 200
        headers = {"X-Forwarded-For": "203.0.113.51"}
        assert stranger.get("/api/search", params={"q": "x"}, headers=headers).status_code == 429


@pytest.mark.parametrize("value", ["localhost", "10.0.0.0/33", "any"])
def test_bad_forwarded_allow_ips_are_config_errors(tmp_path: Path, value: str) -> None:
    (tmp_path / "faq.toml").write_text(f'forwarded_allow_ips = "{value}"\n', "utf-8")
    with pytest.raises(ConfigError, match="forwarded_allow_ips"):
        load_settings(cwd=tmp_path, env={})


# ------------------------------------------------------------ search cost (issue #12)


def test_a_long_question_costs_more_of_the_budget(settings: Settings) -> None:
    from faq.api.guard import search_cost

    assert search_cost("how do I deploy") == 1
    assert search_cost("😀" * 1000) > 10
    with client_for(settings, rate_limit_search="12/minute") as client:
        short = [client.get("/api/search", params={"q": "nginx"}).status_code for _i in range(6)]
        assert short == [200] * 6
        long = client.get("/api/search", params={"q": "😀" * 1000})
        assert long.status_code == 429  # 6 spent, the long one costs more than the 6 left


# ------------------------------------------------------------ admin limits (issue #12)


def test_failed_admin_tokens_are_limited_per_client(settings: Settings) -> None:
    wrong = {"Authorization": "Bearer wrong-token-0123456789"}
    right = {"Authorization": f"Bearer {TOKEN}"}
    app = create_app(settings.replace(admin_token=TOKEN), reload_interval=0)
    with TestClient(app, client=("192.0.2.1", 1)) as guesser:
        codes = [guesser.post("/api/admin/reload", headers=wrong).status_code for _i in range(8)]
        assert codes == [401] * 5 + [429] * 3
        assert guesser.post("/api/admin/reload", headers=right).status_code == 429
    with TestClient(app, client=("192.0.2.2", 1)) as operator:
        assert operator.post("/api/admin/reload", headers=right).status_code == 200


def test_admin_requests_are_limited(settings: Settings) -> None:
    right = {"Authorization": f"Bearer {TOKEN}"}
    with client_for(settings, admin_token=TOKEN, rate_limit_admin="3/minute") as client:
        codes = [client.post("/api/admin/reload", headers=right).status_code for _i in range(4)]
    assert codes == [200, 200, 200, 429]


# -------------------------------------------------- HEAD, redirects, feedback (issue #12)


@pytest.mark.parametrize(
    "path", ["/api/health", "/api/languages", "/api/search?q=nginx", "/faq-widget.js"]
)
def test_head_works_where_get_does(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"]


def test_redirects_do_not_echo_the_host_header(settings: Settings) -> None:
    from test_site import add_pages

    add_pages(settings)
    build(settings)
    with client_for(settings) as client:
        response = client.get("/ko", headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (301, 302, 307, 308)
    assert response.headers["location"] == "/ko/"


def test_a_failed_feedback_write_is_logged_and_not_shown(
    settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faq.errors import FeedbackError

    secret = str(settings.path("feedback_db"))

    def read_only(*args: object, **kwargs: object) -> int:
        raise FeedbackError(
            f"the feedback could not be stored (attempt to write a readonly database: {secret})"
        )

    with client_for(settings) as client:
        monkeypatch.setattr(client.app.state.feedback, "add", read_only)  # type: ignore[attr-defined]
        with caplog.at_level(logging.INFO, logger="faq.api"):
            response = client.post("/api/feedback", json=VOTE)
    assert response.status_code == 503
    assert detail(response) == "feedback can't be stored right now; please try again later"
    assert secret not in response.text
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "readonly database" in errors[0].getMessage()
