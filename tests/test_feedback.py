"""The feedback store (SQLite, WAL) and `faq feedback`."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.errors import QueryError
from faq.feedback import FeedbackStore, render_summary


def test_the_table_is_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "var" / "feedback.sqlite3"
    store = FeedbackStore(path)
    assert not path.exists()
    assert store.summary()["entries"] == []  # reading creates nothing
    assert not path.exists()
    row = store.add("nginx", entry_id="streaming-nginx", helpful=True, kind="vote", lang="ko")
    assert row == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    [stored] = store.rows()
    assert stored["entry_id"] == "streaming-nginx" and stored["helpful"] == 1
    assert stored["lang"] == "ko" and stored["kind"] == "vote" and stored["created_at"]


def test_summary_counts_votes_and_missing_answers(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
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
def test_bad_feedback_is_refused(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(QueryError, match=message):
        store.add(**kwargs)  # type: ignore[arg-type]
    assert store.rows() == []


def test_limits_are_inclusive(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add("x" * 1000, kind="missing-answer", comment="c" * 2000)
    assert len(store.rows()) == 1


def test_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite3"

    def write(n: int) -> None:
        store = FeedbackStore(path)
        for _i in range(20):
            store.add(f"q{n}", entry_id="proxy", helpful=n % 2 == 0)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert FeedbackStore(path).summary()["votes"] == 80


def test_faq_feedback_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "faq.toml").write_text('feedback_db = "fb.sqlite3"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    empty = runner.invoke(cli, ["feedback"])
    assert empty.exit_code == 0 and "No feedback yet." in empty.output
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.add("q", entry_id="proxy", helpful=False)
    store.add("where is the moon?", kind="missing-answer")
    text = runner.invoke(cli, ["feedback"])
    assert text.exit_code == 0
    assert "proxy" in text.output and "where is the moon?" in text.output
    as_json = runner.invoke(cli, ["feedback", "--json"])
    assert json.loads(as_json.output)["entries"] == [{"id": "proxy", "helpful": 0, "unhelpful": 1}]
