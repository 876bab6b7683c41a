"""/api/admin: what an operator may do over HTTP, behind the admin token (off by default)."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Query

from faq.api.deps import FeedbackDep, ServiceDep, require_admin
from faq.api.schemas import FeedbackExport, Problem, ReloadResponse

_GUARDED: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "Bad input"},
    401: {"model": Problem, "description": "No or wrong admin token"},
    403: {"model": Problem, "description": "Administration is disabled (no admin_token set)"},
    429: {
        "model": Problem,
        "description": "Too many admin requests or wrong tokens from this client; see Retry-After",
    },
}

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
