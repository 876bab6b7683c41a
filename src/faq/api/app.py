"""`create_app(settings)`: the FastAPI app that serves the API, the widget and the site."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette._utils import get_route_path
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from faq import __version__
from faq.api import admin, adminpage
from faq.api.docs import add_docs
from faq.api.guard import (
    SECURITY_HEADERS,
    BodyLimitMiddleware,
    HeadAsGetMiddleware,
    ProxyHeadersMiddleware,
    RateLimiter,
    SecurityHeadersMiddleware,
)
from faq.api.routes import router
from faq.api.static import SiteFiles, widget_script, widget_strings
from faq.config import Settings
from faq.db import Database
from faq.errors import DatabaseError, FaqError, FeedbackError, RateLimitedError, UnauthorizedError
from faq.feedback import FeedbackStore
from faq.i18n import N_, _, negotiate, normalize, use_locale
from faq.querylog import QueryLog
from faq.readerlog import Retention
from faq.service import FaqService

log = logging.getLogger("faq.api")

API = "/api"


class LocaleMiddleware:
    """Error details in the request's language: `?lang=`, else Accept-Language (per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with use_locale(request_locale(scope)):
            await self.app(scope, receive, send)


def request_locale(scope: Scope) -> str:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    for value in query.get("lang", [])[:1]:
        found = normalize(value)
        if found:
            return found
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            return negotiate(value.decode("latin-1"))
    return negotiate(None)


class PrefixMiddleware:
    """Behind a proxy that forwards `/prefix/…` unstripped while uvicorn was given
    --root-path /prefix: drop the doubled prefix, so both kinds of proxy setup work."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        root = scope.get("root_path", "")
        if root and scope["type"] in ("http", "websocket"):
            path: str = scope["path"]
            doubled = root + root
            if path == doubled or path.startswith(doubled + "/"):
                scope = {**scope, "path": path[len(root) :]}
        await self.app(scope, receive, send)


_TYPES = {
    "missing": N_("{field} is required"),
    "int_parsing": N_("{field} must be a whole number"),
    "int_type": N_("{field} must be a whole number"),
    "int_from_float": N_("{field} must be a whole number"),
    "greater_than_equal": N_("{field} must be at least {ge}"),
    "less_than_equal": N_("{field} must be at most {le}"),
    "string_too_long": N_("{field} is too long (at most {max_length} characters)"),
    "string_type": N_("{field} must be a string"),
    "bool_parsing": N_("{field} must be true or false"),
    "bool_type": N_("{field} must be true or false"),
    "literal_error": N_("{field} must be one of {expected}"),
    "extra_forbidden": N_("unknown field {field}"),
    "json_invalid": N_("the request body is not valid JSON"),
    "model_attributes_type": N_("the request body must be a JSON object"),
    "dict_type": N_("the request body must be a JSON object"),
}


def validation_detail(exc: RequestValidationError) -> str:
    """Pydantic's errors as one translated line."""
    parts: list[str] = []
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        if loc and loc[0] in ("query", "path", "body", "header"):
            loc = loc[1:]
        field = ".".join(str(p) for p in loc) or "body"
        kind = str(error.get("type", ""))
        ctx = {
            k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, str | int | float)
        }
        if kind == "string_pattern_mismatch" and field == "entry_id":
            message = _("invalid entry id: use lower-case letters, digits and single hyphens")
        elif kind in _TYPES:
            try:
                message = _(_TYPES[kind]).format(field=field, **ctx)
            except (KeyError, IndexError, ValueError):
                message = _("{field} is invalid").format(field=field)
        else:
            message = _("{field} is invalid").format(field=field)
        if message not in parts:
            parts.append(message)
    return "; ".join(parts) or _("invalid request")


async def _faq_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FaqError)
    headers = {}
    if isinstance(exc, RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, UnauthorizedError):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"detail": str(exc)}, status_code=exc.status_code, headers=headers)


