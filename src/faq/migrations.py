"""The database's tables and their versions: numbered upgrade steps, run once, none losing a row.

Version 0 is a database faq never versioned: empty, or the SQLite file of faq 0.1 (a `feedback`
table only). The version lives in the one-row table `faq_schema`. Every step runs in one
transaction with the version bump, so a crash leaves the previous version whole; concurrent
processes (replicas starting together) take a lock first (PostgreSQL: an advisory lock; SQLite:
BEGIN IMMEDIATE), and the second one finds the work done.

1. `feedback` as faq 0.1 created it (a no-op on such a file).
2. `feedback.search_id` (which search a vote or report came from) and the `queries` table (the
   query log), into which an existing `queries.jsonl` beside `feedback_db` is imported; the file
   is then renamed `queries.jsonl.imported` (kept: it is the operator's data).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from faq.errors import DatabaseError
from faq.i18n import _

if TYPE_CHECKING:
    from faq.db import Database

log = logging.getLogger("faq.migrations")

LATEST = 2
PG_LOCK_KEY = 0x0FA0_0001  # pg_advisory_xact_lock: one process upgrades at a time
LEGACY_QUERY_LOG = "queries.jsonl"

metadata = sa.MetaData()

schema_version = sa.Table("faq_schema", metadata, sa.Column("version", sa.Integer, nullable=False))

# Dates are ISO 8601 UTC text, `2026-11-30T11:35:13Z` as faq 0.1 wrote them: they sort, compare
# (retention: created_at < cutoff) and cut into days (substr 1-10) the same way on both backends.
feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # "vote" | "missing-answer"
    sa.Column("query", sa.Text, nullable=False, server_default=""),
    sa.Column("entry_id", sa.Text),
    sa.Column("helpful", sa.Integer),  # 1 / 0 / NULL, as in faq 0.1's SQLite rows
    sa.Column("comment", sa.Text),
    sa.Column("lang", sa.Text),
    sa.Column("search_id", sa.Text),  # queries.search_id of the search it came from, if known
    sa.Index("feedback_entry", "entry_id"),
    sa.Index("feedback_search", "search_id"),
)

queries = sa.Table(
    "queries",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("search_id", sa.Text),  # returned to the reader, sent back with feedback
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("lang", sa.Text),  # the reader's language the answer was shown in
    sa.Column("answered", sa.Boolean, nullable=False),
    sa.Column("k", sa.Integer),  # as asked; NULL: top_k
    sa.Column("index_name", sa.Text),  # the build (index folder) that answered
    sa.Column("top_id", sa.Text),  # results[0], for grouping in SQL
    sa.Column("top_score", sa.Float),
    sa.Column("results", sa.JSON, nullable=False),  # [{"id": …, "score": …}], best first
    sa.Index("queries_created", "created_at"),
    sa.Index("queries_search", "search_id", unique=True),
)


def _step_1(conn: sa.Connection, db: Database) -> None:
    v1 = sa.MetaData()
    table = sa.Table(
        "feedback",
        v1,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False, server_default=""),
        sa.Column("entry_id", sa.Text),
        sa.Column("helpful", sa.Integer),
        sa.Column("comment", sa.Text),
        sa.Column("lang", sa.Text),
        sa.Index("feedback_entry", "entry_id"),
    )
    table.create(conn, checkfirst=True)  # with its index


def _step_2(conn: sa.Connection, db: Database) -> None:
    columns = {c["name"] for c in sa.inspect(conn).get_columns("feedback")}
    if "search_id" not in columns:
        conn.execute(sa.text("ALTER TABLE feedback ADD COLUMN search_id TEXT"))
    sa.Index("feedback_search", feedback.c.search_id).create(conn, checkfirst=True)
    queries.create(conn, checkfirst=True)
    legacy = db.legacy_query_log
    if legacy is not None and legacy.is_file():
        count = import_query_log(conn, legacy)
        db.imported.append(legacy)
        log.info("imported %d searches from %s into the queries table", count, legacy)


STEPS: dict[int, Callable[[sa.Connection, Database], None]] = {1: _step_1, 2: _step_2}


def import_query_log(conn: sa.Connection, path: Path) -> int:
    """Insert the records of faq 0.1's queries.jsonl (unreadable lines are skipped)."""
    rows: list[dict[str, Any]] = []
    with path.open("r", encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or not isinstance(record.get("query"), str):
                continue
            top, score = record.get("top"), record.get("score")
            results = [{"id": top, "score": score}] if isinstance(top, str) else []
            rows.append(
                {
                    "created_at": str(record.get("time") or ""),
                    "search_id": None,
                    "query": record["query"],
                    "lang": record.get("lang"),
                    "answered": bool(record.get("answered")),
                    "k": record.get("k") if isinstance(record.get("k"), int) else None,
                    "index_name": record.get("index"),
                    "top_id": top if isinstance(top, str) else None,
                    "top_score": float(score) if isinstance(score, int | float) else None,
                    "results": results,
                }
            )
    for start in range(0, len(rows), 1000):
        conn.execute(queries.insert(), rows[start : start + 1000])
    return len(rows)


def current_version(conn: sa.Connection) -> int:
    """The schema version of the database (0: never versioned by faq)."""
    if not sa.inspect(conn).has_table("faq_schema"):
        return 0
    value = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(value or 0)


def upgrade(db: Database, target: int = LATEST) -> int:
    """Bring the database to `target` (default: the latest); returns the version found.
    Raises DatabaseError when the database is newer than this faq."""
    with db.engine.connect() as conn:
        found = current_version(conn)
        conn.rollback()
    if found == target:
        return found
    with db.engine.connect() as conn:
        conn = conn.execution_options(faq_immediate=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_LOCK_KEY)))
            found = current_version(conn)  # another process may have done it meanwhile
            if found > LATEST:
                raise DatabaseError(
                    _(
                        "the database {url} has schema version {found}, newer than this faq "
                        "knows ({latest}): upgrade faq"
                    ).format(url=db.display_url, found=found, latest=LATEST)
                )
            for version in range(found + 1, target + 1):
                STEPS[version](conn, db)
            if target > found:
                schema_version.create(conn, checkfirst=True)
                conn.execute(schema_version.delete())
                conn.execute(schema_version.insert(), {"version": target})
    for path in db.imported:
        try:
            path.rename(path.with_name(path.name + ".imported"))
        except OSError as exc:  # imported all the same; the version says so
            log.warning("could not rename %s: %s", path, exc)
    db.imported.clear()
    if target > found:
        log.info("database %s upgraded from schema %d to %d", db.display_url, found, target)
    return found
