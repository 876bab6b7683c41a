"""Abuse and exposure: security headers, body limits, per-client rate limits, admin token."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faq.config import Settings, rate_limits
from faq.errors import BackendUnavailableError, ForbiddenError, RateLimitedError, UnauthorizedError
from faq.i18n import _
from faq.logthrottle import ThrottledLog
from faq.text import MAX_EMBED_CHARS, clean_text

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

        host = Headers(scope=scope).get("host", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                location = headers.get("location")
                if location and 300 <= message["status"] < 400:
                    headers["location"] = relative_location(location, host)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def relative_location(location: str, host: str) -> str:
    """A redirect to this server made relative: Starlette builds `Location` from the request's
    Host header, which the client chooses (`Host: evil.example` → `http://evil.example/ko/`)."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https") and parts.netloc and parts.netloc == host:
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return location


class HeadAsGetMiddleware:
    """HEAD answered wherever GET is (API routes, the widget script): the GET's status and
    headers, no body. Static files answer HEAD themselves and are left alone by GET's rules."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_head(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_head)


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


COST_BYTES = 200  # a search costs one unit, plus one per this many UTF-8 bytes it embeds
# failed admin-token attempts per client: a person mistyping gets a few; a guesser gets nowhere
ADMIN_FAILURES = "5/minute;30/hour"


def search_cost(question: str) -> int:
    """Units of the search budget a question costs: 1, plus 1 per COST_BYTES bytes of it that
    are embedded (UTF-8 bytes follow the model's token count better than characters: an emoji
    is 4 bytes and several tokens). Measured: a 1,000-emoji query cost ~45 ms of CPU, a
    20-character one ~2 ms (issue #12)."""
    text = clean_text(question)[:MAX_EMBED_CHARS]
    return 1 + len(text.encode("utf-8")) // COST_BYTES


class RateLimiter:
    """Per-client budgets (`limits`' sliding-window counters, in `rate_limit_storage`):
    searches (weighted by cost), feedback, admin requests, and failed admin tokens.

    A client is its address as the server sees it (see ProxyHeadersMiddleware for a proxy in
    front). With the memory storage each worker process counts for itself (with --workers N a
    client may get up to N budgets); with Redis all workers and replicas share one. When the
    storage fails (Redis down), the limits fail open: requests pass uncounted, the server log
    says so once a minute, and the storage is tried again after STORAGE_RETRY_S."""

    def __init__(self, settings: Settings) -> None:
        self.items: dict[str, list[Any]] = {
            "search": rate_limits(settings.rate_limit_search) or [],
            "feedback": rate_limits(settings.rate_limit_feedback) or [],
            "admin": rate_limits(settings.rate_limit_admin) or [],
            # on with an admin token, unless the operator turned admin limits off ("0")
            "admin-failed": (
                (rate_limits(ADMIN_FAILURES) or [])
                if settings.admin_token and settings.rate_limit_admin.strip() != "0"
                else []
            ),
        }
        self._limiter: Any = None
        self._down_until = 0.0
        if any(self.items.values()):
            from limits.strategies import SlidingWindowCounterRateLimiter

            self._limiter = SlidingWindowCounterRateLimiter(
                limits_storage(settings.rate_limit_storage)
            )

    def hit(self, name: str, client: str, cost: int = 1) -> None:
        """Count `cost` units of `client` against budget `name`; RateLimitedError when spent."""
        self._guarded(self._hit, name, client, cost)

    def check(self, name: str, client: str) -> None:
        """RateLimitedError if budget `name` of `client` is spent (counts nothing)."""
        self._guarded(self._check, name, client, 0)

    def _guarded(self, step: Any, name: str, client: str, cost: int) -> None:
        if self._limiter is None or time.monotonic() < self._down_until:
            return
        from limits.errors import StorageError

        try:
            step(name, client, cost)
        except StorageError as exc:
            self._down_until = time.monotonic() + STORAGE_RETRY_S
            _storage_log.warning(
                "storage", "rate limits not counted (fail open): %s", exc.storage_error
            )

    def _hit(self, name: str, client: str, cost: int) -> None:
        for item in self.items.get(name, []):
            if not self._limiter.hit(item, name, client, cost=cost):
                self._refuse(item, name, client)

    def _check(self, name: str, client: str, cost: int) -> None:
        for item in self.items.get(name, []):
            if not self._limiter.test(item, name, client):
                self._refuse(item, name, client)

    def _refuse(self, item: Any, name: str, client: str) -> None:
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


class ProxyHeadersMiddleware:
    """The client's address and scheme from X-Forwarded-For / X-Forwarded-Proto, only when the
    connection comes from a trusted proxy (`forwarded_allow_ips`: addresses or networks, `*` for
    any). The address is the right-most X-Forwarded-For entry that is not itself a trusted
    proxy; a value that is not an IP address is ignored (the proxy's own address stays)."""

    def __init__(self, app: ASGIApp, trusted: tuple[str, ...]) -> None:
        self.app = app
        self.any = "*" in trusted
        self.networks = [ipaddress.ip_network(t, strict=False) for t in trusted if t != "*"]

    def trusts(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return self.any or any(address in net for net in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] not in ("http", "websocket") or not client or not self.trusts(client[0]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        scope = dict(scope)
        proto = headers.get("x-forwarded-proto", "").strip().lower()
        if proto in ("http", "https") and scope["type"] == "http":
            scope["scheme"] = proto
        forwarded = headers.get("x-forwarded-for")
        if forwarded:
            for entry in reversed(forwarded.split(",")):
                host = entry.strip()
                try:
                    ipaddress.ip_address(host)
                except ValueError:
                    break  # not an address: ignore it and everything left of it
                if not self.trusts(host):
                    scope["client"] = (host, 0)
                    break
        await self.app(scope, receive, send)