async def _feedback_error(request: Request, exc: Exception) -> Response:
    # the reason (a full disk, a read-only file, a path) is the operator's business, not the
    # reader's: it goes to the log, at ERROR, and the reader gets a sentence
    log.error("feedback could not be stored: %s", exc)
    return JSONResponse(
        {"detail": _("feedback can't be stored right now; please try again later")},
        status_code=FeedbackError.status_code,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": validation_detail(exc)}, status_code=422)


_HTTP_MESSAGES = {
    400: N_("the request body could not be read: send UTF-8 JSON"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    known = _HTTP_MESSAGES.get(exc.status_code)
    detail = _(known) if known else str(exc.detail)
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    # answered by the outermost middleware, past SecurityHeadersMiddleware: add them here
    return JSONResponse({"detail": _("internal error")}, status_code=500, headers=SECURITY_HEADERS)


def open_service(settings: Settings) -> FaqService:
    """Load the index and warm the model up, so the first request is fast."""
    service = FaqService.open(settings)
    service.warm()
    return service


async def _watch_index(service: FaqService, interval: float) -> None:
    """Pick up a newly built index (`faq build` swaps it in) without a restart."""
    while True:
        await asyncio.sleep(interval)
        try:
            if await anyio.to_thread.run_sync(service.reload_if_changed):
                log.info("loaded the new index %s", service.index_path.name)
        except Exception:  # never let the watcher die: the old index keeps serving
            log.exception("could not check for a new index")


async def _enforce_retention(retention: Retention) -> None:
    """Delete searches and feedback older than query_log_days: at start, then once an hour."""
    while True:
        await anyio.to_thread.run_sync(retention.maybe_purge)  # never raises
        await asyncio.sleep(retention.interval)


def create_app(
    settings: Settings, service: FaqService | None = None, *, reload_interval: float = 1.0
) -> FastAPI:
    """The app for one knowledge base. The index is loaded by the lifespan (or `service` is
    used as is); a newly built index is picked up every `reload_interval` seconds (0: never)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        current: FaqService
        if service is not None:
            current = service
        else:
            current = await anyio.to_thread.run_sync(open_service, settings)
        app.state.service = current
        try:  # create or upgrade the tables now; a database that is down is not fatal here
            await anyio.to_thread.run_sync(database.ensure_schema)
        except DatabaseError as exc:
            log.warning("%s (search works; feedback gets a 503 until it is back)", exc)
        watcher = (
            asyncio.create_task(_watch_index(current, reload_interval))
            if reload_interval > 0
            else None
        )
        tasks = [watcher] if watcher is not None else []
        if settings.query_log_days > 0:
            tasks.append(asyncio.create_task(_enforce_retention(app.state.retention)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await anyio.to_thread.run_sync(query_log.close)
            database.dispose()

    app = FastAPI(
        title="faq",
        version=__version__,
        summary="Answers questions from a multilingual FAQ knowledge base.",
        docs_url=None,  # add_docs: Swagger UI from this server, not from a CDN
        redoc_url=None,
        openapi_url=f"{API}/openapi.json",
        lifespan=lifespan,
    )
    database = Database.from_settings(settings)
    query_log = QueryLog.from_settings(settings, database)
    app.state.settings = settings
    app.state.database = database
    app.state.feedback = FeedbackStore(database)
    app.state.rate_limiter = RateLimiter(settings)
    app.state.query_log = query_log
    app.state.retention = Retention(database, settings.query_log_days)

    app.include_router(router, prefix=API, tags=["faq"])
    app.include_router(admin.router, prefix=f"{API}/admin", tags=["admin"])
    app.include_router(adminpage.router)
    add_docs(app, API)
    app.add_exception_handler(FaqError, _faq_error)
    app.add_exception_handler(FeedbackError, _feedback_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)

    @app.get("/faq-widget.js", include_in_schema=False)
    def _widget() -> Response:
        return widget_script()

    @app.get("/faq-widget-i18n/{lang}.json", include_in_schema=False)
    def _widget_strings(lang: str) -> Response:
        return widget_strings(settings, lang)

    site = SiteFiles(settings)

    async def fallback(scope: Scope, receive: Receive, send: Send) -> None:
        # what no route matched: JSON 404 under /api, else the site
        path = get_route_path(scope)
        if path == API or path.startswith(API + "/"):
            raise HTTPException(status_code=404)
        await site(scope, receive, send)

    app.router.default = fallback

    app.add_middleware(BodyLimitMiddleware)  # inside LocaleMiddleware: its 413 is translated
    app.add_middleware(LocaleMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept-Language"],
            max_age=600,
        )
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(PrefixMiddleware)
    if settings.forwarded_allow_ips:
        app.add_middleware(ProxyHeadersMiddleware, trusted=settings.forwarded_allow_ips)
    return app


def app_from_environment() -> FastAPI:
    """The app factory uvicorn's worker processes call: settings from FAQ_CONFIG / FAQ_*."""
    from faq.config import load_settings

    return create_app(load_settings())
