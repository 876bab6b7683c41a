"""uvicorn's httptools protocol with the limits it lacks: header size, request-read time,
connections per process, and security headers on its own 400."""

from __future__ import annotations

import asyncio
import functools
from asyncio import TimerHandle
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from faq.api.guard import SECURITY_HEADERS


@dataclass(frozen=True)
class ServerLimits:
    """What one connection may cost. Sizes in bytes, times in seconds."""

    header_bytes: int = 32 * 1024  # request line + headers (nginx's default allows 4 × 8 KiB)
    request_timeout: float = 10.0  # from a connection's (or a request's) first byte to its end
    max_connections: int = 1000  # open connections per worker process; more are closed at once


@functools.cache
def _environment_limits() -> ServerLimits:
    """In a worker process started by `faq serve --workers N`: the limits from FAQ_* settings."""
    from faq.config import load_settings

    return limits_of(load_settings())


def limits_of(settings: Any) -> ServerLimits:
    """The ServerLimits a Settings object asks for."""
    return ServerLimits(
        header_bytes=settings.limit_header_bytes,
        request_timeout=float(settings.timeout_request),
        max_connections=settings.limit_connections,
    )


def _status(code: int, reason: str, text: str) -> bytes:
    body = text.encode("ascii")
    head = [f"HTTP/1.1 {code} {reason}"]
    head += [f"{name}: {value}" for name, value in SECURITY_HEADERS.items()]
    head += [
        "Content-Type: text/plain; charset=utf-8",
        f"Content-Length: {len(body)}",
        "Connection: close",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


class GuardedProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that answers 431 to a request head over `header_bytes`, 408 (or just
    closes) when a request is not fully received within `request_timeout` (slow or half-sent
    requests and bodies, idle new connections), closes connections beyond `max_connections`,
    and sends the security headers with uvicorn's own 400."""

    limits: ServerLimits | None = None  # set by run_server; else read from the environment

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = type(self).limits or _environment_limits()
        self._head_bytes = 0
        self._in_head = True  # between a request's first byte and its end of headers
        self._reading = True  # a request is being received (or awaited on a new connection)
        self._read_timer: TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.guard.max_connections:
            transport.abort()  # no answer: answering costs what the limit is there to save
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(self.guard.request_timeout, self._read_timeout)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timeout(self) -> None:
        self._read_timer = None
        if self.transport.is_closing() or not self._reading:
            return
        if self._head_bytes or not self._in_head:  # part of a request came: say why
            self.transport.write(_status(408, "Request Timeout", "Request Timeout"))
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self.guard.header_bytes:
                self.transport.write(
                    _status(
                        431, "Request Header Fields Too Large", "Request Header Fields Too Large"
                    )
                )
                self.transport.close()
                return
            if self._read_timer is None:  # the first byte of a request on a kept-alive connection
                self._reading = True
                self._arm()
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._reading = False
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        super().on_response_complete()  # arms uvicorn's keep-alive timeout

    def send_400_response(self, msg: str) -> None:
        self.transport.write(_status(400, "Bad Request", msg))
        self.transport.close()


def raise_open_files_limit() -> None:
    """Let the process open as many connections as the system allows it (the soft limit up to
    the hard one), so max_connections, not the file-descriptor limit, is what refuses."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY:
            hard = max(soft, 65536)
        if soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):  # not on this platform, or not allowed
        pass
