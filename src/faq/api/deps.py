"""Request dependencies: what the app and its lifespan put on app.state (async: no thread hop)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from faq.api.guard import RateLimiter, check_admin
from faq.config import Settings
from faq.db import Database
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


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limit_search(request: Request) -> None:
    """The client's search budget (429 with Retry-After when spent)."""
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit("search", _client(request))


async def limit_feedback(request: Request) -> None:
    """The client's feedback budget (429 with Retry-After when spent)."""
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit("feedback", _client(request))


_bearer = HTTPBearer(auto_error=False, description="The admin_token setting (FAQ_ADMIN_TOKEN).")


async def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Admin routes: 403 while no admin_token is set, 401 without the right one."""
    given = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    check_admin(request.app.state.settings, given)


ServiceDep = Annotated[FaqService, Depends(get_service)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
QueryLogDep = Annotated[QueryLog, Depends(get_query_log)]
