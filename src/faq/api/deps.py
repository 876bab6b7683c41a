"""Request dependencies: what the app and its lifespan put on app.state (async: no thread hop)."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from faq.api.guard import RateLimiter, check_admin, search_cost
from faq.config import Settings
from faq.db import Database
from faq.errors import UnauthorizedError
from faq.feedback import FeedbackStore
from faq.querylog import QueryLog
from faq.service import FaqService


async def get_service(request: Request) -> FaqService:
    service: FaqService = request.app.state.service
    return service


async def get_feedback(request: Request) -> FeedbackStore:
    store: FeedbackStore = request.app.state.feedback
    return store


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_query_log(request: Request) -> QueryLog:
    query_log: QueryLog = request.app.state.query_log
    return query_log


# Searches embedding at once per worker, in two lanes: a flood of long (costly) questions fills
# its own lane, one thread, and short questions do not queue behind it (bench/faults.py).
SEARCH_THREADS = {"short": 2, "long": 1}


def search_limiter(request: Request, question: str) -> anyio.CapacityLimiter:
    """The limiter of the lane `question` goes to (made on first use, in the event loop)."""
    lane = "long" if search_cost(question) > 1 else "short"
    limiters: dict[str, anyio.CapacityLimiter] | None = getattr(
        request.app.state, "search_limiters", None
    )
    if limiters is None:
        limiters = {name: anyio.CapacityLimiter(n) for name, n in SEARCH_THREADS.items()}
        request.app.state.search_limiters = limiters
    return limiters[lane]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limit_search(request: Request) -> None:
    """The client's search budget, charged by the question's cost (429 with Retry-After when
    spent)."""
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit("search", _client(request), cost=search_cost(request.query_params.get("q", "")))


async def limit_feedback(request: Request) -> None:
    """The client's feedback budget (429 with Retry-After when spent)."""
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit("feedback", _client(request))


_bearer = HTTPBearer(auto_error=False, description="The admin_token setting (FAQ_ADMIN_TOKEN).")


async def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Admin routes: 403 while no admin_token is set, 401 without the right one, 429 past the
    client's admin budget or after too many wrong tokens."""
    limiter: RateLimiter = request.app.state.rate_limiter
    client = _client(request)
    limiter.hit("admin", client)
    limiter.check("admin-failed", client)
    given = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    try:
        check_admin(request.app.state.settings, given)
    except UnauthorizedError:
        limiter.hit("admin-failed", client)
        raise


ServiceDep = Annotated[FaqService, Depends(get_service)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
QueryLogDep = Annotated[QueryLog, Depends(get_query_log)]
