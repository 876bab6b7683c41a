"""Readers' feedback (votes and missing-answer reports) in one SQLite file, WAL mode."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Literal

from faq.errors import FeedbackError, QueryError
from faq.i18n import _, format_number
from faq.text import MAX_COMMENT_CHARS, MAX_QUERY_CHARS, clean_text

KINDS = ("vote", "missing-answer")
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's write to finish
Kind = Literal["vote", "missing-answer"]

_SCHEMA = """
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


class FeedbackStore:
    """Append-only feedback table; one short connection per call, so any thread or process may
    write (SQLite's WAL journal lets readers and one writer work at the same time).

    Durability: synchronous=FULL makes every acknowledged write survive a crash of the server
    and of the machine (NORMAL would survive a killed process but may lose the last commits on
    power loss); it costs one fsync per vote, nothing at the rate readers vote. Writers of one
    process queue on a lock; other processes wait up to BUSY_TIMEOUT_S for the write lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False
        self._write_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        conn.execute("PRAGMA synchronous=FULL")
        if not self._ready:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            self._ready = True
        return conn

    def add(
        self,
        query: str,
        entry_id: str | None = None,
        helpful: bool | None = None,
        comment: str | None = None,
        kind: str = "vote",
        lang: str | None = None,
    ) -> int:
        """Store one piece of feedback; returns its row id. Raises QueryError on bad input."""
        query = clean_text(query)
        comment = clean_text(comment or "") or None
        if kind not in KINDS:
            raise QueryError(_("kind must be one of {kinds}").format(kinds=", ".join(KINDS)))
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(
                _("the question is too long ({length} characters, at most {max})").format(
                    length=len(query), max=MAX_QUERY_CHARS
                )
            )
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            raise QueryError(
                _("the comment is too long ({length} characters, at most {max})").format(
                    length=len(comment), max=MAX_COMMENT_CHARS
                )
            )
        if kind == "vote" and (not entry_id or helpful is None):
            raise QueryError(_("a vote needs an entry_id and helpful: true or false"))
        if kind == "missing-answer" and not query:
            raise QueryError(_("a missing-answer report needs the question"))
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        try:
            row = self._insert(created, kind, query, entry_id, helpful, comment, lang)
        except (sqlite3.Error, OSError) as exc:
            raise FeedbackError(
                _("the feedback could not be stored ({error}); try again").format(error=exc)
            ) from None
        return row

    def _insert(
        self,
        created: str,
        kind: str,
        query: str,
        entry_id: str | None,
        helpful: bool | None,
        comment: str | None,
        lang: str | None,
    ) -> int:
        with self._write_lock, closing(self._connect()) as conn, conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, kind, query, entry_id, helpful, comment, lang)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    kind,
                    query,
                    entry_id,
                    None if helpful is None else int(helpful),
                    comment,
                    lang,
                ),
            )
            row = cursor.lastrowid
        assert row is not None
        return row

    def rows(self) -> list[dict[str, Any]]:
        """Every stored row, oldest first."""
        if not self.path.is_file():
            return []
        with closing(self._connect()) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM feedback ORDER BY id")]

    def summary(self) -> dict[str, Any]:
        """Votes per entry (most unhelpful first) and missing-answer queries (most asked first)."""
        empty: dict[str, Any] = {"votes": 0, "reports": 0, "entries": [], "missing_answers": []}
        if not self.path.is_file():
            return empty
        with closing(self._connect()) as conn:
            entries = conn.execute(
                "SELECT entry_id, SUM(helpful = 1), SUM(helpful = 0) FROM feedback"
                " WHERE kind = 'vote' AND entry_id IS NOT NULL"
                " GROUP BY entry_id ORDER BY SUM(helpful = 0) DESC, entry_id"
            ).fetchall()
            missing = conn.execute(
                "SELECT lower(query), COUNT(*), MAX(created_at), GROUP_CONCAT(DISTINCT lang)"
                " FROM feedback WHERE kind = 'missing-answer'"
                " GROUP BY lower(query) ORDER BY COUNT(*) DESC, MAX(created_at) DESC"
            ).fetchall()
        votes = [
            {"id": e, "helpful": int(up or 0), "unhelpful": int(down or 0)}
            for e, up, down in entries
        ]
        reports = [
            {
                "query": q,
                "count": int(n),
                "last": last,
                "languages": sorted(set((langs or "").split(",")) - {""}),
            }
            for q, n, last, langs in missing
        ]
        return {
            "votes": sum(v["helpful"] + v["unhelpful"] for v in votes),
            "reports": sum(r["count"] for r in reports),
            "entries": votes,
            "missing_answers": reports,
        }


def render_summary(summary: dict[str, Any]) -> str:
    """The summary as text for `faq feedback`."""
    if not summary["entries"] and not summary["missing_answers"]:
        return _("No feedback yet.")
    lines: list[str] = []
    if summary["entries"]:
        lines.append(
            _("Votes per entry ({count} votes):").format(count=format_number(summary["votes"]))
        )
        # TRANSLATORS: column headings of `faq feedback`: entry id, votes up, votes down
        entry, helpful, unhelpful = _("entry"), _("helpful"), _("not helpful")
        width = max(len(entry), *(len(e["id"]) for e in summary["entries"]))
        lines.append(f"  {entry:<{width}}  {helpful:>8}  {unhelpful:>11}")
        for e in summary["entries"]:
            lines.append(f"  {e['id']:<{width}}  {e['helpful']:>8}  {e['unhelpful']:>11}")
    if summary["missing_answers"]:
        if lines:
            lines.append("")
        lines.append(
            _("Questions without a good answer ({count} reports):").format(
                count=format_number(summary["reports"])
            )
        )
        for r in summary["missing_answers"]:
            langs = f" [{', '.join(r['languages'])}]" if r["languages"] else ""
            lines.append(f"  {r['count']:>4} × {r['query']}{langs}")
    return "\n".join(lines)
