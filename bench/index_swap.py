"""Index swap under load: `faq build` twice while `faq serve` answers a steady bounded load.

Copies the shipped knowledge base into a temporary folder, builds it (default embedder, with the
site), starts `faq serve` on a free 127.0.0.1 port, and sends --rate requests per second for
--seconds seconds (open loop, httpx async; 9 in 10 to /api/search with the gold questions, 1 in 10
to a site page). Meanwhile it runs `faq build` on a changed entry (the server must pick the new
index up at once and fail nothing), then on a knowledge base with a broken file (the build must
fail and change nothing). Every search answer names the index that produced it (X-Faq-Index).

The builds run under `nice` (--nice 10), as a deploy script on a machine that also serves
should run them: on 2 cores a full-speed build takes the CPU the server needs, and requests
queue (none fails; --nice 0 shows it).

    python bench/index_swap.py [--rate 200] [--seconds 30] [--nice 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _common import percentile, table, write_results  # noqa: E402
from faq.atomic import build_name  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.evaluate import gold_files, read_gold  # noqa: E402
from http_load import HOST, free_port, stop_server, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/", "/en/", "/deployment/streaming-nginx/", "/en/usage/quota-exceeded/"]
CHANGED = "docs/en/general/get-help.md"
BROKEN = "docs/en/usage/broken-entry.md"


def environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(
        FAQ_DOCS_DIR=str(work / "docs"),
        FAQ_INDEX_DIR=str(work / "index"),
        FAQ_SITE_DIR=str(work / "site"),
        FAQ_FEEDBACK_DB=str(work / "feedback.sqlite3"),
        FAQ_RATE_LIMIT_SEARCH="0",  # one client sends all the load: no per-client budget
    )
    return env


def faq(env: dict[str, str], *args: str) -> list[str]:
    return [sys.executable, "-m", "faq", "--config", str(ROOT / "faq.toml"), *args]


def run_build(env: dict[str, str], started: float, label: str, nice: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    command = (
        ["nice", "-n", str(nice), *faq(env, "build", "--quiet")]
        if nice
        else faq(env, "build", "--quiet")
    )
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    t1 = time.perf_counter()
    message = (done.stderr.strip().splitlines() or [""])[-1]
    return {
        "build": label,
        "start_s": round(t0 - started, 2),
        "end_s": round(t1 - started, 2),
        "exit_code": done.returncode,
        "message": message[:200],
    }


def builds(
    env: dict[str, str], work: Path, started: float, out: list[dict[str, Any]], nice: int
) -> None:
    """The changed build at 5 s; the broken one 5 s after the first has finished."""
    time.sleep(max(0.0, started + 5 - time.perf_counter()))
    page = work / CHANGED
    page.write_text(page.read_text("utf-8") + "\nOne more sentence, added under load.\n", "utf-8")
    out.append(run_build(env, started, "changed entry", nice))
    time.sleep(5)
    (work / BROKEN).write_text("---\nid: broken-entry\ntitle: [unclosed\n---\n\nBody.\n", "utf-8")
    out.append(run_build(env, started, "broken file", nice))


async def load(
    base: str, queries: list[tuple[str, str]], rate: float, seconds: float
) -> tuple[float, list[dict[str, Any]]]:
    results: list[dict[str, Any]] = []
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    timeout = httpx.Timeout(30.0, pool=60.0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        started = time.perf_counter()

        async def one(i: int) -> None:
            t0 = time.perf_counter()
            kind = "page" if i % 10 == 9 else "search"
            record: dict[str, Any] = {"t": t0 - started, "kind": kind}
            try:
                if kind == "page":
                    response = await client.get(PAGES[i % len(PAGES)])
                    ok = response.status_code == 200 and "<html" in response.text
                else:
                    q, lang = queries[i % len(queries)]
                    response = await client.get("/api/search", params={"q": q, "lang": lang})
                    ok = response.status_code == 200 and bool(response.json()["results"])
                    record["index"] = response.headers.get("x-faq-index")
                record["status"] = response.status_code
            except httpx.HTTPError as exc:
                ok = False
                record["status"] = type(exc).__name__
            record["ok"] = ok
            record["ms"] = (time.perf_counter() - t0) * 1000
            results.append(record)

        tasks = []
        for i in range(int(rate * seconds)):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return started, results


def phase_of(t: float, builds: list[dict[str, Any]]) -> str:
    for b in builds:
        if b["start_s"] <= t <= b["end_s"]:
            return f"during {b['build']} build"
    return "steady"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--nice", type=int, default=10, help="niceness of the builds (0: none)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="faq-swap-bench-"))
    shutil.copytree(ROOT / "docs", work / "docs")
    env = environment(work)
    print("building the shipped knowledge base…", file=sys.stderr)
    subprocess.run(faq(env, "build", "--quiet"), env=env, check=True, cwd=ROOT)
    first_index = build_name(work / "index")
    settings = load_settings(ROOT / "faq.toml", env=env)
    gold = read_gold(gold_files(settings.root, settings.gold), settings.languages)
    queries = [(g.q, g.lang) for g in gold]

    port = free_port()
    log = work / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            faq(env, "serve", "--host", HOST, "--port", str(port)),
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    build_log: list[dict[str, Any]] = []
    try:
        wait_ready(base, process, log, 1)
        print(f"{args.rate:g} req/s for {args.seconds:g} s on {base}…", file=sys.stderr)
        t0 = time.perf_counter()
        thread = threading.Thread(target=builds, args=(env, work, t0, build_log, args.nice))
        thread.start()
        started, results = asyncio.run(load(base, queries, args.rate, args.seconds))
        thread.join()
        offset = started - t0
        for r in results:
            r["t"] += offset
        final = httpx.get(f"{base}/api/health").json()["index"]
    finally:
        stop_server(process)
    second_index = build_name(work / "index")

    phases: dict[str, dict[str, Any]] = {}
    for r in results:
        p = phases.setdefault(phase_of(r["t"], build_log), {"ms": [], "failed": 0, "index": {}})
        p["ms"].append(r["ms"])
        p["failed"] += not r["ok"]
        if r.get("index"):
            name = (
                "first"
                if r["index"] == first_index
                else ("second" if r["index"] == second_index else r["index"])
            )
            p["index"][name] = p["index"].get(name, 0) + 1
    rows = []
    summary = []
    for name, p in phases.items():
        entry = {
            "phase": name,
            "requests": len(p["ms"]),
            "failed": p["failed"],
            "from_first_index": p["index"].get("first", 0),
            "from_second_index": p["index"].get("second", 0),
            "from_other_index": sum(
                v for k, v in p["index"].items() if k not in ("first", "second")
            ),
            "p50_ms": round(percentile(p["ms"], 50), 1),
            "p99_ms": round(percentile(p["ms"], 99), 1),
        }
        summary.append(entry)
        rows.append(list(entry.values()))
    switch = [r["t"] for r in results if r.get("index") == second_index]
    failed = sum(not r["ok"] for r in results)
    print(
        table(
            ["phase", "requests", "failed", "1st index", "2nd index", "other", "p50 ms", "p99 ms"],
            rows,
        )
    )
    print(
        table(
            ["build", "start s", "end s", "exit", "message"],
            [[*list(b.values())[:4], b["message"][:60]] for b in build_log],
        )
    )
    print(
        f"requests {len(results)}, failed {failed}; served by the new index from "
        f"{min(switch):.2f} s; final index {'second' if final == second_index else final}"
    )
    path = write_results(
        "index_swap" if args.nice else "index_swap_nice0",
        {
            "cpus": os.cpu_count(),
            "embedder": settings.embedder,
            "rate": args.rate,
            "seconds": args.seconds,
            "build_niceness": args.nice,
            "requests": len(results),
            "failed": failed,
            "achieved_req_per_s": round(len(results) / max(r["t"] for r in results), 1),
            "first_index": first_index,
            "second_index": second_index,
            "final_index": final,
            "broken_build_changed_nothing": final == second_index,
            "new_index_first_served_s": round(min(switch), 2) if switch else None,
            "builds": build_log,
            "phases": summary,
        },
    )
    print(f"→ {path.relative_to(ROOT)}", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    if failed or final != second_index:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
