"""The real servers some tests need (scripts/test-servers starts them): PostgreSQL, Redis, nginx.

Their addresses come from FAQ_TEST_DATABASE_URL, FAQ_TEST_REDIS_URL and FAQ_TEST_NGINX, read at
import (conftest clears FAQ_* for each test). A test that needs a missing server skips on a
developer machine and FAILS in CI (CI=true): a green CI always ran them."""

from __future__ import annotations

import os
import select
import socket
import threading
from pathlib import Path

import pytest

DATABASE_URL = os.environ.get("FAQ_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("FAQ_TEST_REDIS_URL", "")
NGINX = os.environ.get("FAQ_TEST_NGINX", "")
HINT = 'run: eval "$(scripts/test-servers start)"'


def _missing(what: str) -> None:
    message = f"{what} is not set: {HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"this test needs a real server in CI: {message}")
    pytest.skip(message)


def postgres_url() -> str:
    """FAQ_TEST_DATABASE_URL, with faq's tables dropped: each test starts on an empty database."""
    if not DATABASE_URL:
        _missing("FAQ_TEST_DATABASE_URL")
    reset_postgres(DATABASE_URL)
    return DATABASE_URL


def reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    from faq.db import normalize_url

    engine = sa.create_engine(normalize_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS feedback, queries, faq_schema"))
    finally:
        engine.dispose()


def redis_url() -> str:
    """FAQ_TEST_REDIS_URL, emptied (its database is the tests' own)."""
    if not REDIS_URL:
        _missing("FAQ_TEST_REDIS_URL")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()
    return REDIS_URL


def nginx() -> Path:
    if not NGINX or not Path(NGINX).is_file():
        _missing("FAQ_TEST_NGINX")
    return Path(NGINX)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TcpProxy:
    """127.0.0.1:port → target, which a test can take down (every connection cut, new ones
    refused) and bring back: a database server going away, as its clients see it."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _w, _x = select.select([a, b], [], [], 1.0)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass
