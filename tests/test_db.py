"""The database layer: schema upgrades (from faq 0.1's SQLite file too) that lose no row, and a
database that goes away mid-run and comes back, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from faq.config import Settings
from faq.db import Database, database_url
from faq.errors import DatabaseError, FeedbackError
from faq.feedback import FeedbackStore
from faq.migrations import LATEST, current_version, queries, schema_version, upgrade
from servers import TcpProxy, postgres_url

# faq 0.1's schema, as its feedback.py created it
SCHEMA_0_1 = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    entry_id TEXT,
    helpful INTEGER,
    comment TEXT,
    lang TEXT
);
CREATE INDEX IF NOT EXISTS feedback_entry ON feedback (entry_id);
"""
OLD_LOG = [
    {"time": "2026-01-02T03:04:05Z", "query": "nginx streaming", "lang": "en", "k": None,
     "answered": True, "top": "streaming-nginx", "score": 0.81, "index": "index-1"},
    {"time": "2026-01-02T03:04:06Z", "query": "bake a cake", "lang": "en", "k": 2,
     "answered": False, "top": "proxy", "score": 0.12, "index": "index-1"},
]  # fmt: skip


def version(db: Database) -> int:
    with db.engine.connect() as conn:
        return current_version(conn)


def test_the_default_database_is_the_feedback_db_file(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    assert database_url(settings) == f"sqlite:///{tmp_path}/var/feedback.sqlite3"
    pg = settings.replace(database_url="postgres://u:p@db.example/faq")
    assert database_url(pg) == "postgresql+psycopg://u:p@db.example/faq"
    assert "p@" not in Database.from_settings(pg).display_url
    assert "u:p" not in repr(pg)  # the password stays out of the settings' repr


def test_the_upgrade_from_faq_0_1_keeps_every_row_and_imports_the_query_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "var" / "feedback.sqlite3"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_0_1)
        for i in range(50):
            conn.execute(
                "INSERT INTO feedback (created_at, kind, query, entry_id, helpful, lang)"
                " VALUES ('2026-01-01T00:00:00Z', 'vote', ?, 'proxy', ?, 'ko')",
                (f"q{i}", i % 2),
            )
        conn.execute("DELETE FROM feedback WHERE id = 7")  # ids are kept, gaps too
    log = path.parent / "queries.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in OLD_LOG) + "not json\n", "utf-8")
    db = Database.from_settings(Settings(root=tmp_path))
    assert version(db) == 0
    rows = FeedbackStore(db).rows()  # the first use upgrades
    assert version(db) == LATEST
    assert len(rows) == 49 and 7 not in {r["id"] for r in rows}
    assert rows[0]["query"] == "q0" and rows[0]["search_id"] is None
    assert not log.exists() and (path.parent / "queries.jsonl.imported").is_file()
    with db.engine.connect() as conn:
        logged = conn.execute(sa.select(queries).order_by(queries.c.id)).mappings().all()
    assert [r["query"] for r in logged] == ["nginx streaming", "bake a cake"]
    assert logged[0]["top_id"] == "streaming-nginx" and logged[0]["answered"] is True
    assert logged[1]["results"] == [{"id": "proxy", "score": 0.12}] and logged[1]["k"] == 2
    new = FeedbackStore(db).add("after", entry_id="proxy", helpful=True)
    assert new == 51  # the sequence goes on after the old rows
    db.dispose()
    again = Database.from_settings(Settings(root=tmp_path))
    assert upgrade(again) == LATEST  # nothing left to do, nothing imported twice
    with again.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(queries)).scalar() == 2
    again.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}" if request.param == "sqlite" else postgres_url()
    db = Database(url)
    yield db
    db.dispose()


def test_each_step_keeps_the_rows_of_the_one_before(empty_db: Database) -> None:
    upgrade(empty_db, target=1)  # faq 0.1's table
    assert version(empty_db) == 1
    with empty_db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO feedback (created_at, kind, query, lang)"
                " VALUES ('2026-01-01T00:00:00Z', 'missing-answer', 'old report', 'en')"
            )
        )
    store = FeedbackStore(empty_db)
    assert [r["query"] for r in store.rows()] == ["old report"]
    assert version(empty_db) == LATEST
    store.add("new report", kind="missing-answer", search_id="0" * 32)
    assert [r["search_id"] for r in store.rows()] == [None, "0" * 32]


def test_a_database_newer_than_faq_is_refused(empty_db: Database) -> None:
    upgrade(empty_db)
    with empty_db.engine.begin() as conn:
        conn.execute(schema_version.update().values(version=LATEST + 1))
    fresh = Database(empty_db.url)
    with pytest.raises(DatabaseError, match="newer than this faq"):
        fresh.ensure_schema()
    with pytest.raises(FeedbackError):
        FeedbackStore(fresh).add("q", kind="missing-answer")
    fresh.dispose()


def test_replicas_starting_together_upgrade_once(empty_db: Database) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        own = Database(empty_db.url)
        barrier.wait()
        try:
            own.ensure_schema()
            FeedbackStore(own).add("hello", kind="missing-answer")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=start) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert version(empty_db) == LATEST
    assert len(FeedbackStore(empty_db).rows()) == 4


# ------------------------------------------------------------------- the database goes away


@pytest.fixture
def proxied() -> Iterator[tuple[TcpProxy, str]]:
    """PostgreSQL behind a TCP proxy that the test takes down and brings back."""
    url = postgres_url()
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxy.up()
    netloc = parts.netloc.rsplit(":", 1)[0] + f":{proxy.port}"
    try:
        yield proxy, parts._replace(netloc=netloc).geturl()
    finally:
        proxy.down()


def test_the_database_going_away_and_coming_back(proxied: tuple[TcpProxy, str]) -> None:
    proxy, url = proxied
    db = Database(url)
    store = FeedbackStore(db)
    acknowledged = [store.add(f"before {i}", kind="missing-answer") for i in range(5)]
    proxy.down()  # every pooled connection is cut, new ones are refused
    for _i in range(3):
        with pytest.raises(FeedbackError, match="could not be stored"):
            store.add("while down", kind="missing-answer")
    with pytest.raises(DatabaseError, match="cannot be used"):
        store.summary()
    with pytest.raises(DatabaseError):
        db.ping()
    proxy.up()
    acknowledged += [store.add(f"after {i}", kind="missing-answer") for i in range(5)]
    db.ping()
    stored = {r["id"] for r in store.rows()}
    assert set(acknowledged) == stored and len(stored) == 10
    db.dispose()


def test_serve_without_the_postgres_driver_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from click.testing import CliRunner

    from faq.cli import cli

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    monkeypatch.chdir(tmp_path)
    url = "postgresql://faq:secret@127.0.0.1:1/faq"
    result = CliRunner().invoke(cli, ["serve"], env={"FAQ_DATABASE_URL": url})
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "pip install 'faq[postgres]'" in result.output and "secret" not in result.output
