"""/api/admin: what an operator may do over HTTP, behind the admin token (off by default)."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Query

from faq.api.deps import DatabaseDep, FeedbackDep, ServiceDep, require_admin
from faq.api.schemas import FeedbackExport, GapsResponse, Problem, ReloadResponse, StatsResponse

_GUARDED: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "Bad input"},
    401: {"model": Problem, "description": "No or wrong admin token"},
    403: {"model": Problem, "description": "Administration is disabled (no admin_token set)"},
    429: {
        "model": Problem,
        "description": "Too many admin requests or wrong tokens from this client; see Retry-After",
    },
}
_DATABASE: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "The database is unavailable"},
}
Since = Annotated[
    str,
    Query(
        max_length=8,
        description="The period: a number and h, d or w (`12h`, `30d`, `2w`).",
    ),
]
Lang = Annotated[
    str | None,
    Query(max_length=16, description="Only readers of this language (default: all)."),
]

router = APIRouter(dependencies=[Depends(require_admin)], responses=_GUARDED)


@router.get("/feedback", response_model=FeedbackExport, summary="Export readers' feedback")
def feedback_export(
    store: FeedbackDep,
    rows: Annotated[bool, Query(description="Also every stored row, oldest first.")] = False,
) -> dict[str, Any]:
    """The summary `faq feedback --json` prints (votes per entry, missing answers), and with
    `rows=true` every row."""
    return {"summary": store.summary(), "rows": store.rows() if rows else None}


@router.post("/reload", response_model=ReloadResponse, summary="Load a new build now")
async def reload(service: ServiceDep) -> dict[str, Any]:
    """Check for a newly built index at once (the server also checks every second); a broken
    build is not loaded, the current index keeps serving, and `refused` says why."""
    changed = await anyio.to_thread.run_sync(service.reload_if_changed)
    return {"reloaded": changed, "index": service.snapshot().name, "refused": service.refused}


@router.get(
    "/gaps",
    response_model=GapsResponse,
    responses=_DATABASE,
    summary="What readers asked and didn't find",
)
async def gaps(
    service: ServiceDep, database: DatabaseDep, since: Since = "30d", lang: Lang = None
) -> dict[str, Any]:
    """The report of `faq gaps --json`: topics of unanswered searches, down-votes and
    missing-answer reports since `since`, largest first, each with a suggestion (in the
    request's language: `?lang=` or Accept-Language)."""
    from faq.gaps_report import gap_report

    def run() -> dict[str, Any]:
        return gap_report(service, database, since, lang).as_dict()

    return await anyio.to_thread.run_sync(run)


@router.get(
    "/stats",
    response_model=StatsResponse,
    responses=_DATABASE,
    summary="Searches and answered rate per day and language",
)
async def stats(
    service: ServiceDep, database: DatabaseDep, since: Since = "30d", lang: Lang = None
) -> dict[str, Any]:
    """Logged searches since `since` per day (UTC) and reader language: how many, how many
    answered."""
    from faq.gaps_report import stats as compute

    def run() -> dict[str, Any]:
        return dict(compute(service, database, since, lang))

    return await anyio.to_thread.run_sync(run)
