"""The query log: off unless `log_queries`; then every API search becomes a row of the
database's `queries` table (the question scrubbed of secrets and personal data first, see
faq.scrub), written in batches by one background thread per process."""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import deque
from typing import Any

from faq.config import Settings
from faq.db import Database
from faq.errors import DatabaseError
from faq.logthrottle import ThrottledLog
from faq.models import SearchResult
from faq.scrub import scrub

log = logging.getLogger("faq.querylog")
MAX_PENDING = 10_000  # searches waiting for the writer; past it (database down) they are dropped
BATCH = 500
SEARCH_ID_PATTERN = r"^[0-9a-f]{32}$"  # what new_search_id makes; feedback must match it


def is_search_id(value: str) -> bool:
    """True for the shape of a `new_search_id`."""
    return re.fullmatch(SEARCH_ID_PATTERN, value) is not None


class QueryLog:
    """Stores what was asked and what was answered, never who asked (no address, no header).

    A search never waits for the database and never fails because of it: `record` queues the
    row, a writer thread inserts the queue in one transaction per batch. While the database is
    down the rows of a failed batch are dropped and the server log says so (once a minute); the
    rows still queued at a `kill -9` are lost (feedback, unlike this log, is written before the
    answer)."""

    def __init__(self, database: Database | None, *, max_pending: int = MAX_PENDING) -> None:
        self.database = database
        self.max_pending = max_pending
        self._pending: deque[dict[str, Any]] = deque()
        self._busy = 0  # rows taken by the writer, not yet written or dropped
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._warn = ThrottledLog(log)
        self.dropped = 0

    @classmethod
    def from_settings(cls, settings: Settings, database: Database | None = None) -> QueryLog:
        """The log into the configured database when `log_queries` is on, else a no-op."""
        if not settings.log_queries:
            return cls(None)
        return cls(database or Database.from_settings(settings))

    @property
    def enabled(self) -> bool:
        return self.database is not None

    def new_search_id(self) -> str | None:
        """A random id for one search (32 hex digits), None when nothing is logged: the reader
        sends it back with a vote or a report, which links them to the search."""
        return secrets.token_hex(16) if self.enabled else None

    def record(
        self, result: SearchResult, k: int | None, index: str, search_id: str | None = None
    ) -> None:
        """Queue one search for the database (returns at once). The question is scrubbed
        here, before it is queued; the result's confidence is kept with its first hit."""
        if self.database is None:
            return
        results: list[dict[str, Any]] = [
            {"id": hit.id, "score": round(hit.score, 4)} for hit in result.results
        ]
        if results:  # how sure the ranking is of its first answer (faq.search's confidence)
            results[0]["confidence"] = round(result.confidence, 4)
        row = {
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "search_id": search_id,
            "query": scrub(result.query),
            "lang": result.lang,
            "answered": result.answered,
            "k": k,
            "index_name": index,
            "top_id": results[0]["id"] if results else None,
            "top_score": results[0]["score"] if results else None,
            "results": results,
        }
        with self._cond:
            if self._closed:
                return
            if len(self._pending) >= self.max_pending:
                self.dropped += 1
                self._warn.warning(
                    "full", "query log: %d searches waiting, dropping", self.max_pending
                )
                return
            self._pending.append(row)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="faq-querylog", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending:
                    return
                batch = [self._pending.popleft() for _ in range(min(BATCH, len(self._pending)))]
                self._busy = len(batch)
            self._write(batch)
            with self._cond:
                self._busy = 0
                self._cond.notify_all()

    def _write(self, batch: list[dict[str, Any]]) -> None:
        from faq.migrations import queries

        assert self.database is not None
        try:
            with self.database.write() as conn:
                conn.execute(queries.insert(), batch)
        except DatabaseError as exc:
            self.dropped += len(batch)
            self._warn.warning("down", "query log: %d searches not stored: %s", len(batch), exc)
        except Exception:  # never let the writer die: the next batch may well work
            self.dropped += len(batch)
            log.exception("query log: %d searches not stored", len(batch))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued search is written (or dropped); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the writer (at shutdown)."""
        self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
