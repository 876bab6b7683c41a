"""The query log (off by default) in the database, search ids that link feedback to a search,
and the API with its database down: feedback 503, search answers, readiness 503; both come back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.build import build
from faq.config import Settings
from faq.db import Database
from faq.feedback import FeedbackStore
from faq.migrations import queries
from faq.models import SearchResult
from faq.querylog import QueryLog
from servers import TcpProxy, postgres_url


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("querylog")
    settings = write_corpus(tmp / "kb").replace(site_dir=str(tmp / "site"))
    build(settings, site=False)
    return settings


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, built: Settings, tmp_path: Path) -> Settings:
    url = postgres_url() if request.param == "postgresql" else ""
    return built.replace(
        feedback_db=str(tmp_path / "var" / "feedback.sqlite3"),
        database_url=url,
        rate_limit_search="0",
        rate_limit_feedback="0",
    )


def logged(settings: Settings) -> list[dict[str, object]]:
    db = Database.from_settings(settings)
    try:
        with db.read() as conn:
            rows = conn.execute(sa.select(queries).order_by(queries.c.id)).mappings().all()
            return [dict(r) for r in rows]
    finally:
        db.dispose()


def test_queries_are_not_logged_by_default(settings: Settings) -> None:
    with TestClient(create_app(settings, reload_interval=0)) as client:
        body = client.get("/api/search", params={"q": "nginx streaming"}).json()
        ready = client.get("/api/health/ready").json()
    assert "search_id" not in body
    assert ready["status"] == "ready" and ready["database"] == "ok" and ready["index"]
    assert logged(settings) == []
    folder = settings.path("feedback_db").parent
    assert not any(p.suffix == ".jsonl" for p in folder.glob("*"))


def test_queries_are_logged_in_the_database_when_asked(settings: Settings) -> None:
    on = settings.replace(log_queries=True)
    with TestClient(create_app(on, reload_interval=0)) as client:
        ids = []
        for q in ("nginx streaming", "  how do I\tget help  "):
            response = client.get(
                "/api/search", params={"q": q, "k": 2}, headers={"X-Forwarded-For": "9.9.9.9"}
            )
            ids.append(response.json()["search_id"])
        client.get("/api/search", params={"q": " "})  # refused: not logged
        vote = {"kind": "vote", "query": "nginx streaming", "entry_id": "streaming-nginx"}
        posted = client.post("/api/feedback", json={**vote, "helpful": True, "search_id": ids[0]})
        assert posted.status_code == 201, posted.text
        bad = client.post("/api/feedback", json={**vote, "helpful": True, "search_id": "x"})
        assert bad.status_code == 422
    records = logged(on)  # the lifespan's end wrote what was queued
    assert [r["query"] for r in records] == ["nginx streaming", "how do I get help"]
    first = records[0]
    assert first["search_id"] == ids[0] and len(ids[0]) == 32 and ids[0] != ids[1]
    assert first["top_id"] == "streaming-nginx" and first["k"] == 2 and first["lang"] == "en"
    assert first["answered"] is True and first["index_name"]
    assert [r["id"] for r in first["results"]][0] == "streaming-nginx"  # type: ignore[index]
    assert len(first["results"]) == 2  # type: ignore[arg-type]
    flat = repr(records)
    assert "testclient" not in flat and "9.9.9.9" not in flat  # never who asked
    db = Database.from_settings(on)
    [row] = FeedbackStore(db).rows()
    db.dispose()
    assert row["search_id"] == ids[0]


def test_the_writer_batches_and_survives_a_failed_batch(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    log = QueryLog(db)
    result = SearchResult(query="q", lang="en", answered=False, results=())
    for _i in range(1200):
        log.record(result, None, "index-1")
    assert log.flush(30)
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(queries)).scalar() == 1200
    with db.write() as conn:
        conn.execute(sa.text("DROP TABLE queries"))  # every later batch fails
    with caplog.at_level(logging.WARNING, "faq.querylog"):
        for _i in range(3):
            log.record(result, None, "index-1")
            assert log.flush(10)
    assert log.dropped == 3
    assert len([r for r in caplog.records if "not stored" in r.getMessage()]) == 1  # throttled
    log.close()
    db.dispose()


# ------------------------------------------------------------------- the database goes away


@pytest.fixture
def proxied(built: Settings, tmp_path: Path) -> Iterator[tuple[TcpProxy, Settings]]:
    url = postgres_url()
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxy.up()
    netloc = parts.netloc.rsplit(":", 1)[0] + f":{proxy.port}"
    settings = built.replace(
        feedback_db=str(tmp_path / "var" / "feedback.sqlite3"),
        database_url=parts._replace(netloc=netloc).geturl(),
        log_queries=True,
        rate_limit_search="0",
        rate_limit_feedback="0",
    )
    try:
        yield proxy, settings
    finally:
        proxy.down()


def test_the_api_with_its_database_down_and_back(proxied: tuple[TcpProxy, Settings]) -> None:
    proxy, settings = proxied
    vote = {"kind": "vote", "query": "q", "entry_id": "streaming-nginx", "helpful": True}
    with TestClient(create_app(settings, reload_interval=0)) as client:
        assert client.get("/api/health/ready").status_code == 200
        assert client.post("/api/feedback", json=vote).status_code == 201
        proxy.down()
        refused = client.post("/api/feedback", json=vote)
        assert refused.status_code == 503 and "try again" in refused.json()["detail"]
        for _i in range(3):  # search keeps answering; its log rows are dropped, not fatal
            found = client.get("/api/search", params={"q": "nginx streaming"})
            assert found.status_code == 200 and found.json()["results"]
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health/live").json() == {"status": "ok"}
        ready = client.get("/api/health/ready")
        assert ready.status_code == 503 and "database" in ready.json()["detail"]
        assert "127.0.0.1" not in refused.text + ready.text  # no server details for readers
        app_log: QueryLog = client.app.state.query_log  # type: ignore[attr-defined]
        assert app_log.flush(30)
        proxy.up()
        assert client.get("/api/health/ready").status_code == 200
        assert client.post("/api/feedback", json=vote).status_code == 201
        assert client.get("/api/search", params={"q": "vercel"}).status_code == 200
    db = Database.from_settings(settings)
    rows = FeedbackStore(db).rows()
    db.dispose()
    assert len(rows) == 2
    assert [r["query"] for r in logged(settings)][-1] == "vercel"
