"""The HTTP API through TestClient (with its lifespan): every route, every bad input, CORS, i18n."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq import errors
from faq.api.app import create_app
from faq.api.server import normalize_root_path, settings_environment
from faq.atomic import build_name
from faq.build import build
from faq.cli import cli
from faq.config import Settings, load_settings
from faq.entries import text_blocks
from faq.errors import FaqError, IndexNotFoundError
from faq.feedback import FeedbackStore
from faq.i18n import _, get_locale, use_locale
from faq.service import FaqService

ORIGIN = "https://docs.example.com"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The tiny corpus (en default, ko), indexed with the fake embedder; no site yet."""
    base = write_corpus(tmp_path / "kb")
    settings = base.replace(
        feedback_db=str(tmp_path / "var" / "feedback.sqlite3"),
        site_dir=str(tmp_path / "site"),
        cors_origins=ORIGIN,
    )
    build(settings, site=False)
    return settings


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def detail(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], str) and body["detail"], body
    return str(body["detail"])


# ------------------------------------------------------------------------------------ search


def test_search_gives_the_same_json_as_the_cli(client: TestClient, settings: Settings) -> None:
    response = client.get("/api/search", params={"q": "nginx streaming", "lang": "ko", "k": 3})
    assert response.status_code == 200
    config = settings.root / "faq.toml"
    cli_run = CliRunner().invoke(
        cli,
        ["--config", str(config), "search", "--json", "-k", "3", "--lang", "ko", "nginx streaming"],
    )
    assert cli_run.exit_code == 0, cli_run.output
    assert response.json() == json.loads(cli_run.output)
    body = response.json()
    assert body["results"][0]["id"] == "streaming-nginx"
    assert body["lang"] == "ko"
    assert len(body["results"]) == 3


def test_search_marks_fallbacks_and_trims_the_question(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "  how do I get   help  ", "lang": "ko"}).json()
    assert body["query"] == "how do I get help"
    hit = next(h for h in body["results"] if h["id"] == "get-help")
    assert hit["lang"] == "en" and hit["fallback"] is True  # no Korean version
    assert all("fallback" not in h for h in body["results"] if h["id"] != "get-help")


def test_search_accepts_the_limits(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "x" * 1000}).status_code == 200
    assert client.get("/api/search", params={"q": " " * 50 + "x" + " " * 50}).status_code == 200
    assert len(client.get("/api/search", params={"q": "vercel", "k": 1}).json()["results"]) == 1
    assert client.get("/api/search", params={"q": "vercel", "k": 20}).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "q is required"),
        ({"q": ""}, "the question is empty"),
        ({"q": "   \t  "}, "the question is empty"),
        ({"q": "x" * 1001}, "the question is too long (1001 characters, at most 1000)"),
        ({"q": "nginx", "k": 0}, "k must be at least 1"),
        ({"q": "nginx", "k": 21}, "k must be at most 20"),
        ({"q": "nginx", "k": "abc"}, "k must be a whole number"),
        ({"q": "nginx", "k": "1.5"}, "k must be a whole number"),
        ({"q": "nginx", "lang": "fr"}, "unknown language 'fr': use one of en, ko"),
        ({"q": "nginx", "lang": "../etc"}, "unknown language '../etc': use one of en, ko"),
    ],
)
def test_bad_search_input_is_a_422_with_a_detail(
    client: TestClient, params: dict[str, object], expected: str
) -> None:
    response = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert detail(response) == expected


# ----------------------------------------------------------------------------------- entries


def test_entry_in_the_asked_language(client: TestClient) -> None:
    response = client.get("/api/entries/streaming-nginx", params={"lang": "ko"})
    assert response.status_code == 200
    entry = response.json()
    assert entry["id"] == "streaming-nginx"
    assert entry["lang"] == "ko" and entry["fallback"] is False
    assert entry["section"] == "deployment"
    assert "<pre>" in entry["html"] and "<code>" in entry["html"]  # highlighted, as on the site
    code = [b.text for b in text_blocks(entry["html"]) if b.code]
    assert code == ["proxy_buffering off;"]
    assert sorted(entry["languages"]) == ["en", "ko"]
    assert entry["url"] == "/ko/deployment/streaming-nginx/"
    assert entry["translated_from"] == "en"
    assert entry["stale"] is False


def test_entry_falls_back_to_its_source_language(client: TestClient) -> None:
    entry = client.get("/api/entries/get-help", params={"lang": "ko"}).json()
    assert entry["lang"] == "en" and entry["fallback"] is True
    default = client.get("/api/entries/get-help").json()
    assert default["lang"] == "en" and default["fallback"] is False


