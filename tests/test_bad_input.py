"""Bad input through the CLI and the API: empty, huge, undecodable, control characters, unknown
languages, absurd k, traversal, and HTML or script in queries and in entries (returned inert)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from starlette.types import Message

from corpus import write_corpus
from faq.api.app import create_app
from faq.build import build
from faq.cli import cli
from faq.config import Settings
from faq.entries import text_blocks

MB = 1024 * 1024
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
EVIL_TITLE = f"Evil {SCRIPT} {IMG} title"
EVIL_BODY = (
    f'Answer {SCRIPT} and {IMG} and <a href="javascript:alert(3)">a link</a>'
    ' <iframe src="https://evil.example/"></iframe> <b onmouseover="alert(4)">bold</b>'
    "\n\n```html\n<script>shown as code</script>\n```\n"
)


def add_evil_entry(settings: Settings) -> None:
    """An entry whose title and answer carry script, event handlers and a javascript: link."""
    path = settings.docs / "en" / "general" / "evil-entry.md"
    path.write_text(
        f"---\nid: evil-entry\nsection: general\ntitle: {json.dumps(EVIL_TITLE)}\n---\n\n"
        f"{EVIL_BODY}",
        "utf-8",
    )


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("bad-input")
    settings = write_corpus(tmp / "kb").replace(
        feedback_db=str(tmp / "feedback.sqlite3"), site_dir=str(tmp / "site"), rate_limit_search="0"
    )
    add_evil_entry(settings)
    build(settings, site=False)
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, reload_interval=0)) as client:
        yield client


def faq(settings: Settings, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(settings.root / "faq.toml"), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def faq_process(
    settings: Settings, *args: str | bytes, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    """`python -m faq` in a child process: argv and stdin as raw bytes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env["LANGUAGE"] = "en"
    command: list[str | bytes] = [
        sys.executable,
        "-m",
        "faq",
        "--config",
        str(settings.root / "faq.toml"),
        *args,
    ]
    return subprocess.run(
        command, input=stdin, capture_output=True, env=env, timeout=120, check=False
    )


# ------------------------------------------------------------------------------------ CLI


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\u200b\ufeff", "\u202e\u2066 \u200b"])
def test_cli_empty_questions(settings: Settings, query: str) -> None:
    code, _out, err = faq(settings, "search", query)
    assert code == 1
    assert err == "Error: the question is empty\n"


def test_cli_a_one_megabyte_question(settings: Settings) -> None:
    code, _out, err = faq(settings, "search", "x" * MB)
    assert code == 1
    assert err.startswith(f"Error: the question is too long ({MB} characters, at most 1000)")
    # on stdin: one JSON line with the error, and the next query still answered
    code, out, _err = faq(settings, "search", stdin="y" * MB + "\nnginx streaming\n")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert "too long" in first["error"] and len(first["query"]) == MB
    assert second["results"][0]["id"] == "streaming-nginx"


def test_cli_undecodable_bytes_in_argv_and_stdin(settings: Settings) -> None:
    done = faq_process(settings, "search", "--json", b"nginx \xff\xfe streaming")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["query"] == "nginx \ufffd\ufffd streaming"
    assert body["results"][0]["id"] == "streaming-nginx"
    done = faq_process(settings, "search", stdin=b"\xc3\x28 nginx streaming\n\xff\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert lines[0]["query"] == "\ufffd( nginx streaming"
    assert lines[1]["query"] == "\ufffd"
    assert b"Traceback" not in done.stderr


def test_cli_control_characters_are_dropped(settings: Settings) -> None:
    code, out, _err = faq(settings, "search", "--json", "nginx\x00\x07\x1b[31m streaming\x7f")
    assert code == 0
    body = json.loads(out)
    assert body["query"] == "nginx[31m streaming"
    assert body["results"][0]["id"] == "streaming-nginx"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--lang", "fr"], 1, "unknown language 'fr': use one of en, ko"),
        (["--lang", "../../etc"], 1, "unknown language '../../etc'"),
        (["-k", "0"], 1, "k must be between 1 and 20"),
        (["-k", "21"], 1, "k must be between 1 and 20"),
        (["-k", "-5"], 1, "k must be between 1 and 20"),
        (["-k", str(10**30)], 1, "k must be between 1 and 20"),
        (["-k", "many"], 2, "'many' is not a valid integer"),
    ],
)
def test_cli_unknown_languages_and_absurd_k(
    settings: Settings, args: list[str], code: int, message: str
) -> None:
    exit_code, _out, err = faq(settings, "search", *args, "nginx")
    assert exit_code == code
    assert message in err
    assert "Traceback" not in err


def test_cli_html_in_a_question_is_just_text(settings: Settings) -> None:
    code, out, _err = faq(settings, "search", "--json", f"nginx {SCRIPT}")
    assert code == 0
    assert json.loads(out)["query"] == f"nginx {SCRIPT}"  # data, printed as data


# ------------------------------------------------------------------------------------ API


