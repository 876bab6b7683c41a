"""The query log: off unless `log_queries`; then one JSON line per API search, on local disk."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from faq.config import Settings
from faq.models import SearchResult

FILE_NAME = "queries.jsonl"
log = logging.getLogger("faq.querylog")


class QueryLog:
    """Appends what was asked and what was answered, never who asked (no address, no header).

    Each record is one write() on a file opened with O_APPEND, so the lines of several worker
    processes never interleave."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLog:
        """The log beside the feedback database when `log_queries` is on, else a no-op."""
        if not settings.log_queries:
            return cls(None)
        return cls(settings.path("feedback_db").parent / FILE_NAME)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def record(self, result: SearchResult, k: int | None, index: str) -> None:
        """Append one search; an unwritable log is reported in the server log, never to the
        reader (the answer matters more than its record)."""
        if self.path is None:
            return
        top = result.results[0] if result.results else None
        line = json.dumps(
            {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "query": result.query,
                "lang": result.lang,
                "k": k,
                "answered": result.answered,
                "top": top.id if top else None,
                "score": round(top.score, 4) if top else None,
                "index": index,
            },
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as exc:
            log.warning("could not write the query log %s: %s", self.path, exc)