def test_unknown_entry_is_a_404(client: TestClient) -> None:
    response = client.get("/api/entries/no-such-entry")
    assert response.status_code == 404
    assert detail(response) == "no entry 'no-such-entry'"


@pytest.mark.parametrize(
    "path",
    [
        "/api/entries/../../etc/passwd",
        "/api/entries/%2e%2e",
        "/api/entries/%2e%2e/%2e%2e/etc/passwd",
        "/api/entries/..%2f..%2fetc%2fpasswd",
        "/api/entries/%2fetc%2fpasswd",
        "/api/entries/Streaming-Nginx",
        "/api/entries/a--b",
        "/api/entries/-a",
        "/api/entries/a%00b",
        "/api/entries/" + "a" * 65,
        "/api/entries/streaming-nginx.md",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
    ],
)
def test_malformed_ids_and_traversal_are_refused(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert "root:" not in response.text
    if path.startswith("/api/") and "/../" not in path:  # the client resolves a plain `..`
        detail(response)


def test_bad_entry_lang_is_a_422(client: TestClient) -> None:
    response = client.get("/api/entries/streaming-nginx", params={"lang": "xx"})
    assert response.status_code == 422
    assert "unknown language 'xx'" in detail(response)


def test_entries_are_served_from_memory_not_from_files(
    client: TestClient, settings: Settings
) -> None:
    shutil.rmtree(settings.docs)
    shutil.rmtree(settings.index.resolve())
    assert client.get("/api/entries/quota-exceeded", params={"lang": "ko"}).status_code == 200
    assert client.get("/api/entries/docs").status_code == 404


# ----------------------------------------------------------------------- languages and health


def test_languages(client: TestClient) -> None:
    body = client.get("/api/languages").json()
    assert body == {
        "default": "en",
        "languages": [
            {"code": "en", "name": "English", "default": True},
            {"code": "ko", "name": "한국어", "default": False},
        ],
    }


def test_health_describes_the_index(client: TestClient, settings: Settings) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["embedder"] == "fake"
    assert body["entries"] == 4
    assert body["documents"] == 7
    assert body["languages"] == ["en", "ko"]
    assert body["default_language"] == "en"
    assert body["built_at"]
    assert body["index"] == build_name(settings.index)


def test_unknown_api_paths_and_methods(client: TestClient) -> None:
    response = client.get("/api/nothing/here")
    assert response.status_code == 404
    assert detail(response) == "Not found"
    response = client.post("/api/search", params={"q": "x"})
    assert response.status_code == 405
    assert detail(response) == "Method not allowed"


def test_openapi_docs(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/entries/{entry_id}", "/api/languages", "/api/health"} <= set(
        schema["paths"]
    )
    assert "post" in schema["paths"]["/api/feedback"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/openapi.json" in docs.text


# ---------------------------------------------------------------------------------- feedback


def test_feedback_is_stored_and_summarised(client: TestClient, settings: Settings) -> None:
    votes = [("streaming-nginx", True), ("streaming-nginx", True), ("streaming-nginx", False)]
    for entry_id, helpful in votes:
        response = client.post(
            "/api/feedback",
            json={"kind": "vote", "query": "nginx", "entry_id": entry_id, "helpful": helpful},
        )
        assert response.status_code == 201, response.text
        assert response.json()["ok"] is True
    for _i in range(2):
        response = client.post(
            "/api/feedback",
            json={"kind": "missing-answer", "query": "How do I bake a cake?", "lang": "en"},
        )
        assert response.status_code == 201
    summary = FeedbackStore(settings.path("feedback_db")).summary()
    assert summary["entries"] == [{"id": "streaming-nginx", "helpful": 2, "unhelpful": 1}]
    assert summary["missing_answers"][0]["query"] == "how do i bake a cake?"
    assert summary["missing_answers"][0]["count"] == 2
    assert summary["missing_answers"][0]["languages"] == ["en"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"kind": "like", "query": "x"}, "kind must be one of 'vote' or 'missing-answer'"),
        ({"query": "x"}, "kind is required"),
        ({"kind": "vote", "query": "x", "helpful": True}, "a vote needs an entry_id"),
        ({"kind": "vote", "entry_id": "streaming-nginx"}, "a vote needs an entry_id"),
        ({"kind": "vote", "entry_id": "nope", "helpful": True}, "no entry 'nope'"),
        ({"kind": "vote", "entry_id": "../x", "helpful": True}, "invalid entry id"),
        ({"kind": "vote", "entry_id": "get-help", "helpful": "maybe"}, "helpful must be true"),
        ({"kind": "missing-answer", "query": "   "}, "needs the question"),
        ({"kind": "missing-answer", "query": "x" * 1001}, "too long (1001 characters"),
        ({"kind": "missing-answer", "query": "x", "comment": "c" * 2001}, "comment is too long"),
        ({"kind": "missing-answer", "query": "x", "lang": "fr"}, "unknown language 'fr'"),
        ({"kind": "missing-answer", "query": "x", "extra": 1}, "unknown field extra"),
    ],
)
def test_bad_feedback_is_a_422_with_a_detail(
    client: TestClient, settings: Settings, body: dict[str, object], expected: str
) -> None:
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422
    assert expected in detail(response)
    assert FeedbackStore(settings.path("feedback_db")).rows() == []


