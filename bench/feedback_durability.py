"""Feedback durability: concurrent posts across worker processes, and `kill -9` mid-load.

Builds the shipped knowledge base's index into a temporary folder and starts
`faq serve --workers N` on a free 127.0.0.1 port (rate limits off: one address sends it all).

1. --posts concurrent feedback posts (httpx async, --concurrency connections): every one must be
   acknowledged (201) and the database must hold exactly --posts rows.
2. --rounds times: a fresh database, the same load, and when half of the posts are acknowledged the
   whole server (master and workers, one process group) gets SIGKILL. Then the database must pass
   `PRAGMA integrity_check`, and every acknowledged row id must be in it.

    python bench/feedback_durability.py [--workers 2] [--posts 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _common import percentile, table, write_results  # noqa: E402
from http_load import HOST, free_port, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = ["streaming-nginx", "quota-exceeded", "proxy", "vercel-deploy", "css-chunk-error"]


def faq(*args: str) -> list[str]:
    return [sys.executable, "-m", "faq", "--config", str(ROOT / "faq.toml"), *args]


def start(env: dict[str, str], workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    """A server in its own process group, so that one killpg reaches master and workers."""
    command = faq("serve", "--host", HOST, "--port", str(port), "--workers", str(workers))
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def body(i: int) -> dict[str, Any]:
    if i % 4 == 3:
        return {"kind": "missing-answer", "query": f"question number {i}?", "lang": "en"}
    return {
        "kind": "vote",
        "query": f"question {i}",
        "entry_id": ENTRIES[i % len(ENTRIES)],
        "helpful": i % 2 == 0,
        "lang": "ko",
    }


async def post_all(
    base: str, posts: int, concurrency: int, kill_at: int | None, kill: Any
) -> dict[str, Any]:
    acknowledged: list[int] = []
    errors: dict[str, int] = {}
    latencies: list[float] = []
    killed_at: float | None = None
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    timeout = httpx.Timeout(60.0, pool=120.0)
    in_flight = asyncio.Semaphore(concurrency)  # httpx's pool slows down with a long queue
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:

        async def one(i: int) -> None:
            nonlocal killed_at
            try:
                async with in_flight:
                    t0 = time.perf_counter()  # from the request's start, not its wait in line
                    response = await client.post("/api/feedback", json=body(i))
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                return
            if response.status_code != 201:
                errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
                return
            acknowledged.append(response.json()["id"])
            latencies.append(time.perf_counter() - t0)
            if kill_at is not None and killed_at is None and len(acknowledged) >= kill_at:
                killed_at = time.perf_counter() - started
                kill()

        await asyncio.gather(*(one(i) for i in range(posts)))
    elapsed = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return {
        "posted": posts,
        "acknowledged": len(acknowledged),
        "ids": acknowledged,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "acks_per_s": round(len(acknowledged) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "killed_at_s": round(killed_at, 2) if killed_at is not None else None,
    }


def inspect(db: Path, acknowledged: list[int]) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        stored = {row[0] for row in conn.execute("SELECT id FROM feedback")}
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    missing = sorted(set(acknowledged) - stored)
    return {
        "integrity_check": integrity,
        "journal_mode": journal,
        "rows": len(stored),
        "acknowledged_missing": len(missing),
        "stored_not_acknowledged": len(stored - set(acknowledged)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50, help="posts in flight at once")
    parser.add_argument("--rounds", type=int, default=3, help="kill -9 rounds")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="faq-feedback-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(
        FAQ_INDEX_DIR=str(work / "index"),
        FAQ_SITE_DIR=str(work / "site"),
        FAQ_RATE_LIMIT_FEEDBACK="0",
        FAQ_RATE_LIMIT_SEARCH="0",
    )
    print("building the index…", file=sys.stderr)
    subprocess.run(faq("build", "--no-site", "-q"), env=env, check=True, cwd=ROOT)

    runs: list[dict[str, Any]] = []
    for n in range(args.rounds + 1):
        kill = n > 0
        db = work / f"feedback-{n}.sqlite3"
        run_env = {**env, "FAQ_FEEDBACK_DB": str(db)}
        port = free_port()
        log = work / f"serve-{n}.log"
        process = start(run_env, args.workers, port, log)
        base = f"http://{HOST}:{port}"
        try:
            wait_ready(base, process, log, args.workers)
            label = f"kill -9 round {n}" if kill else "concurrent posts"
            print(f"{label}: {args.posts} posts, {args.workers} workers…", file=sys.stderr)
            result = asyncio.run(
                post_all(
                    base,
                    args.posts,
                    args.concurrency,
                    args.posts // 2 if kill else None,
                    lambda p=process: os.killpg(p.pid, signal.SIGKILL),
                )
            )
        finally:
            kill_group(process, signal.SIGKILL if kill else signal.SIGTERM)
        checked = inspect(db, result.pop("ids"))
        runs.append({"run": label, **result, **checked})

    headers = ["run", "posted", "acked", "rows", "missing acked", "integrity", "acks/s", "p99 ms"]
    rows = [
        [
            r["run"],
            r["posted"],
            r["acknowledged"],
            r["rows"],
            r["acknowledged_missing"],
            r["integrity_check"],
            r["acks_per_s"],
            r["p99_ms"],
        ]
        for r in runs
    ]
    print(table(headers, rows))
    first = runs[0]
    ok = first["acknowledged"] == first["rows"] == args.posts and all(
        r["integrity_check"] == "ok" and r["acknowledged_missing"] == 0 for r in runs
    )
    path = write_results(
        "feedback_durability",
        {
            "cpus": os.cpu_count(),
            "workers": args.workers,
            "posts": args.posts,
            "concurrency": args.concurrency,
            "synchronous": "FULL",
            "passed": ok,
            "runs": runs,
        },
    )
    print(f"→ {path.relative_to(ROOT)}", file=sys.stderr)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
