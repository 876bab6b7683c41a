"""The /api routes: thin; they validate input, call the service or the feedback store."""

from __future__ import annotations

import functools
import logging
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from faq.api.deps import (
    DatabaseDep,
    FeedbackDep,
    QueryLogDep,
    ServiceDep,
    SettingsDep,
    limit_feedback,
    limit_search,
    search_limiter,
)
from faq.api.schemas import (
    ID_PATTERN,
    MAX_ID_CHARS,
    EntryResponse,
    FeedbackIn,
    FeedbackOut,
    HealthResponse,
    LanguagesResponse,
    LiveResponse,
    Problem,
    ReadyResponse,
    SearchResponse,
)
from faq.errors import DatabaseError, NotFoundError, QueryError
from faq.i18n import _
from faq.text import MAX_K, MAX_QUERY_CHARS

router = APIRouter()
log = logging.getLogger("faq.api")

_BAD_INPUT: dict[int | str, dict[str, Any]] = {422: {"model": Problem, "description": "Bad input"}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such entry"}
}
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "No usable index"}
}
_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {
        "model": Problem,
        "description": "Too many requests from this client; see Retry-After",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
    }
}
_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Request body that is not UTF-8"},
    413: {"model": Problem, "description": "Request body over 16 KiB"},
}
_STORE_BUSY: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "The feedback could not be stored; try again"}
}

Lang = Annotated[
    str | None,
    Query(
        description="Reader's language, one of the configured languages (default: the "
        "question's language for a search, the default language for an entry).",
        max_length=16,
    ),
]


@router.get(
    "/search",
    response_model=SearchResponse,
    responses={**_BAD_INPUT, **_LIMITED},
    summary="Answer a question",
    dependencies=[Depends(limit_search)],
)
async def search(
    request: Request,
    service: ServiceDep,
    query_log: QueryLogDep,
    q: Annotated[
        str,
        Query(
            description=f"The question, in any language: 1-{MAX_QUERY_CHARS} characters after "
            "trimming."
        ),
    ],
    lang: Lang = None,
    k: Annotated[
        int | None, Query(ge=1, le=MAX_K, description=f"How many entries (1-{MAX_K}).")
    ] = None,
) -> JSONResponse:
    """The entries that best answer `q`, best first, with `answered: false` when none is good
    enough. The same ranking and JSON as `faq search --json`."""
    # In a few threads, not on the event loop: a long question costs tens of milliseconds of
    # embedding, during which pages and other clients would wait (issue #12); the limiters keep
    # a flood of them to one thread, apart from short questions (see search_limiter). The dict
    # goes out as is (response_model documents it): the same JSON as the CLI, without a second
    # validation (see bench/http_load.py).
    snapshot = service.snapshot()  # one index answers, even if a new build lands meanwhile
    result = await anyio.to_thread.run_sync(
        functools.partial(service.search, q, lang=lang, k=k, snapshot=snapshot),
        limiter=search_limiter(request, q),
    )
    body = result.as_dict()
    search_id = query_log.new_search_id()  # None unless log_queries
    if search_id is not None:
        query_log.record(result, k, snapshot.name, search_id)  # queued: never waits, never fails
        body["search_id"] = search_id
    return JSONResponse(body, headers={"X-Faq-Index": snapshot.name})


@router.get(
    "/entries/{entry_id}",
    response_model=EntryResponse,
    responses={**_BAD_INPUT, **_NOT_FOUND},
    summary="One entry",
)
async def entry(
    service: ServiceDep,
    entry_id: Annotated[
        str, Path(pattern=ID_PATTERN, max_length=MAX_ID_CHARS, description="The entry's id.")
    ],
    lang: Lang = None,
) -> dict[str, Any]:
    """The entry in `lang` (else in its source language, with `fallback: true`): title, answer
    as HTML, section, tags, related ids, the languages it exists in, staleness."""
    return service.entry(entry_id, lang).as_dict()


@functools.cache
def _languages(codes: tuple[str, ...], default: str) -> dict[str, Any]:
    from faq.site import language_name

    return {
        "default": default,
        "languages": [
            {"code": c, "name": language_name(c), "default": c == default} for c in codes
        ],
    }


@router.get("/languages", response_model=LanguagesResponse, summary="The configured languages")
async def languages(settings: SettingsDep) -> dict[str, Any]:
    return _languages(settings.languages, settings.default_language)


@router.get(
    "/health", response_model=HealthResponse, responses=_UNAVAILABLE, summary="Index metadata"
)
async def health(service: ServiceDep) -> dict[str, Any]:
    """What is being served: embedder, number of entries, languages, build time."""
    return service.health().as_dict()


@router.get("/health/live", response_model=LiveResponse, summary="Liveness: the process answers")
async def live() -> dict[str, Any]:
    """For a load balancer or an orchestrator: 200 while this process serves requests. Checks
    nothing else (restarting a process does not bring a database back)."""
    return {"status": "ok"}


@router.get(
    "/health/ready",
    response_model=ReadyResponse,
    responses={503: {"model": Problem, "description": "Not ready: no index or no database"}},
    summary="Readiness: index loaded and database reachable",
)
async def ready(service: ServiceDep, database: DatabaseDep) -> JSONResponse:
    """200 when an index is loaded and the database answers (and has the current schema), else
    503 with a `detail` saying which is missing."""
    try:
        await anyio.to_thread.run_sync(database.ping)
    except DatabaseError as exc:
        log.warning("not ready: %s", exc)  # which server and why: for the server log only
        return JSONResponse(
            {"detail": _("not ready: the database is unavailable")}, status_code=503
        )
    return JSONResponse({"status": "ready", "index": service.snapshot().name, "database": "ok"})


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackOut,
    responses={**_BAD_INPUT, **_LIMITED, **_TOO_LARGE, **_STORE_BUSY},
    summary="Vote on an answer or report a missing one",
    dependencies=[Depends(limit_feedback)],
)
def feedback(body: FeedbackIn, service: ServiceDep, store: FeedbackDep) -> dict[str, Any]:
    """`kind: "vote"` needs `entry_id` and `helpful`; `kind: "missing-answer"` needs `query`."""
    if body.entry_id is not None:
        try:
            service.entry_for(body.entry_id, service.settings.default_language)
        except NotFoundError as exc:
            raise QueryError(str(exc)) from None
    lang = service.check_lang(body.lang)
    row = store.add(
        body.query,
        entry_id=body.entry_id,
        helpful=body.helpful,
        comment=body.comment,
        kind=body.kind,
        lang=lang,
        search_id=body.search_id,
    )
    return {"ok": True, "id": row}
