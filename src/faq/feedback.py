"""Readers' feedback (votes and missing-answer reports) in the database (faq.db), its text
scrubbed of secrets and personal data (faq.scrub) before it is stored."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Literal

from faq.db import Database
from faq.errors import DatabaseError, FeedbackError, QueryError
from faq.i18n import _, format_number
from faq.logthrottle import ThrottledLog
from faq.querylog import is_search_id
from faq.scrub import scrub
from faq.text import MAX_COMMENT_CHARS, MAX_QUERY_CHARS, clean_text

_warn = ThrottledLog(logging.getLogger("faq.feedback"), interval=10.0)
KINDS = ("vote", "missing-answer")
Kind = Literal["vote", "missing-answer"]


class FeedbackStore:
    """Append-only feedback table in SQLite or PostgreSQL (see faq.db for what an
    acknowledged write survives). `FeedbackStore(path)` is the SQLite file at `path`."""

    def __init__(self, database: Database | Path | str) -> None:
        if isinstance(database, Path):
            database = Database(f"sqlite:///{database}")
        elif isinstance(database, str):
            database = Database(database)
        self.database = database

    def add(
        self,
        query: str,
        entry_id: str | None = None,
        helpful: bool | None = None,
        comment: str | None = None,
        kind: str = "vote",
        lang: str | None = None,
        search_id: str | None = None,
    ) -> int:
        """Store one piece of feedback; returns its row id. `query` and `comment` are stored
        scrubbed; `search_id` must look like QueryLog.new_search_id's. Raises QueryError on bad
        input, FeedbackError when the database cannot take it (the client may try again)."""
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
        if search_id is not None and not is_search_id(search_id):
            raise QueryError(_("search_id must be 32 lower-case hexadecimal digits"))
        query = scrub(query)
        comment = scrub(comment) if comment is not None else None
        from faq.migrations import feedback

        row = {
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "kind": kind,
            "query": query,
            "entry_id": entry_id,
            "helpful": None if helpful is None else int(helpful),
            "comment": comment,
            "lang": lang,
            "search_id": search_id,
        }
        try:
            with self.database.write() as conn:
                key = conn.execute(feedback.insert(), row).inserted_primary_key
        except DatabaseError as exc:
            # the details (which server, why) are for the server log, not for readers
            _warn.warning("feedback", "feedback not stored: %s", exc)
            raise FeedbackError(
                _("the feedback could not be stored (the database is unavailable); try again")
            ) from None
        assert key is not None
        return int(key[0])

    def rows(self) -> list[dict[str, Any]]:
        """Every stored row, oldest first (raises DatabaseError)."""
        if not self.database.exists:
            return []
        import sqlalchemy as sa

        from faq.migrations import feedback

        with self.database.read() as conn:
            result = conn.execute(sa.select(feedback).order_by(feedback.c.id))
            return [dict(r._mapping) for r in result]

    def summary(self) -> dict[str, Any]:
        """Votes per entry (most unhelpful first) and missing-answer queries (most asked first,
        case-insensitive). Raises DatabaseError."""
        empty: dict[str, Any] = {"votes": 0, "reports": 0, "entries": [], "missing_answers": []}
        if not self.database.exists:
            return empty
        import sqlalchemy as sa

        from faq.migrations import feedback as t

        up = sa.func.sum(sa.case((t.c.helpful == 1, 1), else_=0))
        down = sa.func.sum(sa.case((t.c.helpful == 0, 1), else_=0))
        with self.database.read() as conn:
            entries = conn.execute(
                sa.select(t.c.entry_id, up, down)
                .where(t.c.kind == "vote", t.c.entry_id.is_not(None))
                .group_by(t.c.entry_id)
                .order_by(down.desc(), t.c.entry_id)
            ).all()
            missing = conn.execute(
                sa.select(t.c.query, t.c.lang, sa.func.count(), sa.func.max(t.c.created_at))
                .where(t.c.kind == "missing-answer")
                .group_by(t.c.query, t.c.lang)
            ).all()
        votes = [{"id": e, "helpful": int(u or 0), "unhelpful": int(d or 0)} for e, u, d in entries]
        # grouped here, not in SQL: one lower-casing (Unicode) on SQLite and PostgreSQL alike
        grouped: dict[str, dict[str, Any]] = {}
        for query, lang, count, last in missing:
            key = query.lower()
            report = grouped.setdefault(
                key, {"query": key, "count": 0, "last": "", "languages": set()}
            )
            report["count"] += int(count)
            report["last"] = max(report["last"], last or "")
            if lang:
                report["languages"].add(lang)
        reports = sorted(grouped.values(), key=lambda r: (r["last"], r["query"]), reverse=True)
        reports.sort(key=lambda r: r["count"], reverse=True)
        for r in reports:
            r["languages"] = sorted(r["languages"])
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
