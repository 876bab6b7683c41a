"""The feedback store on SQLite (WAL) and PostgreSQL alike, and `faq feedback`."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.db import Database
from faq.errors import QueryError
from faq.feedback import FeedbackStore, render_summary
from servers import postgres_url

BACKENDS = ["sqlite", "postgresql"]


def database_for(backend: str, tmp_path: Path) -> Database:
    if backend == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'var' / 'feedback.sqlite3'}")
    return Database(postgres_url())


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FeedbackStore]:
    database = database_for(request.param, tmp_path)
    yield FeedbackStore(database)
    database.dispose()


def test_the_sqlite_table_is_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "var" / "feedback.sqlite3"
    store = FeedbackStore(path)
    assert not path.exists()
    assert store.summary()["entries"] == []  # reading creates nothing
    assert store.rows() == []
    assert not path.exists()
    row = store.add("nginx", entry_id="streaming-nginx", helpful=True, kind="vote", lang="ko")
    assert row == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.database.dispose()


def test_a_row_keeps_what_was_sent(store: FeedbackStore) -> None:
    row = store.add(
        "nginx", entry_id="streaming-nginx", helpful=True, lang="ko", search_id="ab" * 16
    )
    assert row >= 1
    [stored] = store.rows()
    assert stored["id"] == row and stored["entry_id"] == "streaming-nginx"
    assert stored["helpful"] == 1 and stored["lang"] == "ko" and stored["kind"] == "vote"
    assert stored["search_id"] == "ab" * 16 and stored["created_at"].endswith("Z")


def test_summary_counts_votes_and_missing_answers(store: FeedbackStore) -> None:
    for helpful in (True, False, False):
        store.add("q", entry_id="proxy", helpful=helpful)
    store.add("q", entry_id="vercel-deploy", helpful=True)
    store.add("How to bake a cake?", kind="missing-answer", lang="en")
    store.add("  how to bake   a CAKE? ", kind="missing-answer", lang="ko")
    store.add("Where is the moon?", kind="missing-answer", comment="no entry at all")
    summary = store.summary()
    assert summary["votes"] == 4 and summary["reports"] == 3
    assert summary["entries"] == [
        {"id": "proxy", "helpful": 1, "unhelpful": 2},
        {"id": "vercel-deploy", "helpful": 1, "unhelpful": 0},
    ]
    first = summary["missing_answers"][0]
    assert first["query"] == "how to bake a cake?"
    assert first["count"] == 2 and first["languages"] == ["en", "ko"]
    text = render_summary(summary)
    assert "proxy" in text and "how to bake a cake?" in text and "where is the moon?" in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "x", "kind": "other"}, "kind must be one of"),
        ({"query": "x", "kind": "vote"}, "a vote needs"),
        ({"query": "x", "kind": "vote", "entry_id": "a"}, "a vote needs"),
        ({"query": " ", "kind": "missing-answer"}, "needs the question"),
        ({"query": "x" * 1001, "kind": "missing-answer"}, "too long"),
        ({"query": "x", "kind": "missing-answer", "comment": "c" * 2001}, "comment is too long"),
    ],
)
def test_bad_feedback_is_refused(
    store: FeedbackStore, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        store.add(**kwargs)  # type: ignore[arg-type]
    assert store.rows() == []


def test_limits_are_inclusive(store: FeedbackStore) -> None:
    store.add("x" * 1000, kind="missing-answer", comment="c" * 2000)
    assert len(store.rows()) == 1


def test_unicode_round_trips(store: FeedbackStore) -> None:
    store.add("답변이 한 번에 몰아서 나와요 😀", kind="missing-answer", lang="ko")
    assert store.rows()[0]["query"] == "답변이 한 번에 몰아서 나와요 😀"


def test_concurrent_writers(store: FeedbackStore) -> None:
    url = store.database.url

    def write(n: int) -> None:
        own = Database(url)  # as another process would: its own engine and pool
        for _i in range(20):
            FeedbackStore(own).add(f"q{n}", entry_id="proxy", helpful=n % 2 == 0)
            store.add(f"shared {n}", entry_id="proxy", helpful=True)
        own.dispose()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.summary()["votes"] == 160
    ids = [r["id"] for r in store.rows()]
    assert len(set(ids)) == 160


@pytest.mark.parametrize("backend", BACKENDS)
def test_faq_feedback_command(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = 'feedback_db = "fb.sqlite3"\n'
    if backend == "postgresql":
        config += f'database_url = "{postgres_url()}"\n'
    (tmp_path / "faq.toml").write_text(config, "utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    empty = runner.invoke(cli, ["feedback"])
    assert empty.exit_code == 0 and "No feedback yet." in empty.output
    from faq.config import load_settings

    database = Database.from_settings(load_settings(cwd=tmp_path))
    store = FeedbackStore(database)
    store.add("q", entry_id="proxy", helpful=False)
    store.add("where is the moon?", kind="missing-answer")
    database.dispose()
    text = runner.invoke(cli, ["feedback"])
    assert text.exit_code == 0
    assert "proxy" in text.output and "where is the moon?" in text.output
    as_json = runner.invoke(cli, ["feedback", "--json"])
    assert json.loads(as_json.output)["entries"] == [{"id": "proxy", "helpful": 0, "unhelpful": 1}]
    assert (tmp_path / "fb.sqlite3").exists() is (backend == "sqlite")


def test_faq_feedback_with_the_database_down_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servers import free_port

    url = f"postgresql://faq:secret-password@127.0.0.1:{free_port()}/faq"
    (tmp_path / "faq.toml").write_text(f'database_url = "{url}"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["feedback"])
    assert result.exit_code == 1
    assert "cannot be used" in result.output and "Traceback" not in result.output
    assert "secret-password" not in result.output
