"""Response and request models of the API (what /api/docs shows)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from faq.querylog import SEARCH_ID_PATTERN
from faq.text import ID_PATTERN as _ID_PATTERN
from faq.text import MAX_COMMENT_CHARS, MAX_ID_LENGTH, MAX_QUERY_CHARS

ID_PATTERN = _ID_PATTERN.pattern
MAX_ID_CHARS = MAX_ID_LENGTH


class Problem(BaseModel):
    """Every error: one human-readable line, in the request's language."""

    detail: str


class SearchHit(BaseModel):
    id: str = Field(description="The entry's stable id.")
    lang: str = Field(description="The language the hit is shown in.")
    title: str
    score: float = Field(description="Fused relevance, 0-1.")
    url: str = Field(description="The entry's page, from the site root.")
    snippet: str
    fallback: bool | None = Field(
        default=None, description="Present and true when shown in its source language."
    )


class SearchResponse(BaseModel):
    """The same JSON as `faq search --json`."""

    query: str = Field(description="The question, whitespace-normalised.")
    lang: str = Field(description="The reader's language the hits are shown in.")
    answered: bool = Field(
        description="False: no good answer; the hits are the closest. True when `confidence` "
        "reaches the threshold calibrated by `faq build`."
    )
    confidence: float = Field(
        ge=0.0,
        le=1.0,
        description="Estimated probability (0-1) that the first hit answers the question, "
        "calibrated by `faq build` on questions made from the knowledge base, off-topic "
        "questions and gold questions. Unlike `score`, comparable across queries.",
    )
    results: list[SearchHit]
    search_id: str | None = Field(
        default=None,
        description="Present when the server logs queries (log_queries): send it back with "
        "feedback on this search.",
    )


class EntryResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    lang: str
    fallback: bool = Field(description="True when the entry has no version in the asked language.")
    title: str
    section: str
    html: str = Field(description="The answer, rendered as HTML.")
    url: str
    tags: list[str]
    related: list[str]
    languages: list[str] = Field(description="The languages the entry exists in.")
    translated_from: str | None
    stale: bool = Field(description="A translation whose source changed since.")


class Language(BaseModel):
    code: str
    name: str
    default: bool


class LanguagesResponse(BaseModel):
    default: str
    languages: list[Language]


class HealthResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: str
    embedder: str | None
    entries: int | None
    documents: int | None
    languages: list[str]
    default_language: str
    built_at: str | None
    index: str


class LiveResponse(BaseModel):
    status: str = Field(description="Always `ok`.")


class ReadyResponse(BaseModel):
    status: str = Field(description="Always `ready` (else a 503 with a `detail`).")
    index: str = Field(description="The index folder now serving.")
    database: str = Field(description="`ok`: the database answered.")


class FeedbackIn(BaseModel):
    """A vote on an answer, or a question the FAQ has no good answer for."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["vote", "missing-answer"]
    query: str = Field(
        default="", max_length=4 * MAX_QUERY_CHARS, description="The question asked."
    )
    entry_id: str | None = Field(default=None, pattern=ID_PATTERN, max_length=MAX_ID_CHARS)
    helpful: bool | None = None
    comment: str | None = Field(default=None, max_length=4 * MAX_COMMENT_CHARS)
    lang: str | None = Field(default=None, max_length=16)
    search_id: str | None = Field(
        default=None, pattern=SEARCH_ID_PATTERN, description="The search's `search_id`."
    )


class FeedbackOut(BaseModel):
    ok: bool = True
    id: int


class FeedbackExport(BaseModel):
    summary: dict[str, Any] = Field(description="As `faq feedback --json` prints it.")
    rows: list[dict[str, Any]] | None = Field(description="Every row, with `rows=true`.")


class ReloadResponse(BaseModel):
    reloaded: bool = Field(description="True when a new build was loaded.")
    index: str = Field(description="The index folder now serving.")
    refused: str | None = Field(
        default=None, description="Why the newest build was not loaded, if it was not."
    )


class GapTopic(BaseModel):
    readers: int = Field(description="Readers' gap signals in the topic.")
    languages: dict[str, int] = Field(description="Reader language → count.")
    kinds: dict[str, int] = Field(
        description="Signal kind (unanswered, unhelpful, missing, helpful) → count."
    )
    examples: list[str] = Field(description="Up to 5 typical questions (scrubbed).")
    questions: list[dict[str, str]] = Field(description="Every distinct `{lang, q}`.")
    nearest: str | None = Field(description="The entry that came nearest.")
    title: str | None = Field(description="Its title.")
    closeness: float = Field(description="Its best score for these questions, 0-1.")
    helpful_votes: int
    unhelpful_votes: int
    suggestion: Literal["add-questions", "review-entry", "new-entry"]
    advice: str = Field(description="The suggestion as a sentence, in the request's language.")


class GapsResponse(BaseModel):
    since: str = Field(description="Start of the period, ISO 8601 UTC.")
    lang: str | None
    log_queries: bool = Field(description="Whether searches are logged (else only feedback).")
    signals: int = Field(description="Signals read from the database.")
    topics: list[GapTopic] = Field(description="Largest first.")


class DayStat(BaseModel):
    day: str = Field(description="YYYY-MM-DD (UTC).")
    lang: str = Field(description="The reader's language, `?` when unknown.")
    questions: int
    answered: int


class StatsResponse(BaseModel):
    since: str = Field(description="Start of the period, ISO 8601 UTC.")
    lang: str | None
    log_queries: bool
    days: list[DayStat] = Field(description="Oldest day first.")
