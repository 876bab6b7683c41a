"""What readers did, read back (SQLite and PostgreSQL): planted secrets never reach the
database, retention deletes old rows (and only those), periods parse, signals and daily stats
come out of the real stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from faq.db import Database
from faq.errors import QueryError
from faq.feedback import FeedbackStore
from faq.migrations import feedback, queries
from faq.models import SearchHit, SearchResult
from faq.querylog import QueryLog
from faq.readerlog import Retention, daily_stats, load_signals, parse_since, purge, stamp
from servers import postgres_url

SECRETS = (
    "alice@example.com",
    "sk-proj-abcdefghijklmnop1234567890",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "192.168.10.20",
    "https://bob:hunter2@git.example.com/repo",
)
PLANTED = "my key {1} stopped working, mail {0}, server {3}, clone {4}, token {2}".format(*SECRETS)


def result(query: str, answered: bool, top: str = "streaming-nginx") -> SearchResult:
    hit = SearchHit(id=top, lang="en", title="t", score=0.61, url="/x/", snippet="")
    return SearchResult(query=query, lang="en", answered=answered, results=(hit,))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "postgresql":
        db = Database(postgres_url())
    else:
        db = Database(f"sqlite:///{tmp_path / 'feedback.sqlite3'}")
    yield db
    db.dispose()


def raw(db: Database, table: sa.Table) -> list[dict[str, object]]:
    with db.read() as conn:
        return [dict(r) for r in conn.execute(sa.select(table)).mappings()]


def log_searches(db: Database, items: list[tuple[str, bool, str]]) -> list[str]:
    log = QueryLog(db)
    ids = []
    for query, answered, lang in items:
        search_id = log.new_search_id()
        assert search_id is not None
        r = result(query, answered)
        log.record(SearchResult(r.query, lang, r.answered, r.results), None, "build-1", search_id)
        ids.append(search_id)
    assert log.flush()
    log.close()
    return ids


def test_planted_secrets_are_scrubbed_before_storage(database: Database) -> None:
    log_searches(database, [(PLANTED, False, "en")])
    store = FeedbackStore(database)
    store.add(PLANTED, kind="missing-answer", comment="reach me at " + SECRETS[0], lang="en")
    store.add(PLANTED, entry_id="streaming-nginx", helpful=False, comment=SECRETS[1])
    stored = raw(database, queries) + raw(database, feedback)
    text = repr(stored)
    for secret in (*SECRETS, "hunter2", "alice"):
        assert secret not in text
    assert "<email>" in text and "<key>" in text and "<ip>" in text
    row = raw(database, queries)[0]
    assert row["lang"] == "en" and row["answered"] is False and row["index_name"] == "build-1"
    assert row["results"] == [{"id": "streaming-nginx", "score": 0.61, "confidence": 0.0}]


def test_feedback_search_id_must_have_the_shape_of_one(database: Database) -> None:
    store = FeedbackStore(database)
    with pytest.raises(QueryError, match="search_id"):
        store.add("q", kind="missing-answer", search_id="../../etc")
    store.add("q", kind="missing-answer", search_id="0123456789abcdef" * 2)


def backdate(db: Database, table: sa.Table, ids: list[int], days: int) -> None:
    old = stamp(datetime.now(UTC) - timedelta(days=days))
    with db.write() as conn:
        conn.execute(table.update().where(table.c.id.in_(ids)).values(created_at=old))


def test_retention_deletes_old_rows_and_only_those(database: Database) -> None:
    log_searches(database, [(f"question {n}", n % 2 == 0, "en") for n in range(6)])
    store = FeedbackStore(database)
    fb = [store.add(f"report {n}", kind="missing-answer") for n in range(4)]
    backdate(database, queries, [1, 2, 3], days=91)
    backdate(database, feedback, fb[:1], days=200)
    backdate(database, feedback, fb[1:2], days=89)  # inside the 90 days: kept
    assert purge(database, 0) == 0  # 0: kept forever
    assert purge(database, 90) == 4
    assert sorted(r["query"] for r in raw(database, queries)) == [
        "question 3",
        "question 4",
        "question 5",
    ]
    assert sorted(r["query"] for r in raw(database, feedback)) == [
        "report 1",
        "report 2",
        "report 3",
    ]
    assert purge(database, 90) == 0


def test_the_server_purges_at_most_once_per_interval(database: Database) -> None:
    log_searches(database, [("old one", False, "en"), ("old two", False, "en")])
    retention = Retention(database, days=30, interval=3600)
    backdate(database, queries, [1], days=31)
    assert retention.maybe_purge() == 1
    backdate(database, queries, [2], days=31)
    assert retention.maybe_purge() == 0  # within the hour: nothing is done
    assert len(raw(database, queries)) == 1
    assert Retention(database, days=0).maybe_purge() == 0


@pytest.mark.parametrize(("text", "hours"), [("30d", 720), ("12h", 12), ("2w", 336), (" 1d ", 24)])
def test_periods(text: str, hours: int) -> None:
    assert parse_since(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "30", "d", "0d", "3x", "1.5d", "-2d", "30 days", "1m"])
def test_bad_periods_are_one_clear_error(text: str) -> None:
    with pytest.raises(QueryError, match="12h, 30d, 2w"):
        parse_since(text)


def test_signals_and_daily_stats(database: Database) -> None:
    ids = log_searches(
        database,
        [
            ("dark mode?", False, "en"),
            ("다크 모드", False, "ko"),
            ("nginx streaming", True, "en"),
            ("pdf export", False, "en"),
        ],
    )
    store = FeedbackStore(database)
    # the reader of the last search also reported it: one signal, the report
    store.add("pdf export", kind="missing-answer", lang="en", search_id=ids[3])
    store.add("nginx streaming", entry_id="streaming-nginx", helpful=True, lang="en")
    store.add("nginx chunks", entry_id="streaming-nginx", helpful=False, lang="en")
    since = stamp(datetime.now(UTC) - timedelta(days=1))
    signals = load_signals(database, since)
    kinds = sorted((s.kind, s.query) for s in signals)
    assert kinds == [
        ("helpful", "nginx streaming"),
        ("missing", "pdf export"),
        ("unanswered", "dark mode?"),
        ("unanswered", "다크 모드"),
        ("unhelpful", "nginx chunks"),
    ]
    assert [s.query for s in load_signals(database, since, "ko")] == ["다크 모드"]
    future = stamp(datetime.now(UTC) + timedelta(hours=1))
    assert load_signals(database, future) == []
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert daily_stats(database, since) == [
        {"day": today, "lang": "en", "questions": 3, "answered": 1},
        {"day": today, "lang": "ko", "questions": 1, "answered": 0},
    ]


def test_nothing_is_created_by_reading(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert load_signals(db, "2000-01-01T00:00:00Z") == []
    assert daily_stats(db, "2000-01-01T00:00:00Z") == []
    assert purge(db, 90) == 0
    assert not (tmp_path / "none.sqlite3").exists()