@pytest.mark.parametrize(
    "q", ["", " ", "\t\n\r", "\x00\x07", "\u200b", "\ufeff\u200b\u2060", "\u202e\u2066\u200d"]
)
def test_api_empty_questions(client: TestClient, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 422
    assert response.json() == {"detail": "the question is empty"}


def call_asgi(app: Any, path: str, query: bytes) -> tuple[int, dict[str, Any]]:
    """One GET straight into the app: httpx refuses URLs over 64 KiB, the app must not."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body)


def test_api_a_one_megabyte_question(client: TestClient) -> None:
    status, body = call_asgi(client.app, "/api/search", b"q=" + b"x" * MB)
    assert status == 422
    assert body["detail"] == f"the question is too long ({MB} characters, at most 1000)"
    status, body = call_asgi(client.app, "/api/search", b"q=" + b"%20" * MB + b"nginx")
    assert status == 200 and body["query"] == "nginx"
    response = client.post("/api/feedback", json={"kind": "missing-answer", "query": "x" * MB})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("q=%FF%FEnginx", "\ufffd\ufffdnginx"),
        ("q=nginx%C3%28", "nginx\ufffd("),
        ("q=%ED%A0%80nginx", "\ufffd\ufffd\ufffdnginx"),  # an encoded surrogate
        ("q=nginx%00%07%1B%7F+streaming", "nginx streaming"),
    ],
)
def test_api_undecodable_and_control_characters(
    client: TestClient, raw: str, expected: str
) -> None:
    response = client.get(f"/api/search?{raw}")
    assert response.status_code == 200
    assert response.json()["query"] == expected


@pytest.mark.parametrize("path", ["/api/entries/%FF", "/api/entries/evil%00entry", "/%FF%FE"])
def test_api_undecodable_paths(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "nginx", "lang": "%FF"}, "unknown language"),
        ({"q": "nginx", "lang": "x" * 17}, "lang is too long"),
        ({"q": "nginx", "k": 10**30}, "k must be at most 20"),
        ({"q": "nginx", "k": -(10**30)}, "k must be at least 1"),
        ({"q": "nginx", "k": "1e3"}, "k must be a whole number"),
        ({"q": "nginx", "k": "NaN"}, "k must be a whole number"),
    ],
)
def test_api_unknown_languages_and_absurd_k(
    client: TestClient, params: dict[str, object], message: str
) -> None:
    response = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_api_bad_feedback_text_is_cleaned(client: TestClient, settings: Settings) -> None:
    from faq.feedback import FeedbackStore

    store = FeedbackStore(settings.path("feedback_db"))
    before = len(store.rows())
    body = {"kind": "missing-answer", "query": "a\x00b\u0007c \u202e d", "comment": "\x1b[2J"}
    assert client.post("/api/feedback", json=body).status_code == 201
    row = store.rows()[-1]
    assert row["query"] == "abc d" and row["comment"] == "[2J"  # no bidi override kept
    # a lone surrogate (as a JSON escape) cannot be stored as UTF-8: refused, nothing stored
    raw = json.dumps({"kind": "missing-answer", "query": "a \ud800"}).encode()
    response = client.post(
        "/api/feedback", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["detail"] == "query is invalid"
    assert len(store.rows()) == before + 1


def test_api_html_in_a_question_comes_back_as_json_data(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": f"nginx {SCRIPT} {IMG}"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["query"] == f"nginx {SCRIPT} {IMG}"  # a string, never markup


def test_api_entry_html_is_sanitised(client: TestClient) -> None:
    entry = client.get("/api/entries/evil-entry").json()
    assert entry["title"] == EVIL_TITLE  # plain text: the widget shows it as text
    html = entry["html"]
    for bad in ("<script>", "onerror", "onmouseover", "javascript:", "<iframe", "evil.example"):
        assert bad not in html, (bad, html)
    assert "Answer" in html and "<b>bold</b>" in html and "a link" in html
    code = [b.text for b in text_blocks(html) if b.code]
    assert code == ["<script>shown as code</script>"]  # code stays code, escaped in the HTML


def test_api_search_finds_the_evil_entry_as_text(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "evil title", "k": 1}).json()
    hit = body["results"][0]
    assert hit["id"] == "evil-entry" and hit["title"] == EVIL_TITLE  # text, shown as text


def test_bidi_controls_never_reach_the_operators_terminal(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows stored before the cleaning (or by another writer) are printed without them."""
    monkeypatch.setenv("FAQ_FEEDBACK_DB", str(settings.path("feedback_db")))
    import sqlite3

    from faq.feedback import FeedbackStore

    FeedbackStore(settings.path("feedback_db")).add("setup", kind="missing-answer")
    with sqlite3.connect(settings.path("feedback_db")) as conn:  # as an older version stored it
        conn.execute(
            "INSERT INTO feedback (created_at, kind, query) VALUES (?, ?, ?)",
            ("2026-01-01T00:00:00Z", "missing-answer", "evil \u202etxt.exe\u2066 \u200bx"),
        )
    for args in (("feedback",), ("feedback", "--json")):
        code, out, _err = faq(settings, *args)
        assert code == 0
        assert not set(out) & set("\u202e\u2066\u200b"), args
        assert "evil" in out
    _code, out, _err = faq(settings, "feedback", "--json")
    assert "\\u202e" in out  # JSON keeps what was stored, escaped
