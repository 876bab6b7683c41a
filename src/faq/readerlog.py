"""Reading back what readers did, from the database: the gap signals of a period, the searches
per day and language, and the retention that deletes what is older than `query_log_days`.

Dates are the ISO 8601 UTC text faq.migrations stores (`2026-11-30T11:35:13Z`): a cutoff is
the same text, compared as text on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TypedDict

from faq.db import Database
from faq.errors import QueryError
from faq.gaps import Signal
from faq.i18n import _

log = logging.getLogger("faq.readerlog")

PURGE_INTERVAL_S = 3600.0  # the server deletes old rows at most this often
_SINCE = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_since(text: str) -> timedelta:
    """`30d`, `12h`, `2w` → a duration (at least one hour). Raises QueryError otherwise."""
    match = _SINCE.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise QueryError(
            _("invalid period {value!r}: use a number and h, d or w, e.g. 12h, 30d, 2w").format(
                value=text
            )
        )
    return timedelta(hours=int(match.group(1)) * _UNIT_HOURS[match.group(2)])


def stamp(moment: datetime) -> str:
    """A datetime as the stored text (UTC)."""
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def cutoff(period: timedelta, now: datetime | None = None) -> str:
    """The stored-text time `period` before `now` (default: the current time)."""
    return stamp((now or datetime.now(UTC)) - period)


def load_signals(database: Database, since: str, lang: str | None = None) -> list[Signal]:
    """The gap signals stored at or after `since`, oldest first: unanswered searches,
    unhelpful and helpful votes, missing-answer reports; one reader language or all.

    A search that the reader also reported or down-voted (same `search_id`) counts once, as
    the feedback. Raises DatabaseError."""
    if not database.exists:
        return []
    import sqlalchemy as sa

    from faq.migrations import feedback, queries

    fb_where = [feedback.c.created_at >= since]
    q_where = [queries.c.created_at >= since, queries.c.answered.is_(False)]
    if lang:
        fb_where.append(feedback.c.lang == lang)
        q_where.append(queries.c.lang == lang)
    with database.read() as conn:
        fb_rows = conn.execute(
            sa.select(
                feedback.c.created_at,
                feedback.c.kind,
                feedback.c.query,
                feedback.c.entry_id,
                feedback.c.helpful,
                feedback.c.lang,
                feedback.c.search_id,
            )
            .where(*fb_where)
            .order_by(feedback.c.created_at, feedback.c.id)
        ).all()
        q_rows = conn.execute(
            sa.select(queries.c.created_at, queries.c.query, queries.c.lang, queries.c.search_id)
            .where(*q_where)
            .order_by(queries.c.created_at, queries.c.id)
        ).all()
    signals: list[Signal] = []
    reported: set[str] = set()
    for at, kind, query, entry_id, helpful, row_lang, search_id in fb_rows:
        if kind == "missing-answer":
            signal = Signal(query, row_lang, "missing", None, at)
        elif helpful is None or not query:
            continue  # a vote without its question cannot be grouped
        else:
            signal = Signal(query, row_lang, "helpful" if helpful else "unhelpful", entry_id, at)
        if signal.kind != "helpful" and search_id:
            reported.add(search_id)
        signals.append(signal)
    for at, query, row_lang, search_id in q_rows:
        if search_id is None or search_id not in reported:
            signals.append(Signal(query, row_lang, "unanswered", None, at))
    signals.sort(key=lambda s: s.at)
    return signals


class DayStats(TypedDict):
    """Searches of one day (UTC) in one reader language."""

    day: str  # YYYY-MM-DD
    lang: str  # "?" when unknown
    questions: int
    answered: int


def daily_stats(database: Database, since: str, lang: str | None = None) -> list[DayStats]:
    """Searches per day and reader language since `since`, oldest day first. Raises
    DatabaseError."""
    if not database.exists:
        return []
    import sqlalchemy as sa

    from faq.migrations import queries as t

    day = sa.func.substr(t.c.created_at, 1, 10)
    answered = sa.func.sum(sa.case((t.c.answered.is_(True), 1), else_=0))
    where = [t.c.created_at >= since]
    if lang:
        where.append(t.c.lang == lang)
    with database.read() as conn:
        rows = conn.execute(
            sa.select(day, t.c.lang, sa.func.count(), answered)
            .where(*where)
            .group_by(day, t.c.lang)
            .order_by(day, t.c.lang)
        ).all()
    return [
        {"day": d, "lang": row_lang or "?", "questions": int(n), "answered": int(a or 0)}
        for d, row_lang, n, a in rows
    ]


def purge(database: Database, days: int, now: datetime | None = None) -> int:
    """Delete the searches and the feedback older than `days` days (0: nothing is deleted);
    returns how many rows went. Raises DatabaseError."""
    if days <= 0 or not database.exists:
        return 0
    from faq.migrations import feedback, queries

    limit = cutoff(timedelta(days=days), now)
    with database.write() as conn:
        gone = conn.execute(queries.delete().where(queries.c.created_at < limit)).rowcount
        gone += conn.execute(feedback.delete().where(feedback.c.created_at < limit)).rowcount
    return int(gone)


class Retention:
    """`query_log_days` for a server: `maybe_purge` deletes old rows at most once per
    `interval` seconds (monotonic clock), never raising (a database that is down is logged)."""

    def __init__(self, database: Database, days: int, interval: float = PURGE_INTERVAL_S):
        self.database = database
        self.days = days
        self.interval = interval
        self._last: float | None = None
        self._lock = threading.Lock()

    def maybe_purge(self) -> int:
        if self.days <= 0:
            return 0
        with self._lock:
            now = time.monotonic()
            if self._last is not None and now - self._last < self.interval:
                return 0
            self._last = now
        try:
            gone = purge(self.database, self.days)
        except Exception as exc:  # the next hour may work; searching goes on meanwhile
            log.warning("retention: old searches not deleted: %s", exc)
            return 0
        if gone:
            log.info("retention: deleted %d rows older than %d days", gone, self.days)
        return gone