def test_feedback_that_is_not_json_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/api/feedback", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    detail(response)
    response = client.post("/api/feedback", json=["a", "list"])
    assert response.status_code == 422
    detail(response)


# ---------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "error_class",
    [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, FaqError)],
)
def test_every_faq_error_maps_to_its_status(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, error_class: type[FaqError]
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        if error_class is errors.EntryError:
            raise errors.EntryError("docs/x.md", 3, "broken")
        raise error_class("something is wrong")

    service: FaqService = client.app.state.service  # type: ignore[attr-defined]
    monkeypatch.setattr(service, "search", fail)
    response = client.get("/api/search", params={"q": "anything"})
    assert response.status_code == error_class.status_code
    if error_class is errors.FeedbackError:  # the reason is logged, not shown
        assert detail(response) == "feedback can't be stored right now; please try again later"
        return
    assert detail(response).endswith(("something is wrong", "docs/x.md:3: broken"))


def test_a_bug_is_a_json_500_without_a_traceback(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        service: FaqService = client.app.state.service  # type: ignore[attr-defined]

        def boom(*args: object, **kwargs: object) -> None:
            raise RuntimeError("secret internals")

        monkeypatch.setattr(service, "search", boom)
        response = client.get("/api/search", params={"q": "anything"})
    assert response.status_code == 500
    assert detail(response) == "internal error"


def test_missing_index_fails_at_startup(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path / "kb")
    with pytest.raises(IndexNotFoundError), TestClient(create_app(settings)):
        pass


# ---------------------------------------------------------------------------- locale (i18n)


def test_error_details_follow_accept_language(client: TestClient) -> None:
    english = client.get("/api/search", params={"q": " "}, headers={"Accept-Language": "en"})
    assert detail(english) == "the question is empty"
    korean = client.get(
        "/api/search", params={"q": " "}, headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}
    )
    with use_locale("ko"):
        expected = _("the question is empty")  # the Korean text once the catalog exists
    assert detail(korean) == expected
    assert get_locale() == "en"  # set per request, never process-wide


def test_lang_parameter_sets_the_locale_of_errors(client: TestClient) -> None:
    response = client.get(
        "/api/entries/nope", params={"lang": "ko"}, headers={"Accept-Language": "en"}
    )
    with use_locale("ko"):
        expected = _("no entry {id!r}").format(id="nope")
    assert response.status_code == 404
    assert detail(response) == expected


# ------------------------------------------------------------------------------------- CORS


def test_cors_allows_the_configured_origin(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    preflight = client.options(
        "/api/feedback",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_cors_refuses_other_origins(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/feedback",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def test_no_cors_without_configured_origins(settings: Settings) -> None:
    with TestClient(create_app(settings.replace(cors_origins=[]))) as client:
        response = client.get("/api/health", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


# ------------------------------------------------------------------------ static site, widget


def fake_site(settings: Settings) -> Path:
    """A stand-in for a built site (the real build is tested in test_site.py)."""
    site = settings.site
    pages = {
        "index.html": "home en",
        "404.html": "not found page",
        "deployment/streaming-nginx/index.html": "page en",
        "ko/index.html": "home ko",
        "ko/deployment/streaming-nginx/index.html": "page ko",
        "assets/app.css": "body{}",
        "empty/.keep": "",
    }
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, "utf-8")
    return site


def test_site_pages_per_language(client: TestClient, settings: Settings) -> None:
    fake_site(settings)
    assert client.get("/").text == "home en"
    assert client.get("/deployment/streaming-nginx/").text == "page en"
    assert client.get("/ko/").text == "home ko"
    assert client.get("/ko/deployment/streaming-nginx/").text == "page ko"
    # the default language also under its own prefix
    assert client.get("/en/").text == "home en"
    assert client.get("/en/deployment/streaming-nginx/").text == "page en"
    redirect = client.get("/ko", follow_redirects=False)
    assert redirect.status_code in (307, 308) and redirect.headers["location"].endswith("/ko/")


def test_site_has_no_listing_and_a_404_page(client: TestClient, settings: Settings) -> None:
    fake_site(settings)
    for path in ("/empty/", "/assets/", "/no/such/page/", "/%2e%2e/%2e%2e/etc/passwd"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.text == "not found page"
    assert client.post("/").status_code == 405


def test_without_a_site_the_api_still_works(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 404
    assert "faq build" in response.text
    assert client.get("/api/health").status_code == 200


def test_widget_script_and_strings(client: TestClient) -> None:
    script = client.get("/faq-widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "data-api" in script.text
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write", script.text)
    strings = client.get("/faq-widget-i18n/ko.json")
    assert strings.status_code == 200
    assert strings.json()["Report a missing answer"]
    assert client.get("/faq-widget-i18n/en.json").json()["Ask"] == "Ask"
    assert client.get("/faq-widget-i18n/xx.json").status_code == 404


# --------------------------------------------------------------------------- reverse proxy


@pytest.mark.parametrize("prefix", ["/faq", "/faq/faq"])
def test_works_under_a_path_prefix(settings: Settings, prefix: str) -> None:
    # uvicorn --root-path /faq puts the prefix in front of the path the proxy forwards; a proxy
    # that does not strip the prefix gives it twice
    fake_site(settings)
    with TestClient(create_app(settings), root_path="/faq") as client:
        assert client.get(f"{prefix}/api/health").status_code == 200
        search = client.get(f"{prefix}/api/search", params={"q": "nginx"})
        assert search.json()["results"][0]["id"] == "streaming-nginx"
        assert client.get(f"{prefix}/ko/").text == "home ko"
        redirect = client.get(f"{prefix}/ko", follow_redirects=False)
        assert redirect.headers["location"].endswith("/faq/ko/")
        schema = client.get(f"{prefix}/api/openapi.json").json()
        assert schema["servers"] == [{"url": "/faq"}]


def test_root_path_is_normalised() -> None:
    assert normalize_root_path("") == ""
    assert normalize_root_path("/") == ""
    assert normalize_root_path("faq/") == "/faq"
    assert normalize_root_path("/a/b/") == "/a/b"


# --------------------------------------------------------------------------- new builds


def test_a_new_build_is_picked_up_without_restart(settings: Settings) -> None:
    with TestClient(create_app(settings, reload_interval=0.05)) as client:
        before = client.get("/api/health").json()["index"]
        page = settings.docs / "en" / "general" / "get-help.md"
        page.write_text(page.read_text("utf-8").replace("Search first", "Look first"), "utf-8")
        build(settings, site=False)
        deadline = time.monotonic() + 10
        while client.get("/api/health").json()["index"] == before:
            assert time.monotonic() < deadline, "the new index was not picked up"
            time.sleep(0.05)
        assert "Look first" in client.get("/api/entries/get-help").json()["html"]


def test_worker_settings_travel_through_the_environment(settings: Settings, tmp_path: Path) -> None:
    env = settings_environment(settings)
    assert env["FAQ_LANGUAGES"] == "en,ko"
    assert env["FAQ_CORS_ORIGINS"] == ORIGIN
    again = load_settings(cwd=tmp_path, env=env)
    for field in dataclasses.fields(Settings):
        if field.name == "root":
            continue
        if isinstance(getattr(settings, field.name), Path):
            assert again.path(field.name) == settings.path(field.name), field.name
        else:
            assert getattr(again, field.name) == getattr(settings, field.name), field.name
    assert again.index.is_symlink()  # not resolved: a worker must see the next build


def test_worker_processes_build_the_same_app(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faq.api.app import app_from_environment

    for name, value in settings_environment(settings).items():
        monkeypatch.setenv(name, value)
    app = app_from_environment()
    assert app.state.settings.index == settings.index
    with TestClient(app) as client:
        assert client.get("/api/health").json()["entries"] == 4


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_without_an_index_is_one_clear_error(
    tmp_path: Path, workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # run_server sets it if unset
    write_corpus(tmp_path / "kb")
    config = tmp_path / "kb" / "faq.toml"
    result = CliRunner().invoke(cli, ["--config", str(config), "serve", "--workers", workers])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no index at ")
    assert "run `faq build` first" in result.output and "Traceback" not in result.output
