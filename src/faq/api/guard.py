"""Abuse and exposure: security headers, body limits, per-client rate limits, admin token."""

from __future__ import annotations

import hmac
import logging
import math
import time
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faq.config import Settings, rate_limits
from faq.errors import BackendUnavailableError, ForbiddenError, RateLimitedError, UnauthorizedError
from faq.i18n import _
from faq.logthrottle import ThrottledLog

MAX_BODY_BYTES = 16 * 1024  # a feedback post is well under 4 KiB; nothing else takes a body

# The site, the API and the widget come from this server and nowhere else: no inline script,
# no third-party request. data: images are the theme's icons in its style sheet.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


class SecurityHeadersMiddleware:
    """The security headers on every response: pages, API answers, errors, static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse a request body over `limit` bytes with 413, before the app reads any of it: by its
    Content-Length when given, else while it streams in (the body is buffered, at most `limit`)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        pending: list[Message] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                pending.append(message)  # the client went away: let the app see it
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self.refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        pending.insert(0, {"type": "http.request", "body": b"".join(chunks), "more_body": False})

        async def replay() -> Message:
            return pending.pop(0) if pending else await receive()

        await self.app(scope, replay, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = _("the request body is too large (at most {limit} bytes)").format(limit=self.limit)
        response = JSONResponse(
            {"detail": detail}, status_code=413, headers={"Connection": "close"}
        )
        await response(scope, receive, send)


REDIS_TIMEOUT_S = 0.5
STORAGE_RETRY_S = 1.0  # after a storage error, requests pass without counting for this long
_storage_log = ThrottledLog(logging.getLogger("faq.ratelimit"))


def limits_storage(uri: str) -> Any:
    """The `limits` storage of the counters: `memory://` counts per process (with --workers N a
    client gets N budgets), `redis://host:port/db` is one budget shared by every worker and
    replica (the `redis` extra). Errors of the storage come out as limits.errors.StorageError;
    Redis is given short timeouts: it answers in well under a millisecond on a LAN."""
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    if uri.startswith("memory://"):
        return storage_from_string(uri)
    try:
        return storage_from_string(
            uri,
            wrap_exceptions=True,
            socket_timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S,
        )
    except ConfigurationError as exc:
        raise BackendUnavailableError(
            _("rate_limit_storage {uri}: {error} (pip install 'faq[redis]')").format(
                uri=uri.split("@")[-1], error=exc
            )
        ) from None


class RateLimiter:
    """Per-client request budgets (`limits`' sliding-window counters, in `rate_limit_storage`).

    A client is its address as the server sees it: behind a reverse proxy on loopback, uvicorn
    takes it from X-Forwarded-For. With the memory storage each worker process counts for
    itself; with Redis all of them share one budget. When the storage fails (Redis down), the
    limit fails open: requests pass uncounted, the server log says so once a minute, and the
    storage is tried again after STORAGE_RETRY_S."""

    def __init__(self, settings: Settings) -> None:
        self.items: dict[str, list[Any]] = {
            "search": rate_limits(settings.rate_limit_search) or [],
            "feedback": rate_limits(settings.rate_limit_feedback) or [],
        }
        self._limiter: Any = None
        if any(self.items.values()):
            from limits.strategies import SlidingWindowCounterRateLimiter

            self._limiter = SlidingWindowCounterRateLimiter(
                limits_storage(settings.rate_limit_storage)
            )
        self._down_until = 0.0

    def hit(self, name: str, client: str) -> None:
        """Count one request of `client` against budget `name`; RateLimitedError when spent."""
        if self._limiter is None or time.monotonic() < self._down_until:
            return
        from limits.errors import StorageError

        try:
            self._hit(name, client)
        except StorageError as exc:
            self._down_until = time.monotonic() + STORAGE_RETRY_S
            _storage_log.warning(
                "storage", "rate limits not counted (fail open): %s", exc.storage_error
            )

    def _hit(self, name: str, client: str) -> None:
        for item in self.items.get(name, []):
            if not self._limiter.hit(item, name, client):
                reset = self._limiter.get_window_stats(item, name, client).reset_time
                wait = max(1, math.ceil(reset - time.time()))
                raise RateLimitedError(
                    _("too many requests: try again in {seconds} s").format(seconds=wait),
                    retry_after=wait,
                )


def check_admin(settings: Settings, authorization: str | None) -> None:
    """Allow an admin request only with `Authorization: Bearer <admin_token>`."""
    if not settings.admin_token:
        raise ForbiddenError(_("administration is disabled: set admin_token (FAQ_ADMIN_TOKEN)"))
    scheme, _sep, token = (authorization or "").partition(" ")
    given = token.strip().encode("utf-8", "replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given, settings.admin_token.encode("utf-8")
    ):
        raise UnauthorizedError(_("a valid admin token is needed: Authorization: Bearer <token>"))
