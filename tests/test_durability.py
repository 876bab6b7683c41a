"""Load and faults, small enough for CI (the full runs are bench/index_swap.py and
bench/feedback_durability.py): concurrent feedback writers, `kill -9` of a serving `faq serve`
in the middle of a load, and an index swapped in under load. Loopback only, bounded."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from corpus import write_corpus
from faq.atomic import build_name
from faq.build import build
from faq.config import Settings
from faq.feedback import FeedbackStore
from live import free_port, start, stop, wait_until_up

VOTE = {"kind": "vote", "query": "nginx", "entry_id": "streaming-nginx", "helpful": True}


@dataclass
class Served:
    settings: Settings
    url: str
    process: object


def served_settings(tmp: Path, **changes: object) -> Settings:
    settings = write_corpus(tmp / "kb").replace(
        index_dir=str(tmp / "index"),
        site_dir=str(tmp / "site"),
        feedback_db=str(tmp / "var" / "feedback.sqlite3"),
        host="127.0.0.1",
        port=free_port(),
        rate_limit_search="0",
        rate_limit_feedback="0",
        **changes,
    )
    build(settings, site=False)
    return settings


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    settings = served_settings(tmp_path)
    log = tmp_path / "serve.log"
    process = start(settings, log)
    url = f"http://127.0.0.1:{settings.port}"
    try:
        wait_until_up(f"{url}/api/health", process, log)
        yield Served(settings, url, process)
    finally:
        if process.poll() is None:
            stop(process)


def count_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])


# ----------------------------------------------------------------- concurrent writers


def _write_votes(path: str, count: int) -> None:
    store = FeedbackStore(Path(path))
    for i in range(count):
        store.add(f"process {os.getpid()} vote {i}", entry_id="proxy", helpful=i % 2 == 0)


def test_concurrent_writers_in_threads_and_processes(tmp_path: Path) -> None:
    path = tmp_path / "var" / "feedback.sqlite3"
    shared = FeedbackStore(path)  # one store, many threads: as in one server process
    threads = [
        threading.Thread(
            target=lambda: [shared.add("t", entry_id="a", helpful=True) for _ in range(50)]
        )
        for _i in range(8)
    ]
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_write_votes, args=(str(path), 100)) for _i in range(3)]
    for worker in [*threads, *processes]:
        worker.start()
    for thread in threads:
        thread.join(timeout=120)
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    assert count_rows(path) == 8 * 50 + 3 * 100
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_posts_to_the_api_are_all_stored(served: Served) -> None:
    async def post_all(n: int) -> list[int]:
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(base_url=served.url, limits=limits, timeout=30) as client:
            responses = await asyncio.gather(
                *(client.post("/api/feedback", json={**VOTE, "query": f"q{i}"}) for i in range(n))
            )
        return [r.status_code for r in responses]

    codes = asyncio.run(post_all(300))
    assert codes.count(201) == 300, sorted(set(codes))
    assert count_rows(served.settings.path("feedback_db")) == 300


# ---------------------------------------------------------------------------- kill -9


def test_kill_9_mid_load_loses_no_acknowledged_write(served: Served) -> None:
    acknowledged: list[int] = []
    failed = 0
    killed = asyncio.Event()

    async def one(client: httpx.AsyncClient, i: int) -> None:
        nonlocal failed
        try:
            response = await client.post("/api/feedback", json={**VOTE, "query": f"kill {i}"})
        except httpx.HTTPError:
            failed += 1
            return
        if response.status_code == 201:
            acknowledged.append(response.json()["id"])
            if len(acknowledged) >= 100 and not killed.is_set():
                killed.set()
                os.kill(served.process.pid, signal.SIGKILL)  # type: ignore[attr-defined]
        else:
            failed += 1

    async def load() -> None:
        limits = httpx.Limits(max_connections=20)
        async with httpx.AsyncClient(base_url=served.url, limits=limits, timeout=10) as client:
            await asyncio.gather(*(one(client, i) for i in range(200)))

    asyncio.run(load())
    served.process.wait(timeout=10)  # type: ignore[attr-defined]
    assert killed.is_set() and 100 <= len(acknowledged) < 200
    assert failed > 0  # the kill really landed in the middle of the load
    path = served.settings.path("feedback_db")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM feedback")}
    assert set(acknowledged) <= stored


# ------------------------------------------------------------------ index swap under load


def test_an_index_swap_under_load_fails_no_request(served: Served) -> None:
    settings = served.settings
    seen: dict[str, int] = {}
    failures: list[str] = []
    stop_at = time.monotonic() + 60
    done = threading.Event()

    def load() -> None:
        with httpx.Client(base_url=served.url, timeout=10) as client:
            i = 0
            while not done.is_set() and time.monotonic() < stop_at:
                q = ("nginx streaming", "vercel env", "quota exceeded", "help")[i % 4]
                i += 1
                try:
                    response = client.get("/api/search", params={"q": q})
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                    continue
                if response.status_code != 200 or not response.json()["results"]:
                    failures.append(f"{response.status_code} {response.text[:100]}")
                index = response.headers["x-faq-index"]
                seen[index] = seen.get(index, 0) + 1

    workers = [threading.Thread(target=load) for _i in range(4)]
    for worker in workers:
        worker.start()
    try:
        first = httpx.get(f"{served.url}/api/health").json()["index"]
        page = settings.docs / "en" / "general" / "get-help.md"
        page.write_text(page.read_text("utf-8").replace("Search first", "Look first"), "utf-8")
        build(settings, site=False)  # a changed knowledge base: swapped in
        second = build_name(settings.index)
        deadline = time.monotonic() + 20
        while httpx.get(f"{served.url}/api/health").json()["index"] != second:
            assert time.monotonic() < deadline, "the new index was not picked up"
            time.sleep(0.1)
        (settings.docs / "en" / "usage" / "broken.md").write_text("---\nid: [\n---\n", "utf-8")
        with pytest.raises(Exception, match="error"):
            build(settings, site=False)  # a broken knowledge base: changes nothing
        time.sleep(1.5)  # more than the server's reload interval
    finally:
        done.set()
        for worker in workers:
            worker.join(timeout=30)
    assert not failures, failures[:5]
    assert set(seen) == {first, second}, seen
    assert httpx.get(f"{served.url}/api/health").json()["index"] == second
    help_page = httpx.get(f"{served.url}/api/entries/get-help").json()
    assert "Look first" in help_page["html"]


def test_a_one_megabyte_url_is_refused_by_the_real_server(served: Served) -> None:
    """uvicorn in front: the request line alone is 1 MB; a 4xx or a closed connection, the
    server stays up, never a 5xx."""
    port = int(served.url.rsplit(":", 1)[1])
    request = b"GET /api/search?q=" + b"x" * (1024 * 1024) + b" HTTP/1.1\r\nHost: t\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(request)
            reply = sock.recv(200)
        except (ConnectionResetError, BrokenPipeError):
            reply = b""
    if reply:
        status = int(reply.split(b" ", 2)[1])
        assert 400 <= status < 500, reply
    assert httpx.get(f"{served.url}/api/health").status_code == 200
