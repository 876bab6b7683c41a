"""The real `faq serve` under abuse (faq.api.protocol): header size, half-sent requests and
bodies, idle connections, the connection limit, uvicorn's own 400. Loopback only, bounded."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corpus import write_corpus
from faq.build import build
from faq.config import Settings
from live import free_port, start, stop, wait_until_up

LIMITS = {
    "limit_header_bytes": 8192,
    "timeout_request": 1,
    "timeout_keep_alive": 1,
    "limit_connections": 40,
    "rate_limit_feedback": "2/minute",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, int]]:
    tmp = tmp_path_factory.mktemp("served")
    settings = write_corpus(tmp / "kb").replace(
        index_dir=str(tmp / "index"),
        site_dir=str(tmp / "site"),
        feedback_db=str(tmp / "var" / "feedback.sqlite3"),
        port=free_port(),
        **LIMITS,
    )
    build(settings, site=False)
    log = tmp / "serve.log"
    process = start(settings, log)
    try:
        wait_until_up(f"http://127.0.0.1:{settings.port}/api/health", process, log)
        yield settings, settings.port
    finally:
        stop(process)


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection (TimeoutError if it does not within
    the socket's 10 s: then the server would have kept it open)."""
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def test_a_header_block_over_the_limit_is_a_431(server: tuple[Settings, int]) -> None:
    _settings, port = server
    with connect(port) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        try:
            for _i in range(64):  # 1 MiB of headers, never finished
                sock.sendall(b"X-Filler: " + b"a" * 16384 + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection: what we want
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"content-security-policy:" in answer.lower()


def test_headers_under_the_limit_are_served(server: tuple[Settings, int]) -> None:
    _settings, port = server
    response = httpx.get(
        f"http://127.0.0.1:{port}/api/health", headers={"X-Filler": "a" * 4000}, timeout=10
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /api/health HTTP/1.1\r\nHost: x\r\n",  # the head, never finished
        b"POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"kind":',  # a body, never finished
    ],
    ids=["half-sent head", "half-sent body"],
)
def test_a_half_sent_request_is_timed_out(
    server: tuple[Settings, int], request_bytes: bytes
) -> None:
    _settings, port = server
    with connect(port) as sock:
        sock.sendall(request_bytes)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]


def test_an_idle_new_connection_is_closed(server: tuple[Settings, int]) -> None:
    _settings, port = server
    with connect(port) as sock:
        assert read_all(sock) == b""  # closed by the server, with nothing to say


def test_connections_beyond_the_limit_are_closed_and_service_recovers(
    server: tuple[Settings, int],
) -> None:
    _settings, port = server
    socks = [connect(port) for _i in range(LIMITS["limit_connections"] + 20)]
    try:
        for sock in socks:
            sock.settimeout(0.5)
        closed = 0
        for sock in socks:
            try:
                if sock.recv(1) == b"":
                    closed += 1
            except ConnectionResetError:
                closed += 1
            except TimeoutError:
                pass
        assert closed >= 20
    finally:
        for sock in socks:
            sock.close()
    time.sleep(0.2)
    assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=10).status_code == 200


def test_uvicorns_own_400_carries_the_security_headers(server: tuple[Settings, int]) -> None:
    _settings, port = server
    with connect(port) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost x\r\n\r\n")
        answer = read_all(sock).lower()
    assert answer.startswith(b"http/1.1 400 ")
    assert b"x-content-type-options: nosniff" in answer
    assert b"content-security-policy: default-src 'self'" in answer


def test_kept_alive_connections_still_work(server: tuple[Settings, int]) -> None:
    _settings, port = server
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for _i in range(3):
            assert client.get("/api/search", params={"q": "nginx"}).status_code == 200
        time.sleep(1.5)  # past timeout_keep_alive: the client reconnects by itself
        assert client.get("/api/health").status_code == 200


def test_the_limits_are_settings(tmp_path: Path) -> None:
    from faq.config import load_settings
    from faq.errors import ConfigError

    (tmp_path / "faq.toml").write_text("limit_header_bytes = 0\n", "utf-8")
    with pytest.raises(ConfigError, match="limit_header_bytes must be at least 1"):
        load_settings(cwd=tmp_path, env={})


def test_a_forged_forwarded_for_is_not_a_fresh_budget(server: tuple[Settings, int]) -> None:
    """No proxy is configured (the default): the peer's address is the client, whatever
    X-Forwarded-For says (uvicorn's default believed it from 127.0.0.1)."""
    _settings, port = server
    vote = {"kind": "missing-answer", "query": "forged"}
    codes = [
        httpx.post(
            f"http://127.0.0.1:{port}/api/feedback",
            json=vote,
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
            timeout=10,
        ).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
