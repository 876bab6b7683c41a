"""The data faq works on: entries, problems and search results, as frozen dataclasses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from faq.i18n import _

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Entry:
    """One FAQ entry in one language."""

    id: str
    lang: str
    section: str
    title: str
    body: str
    questions: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    translated_from: str | None = None
    source_hash: str | None = None
    path: str = ""
    # line numbers (1-based) of front-matter keys and list items, for problems
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    body_line: int = 1

    @property
    def content_hash(self) -> str:
        """The hash a translation records of its source: title and answer, normalised."""
        return content_hash(self.title, self.body)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def content_hash(title: str, body: str) -> str:
    """16 hex digits of SHA-256 over the title and the answer, whitespace-normalised."""
    text = title.strip() + "\n\n" + "\n".join(line.rstrip() for line in body.strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Problem:
    """One finding of the loader or the validator, at `path:line`."""

    path: str
    line: int
    message: str
    severity: Severity = "error"
    rule: str = ""

    def __str__(self) -> str:
        message = self.message
        if self.severity == "warning":
            message = _("warning: {message}").format(message=message)
        return f"{self.path}:{self.line}: {message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass(frozen=True)
class SearchHit:
    """One entry in a ranked answer."""

    id: str
    lang: str
    title: str
    score: float
    url: str
    snippet: str
    section: str = ""
    fallback: bool = False  # shown in its source language: no translation in the reader's

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "title": self.title,
            "score": round(self.score, 4),
            "url": self.url,
            "snippet": self.snippet,
        }
        if self.fallback:
            out["fallback"] = True
        return out


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query: ranked hits, whether the best one is good enough, and how sure
    the ranking is of it (`confidence`)."""

    query: str
    lang: str
    answered: bool
    results: tuple[SearchHit, ...]
    # P(the first hit answers the query), in [0, 1]: calibrated by `faq build` (faq.calibrate);
    # `answered` is `confidence >= threshold`. Independent of the hits' scores.
    confidence: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "lang": self.lang,
            "answered": self.answered,
            "confidence": round(self.confidence, 4),
            "results": [hit.as_dict() for hit in self.results],
        }


@dataclass(frozen=True)
class EntryPage:
    """One entry as a page shows it (`FaqService.entry`, `GET /api/entries/{id}`)."""

    id: str
    lang: str  # the language it is shown in
    fallback: bool  # True: no version in the asked language, shown in its source language
    title: str
    section: str
    html: str  # the answer, rendered and sanitised
    url: str
    tags: tuple[str, ...]
    related: tuple[str, ...]
    languages: tuple[str, ...]  # the languages the entry exists in
    translated_from: str | None
    stale: bool  # a translation whose source changed since it was stamped

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "fallback": self.fallback,
            "title": self.title,
            "section": self.section,
            "html": self.html,
            "url": self.url,
            "tags": list(self.tags),
            "related": list(self.related),
            "languages": list(self.languages),
            "translated_from": self.translated_from,
            "stale": self.stale,
        }


@dataclass(frozen=True)
class Health:
    """What is being served (`FaqService.health`, `GET /api/health`)."""

    embedder: str | None
    entries: int | None  # distinct entry ids
    documents: int | None  # entry files over all languages
    languages: tuple[str, ...]
    default_language: str
    built_at: str | None  # ISO 8601, UTC
    built_ago: str  # "3 days ago", in the current UI locale
    index: str  # the build folder's name
    status: str = "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "embedder": self.embedder,
            "entries": self.entries,
            "documents": self.documents,
            "languages": list(self.languages),
            "default_language": self.default_language,
            "built_at": self.built_at,
            "built_ago": self.built_ago,
            "index": self.index,
        }
