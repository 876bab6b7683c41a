"""HTTP throughput and latency of `faq serve --workers N` at loopback, 16 concurrent clients.

Builds the shipped knowledge base's index (default embedder) into a temporary folder, starts
`faq serve` on a free 127.0.0.1 port for each worker count, and sends the gold questions (all four
languages) to /api/search from 16 concurrent keep-alive clients (httpx, async). The load is
bounded: at most --requests requests and --seconds seconds per worker count.

    python bench/http_load.py [--workers 1 2] [--requests 4000] [--seconds 30] [--clients 16]

A Python client shares the 2 cores with the server and becomes the bottleneck, so when Debian's
`wrk` is installed the same load (the same questions, 16 connections, time-bounded) is also sent
with it, in the same run, and both are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _common import percentile, table, write_results  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.evaluate import gold_files, read_gold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    env: dict[str, str], workers: int, port: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "faq", "--config", str(ROOT / "faq.toml"), "serve"]
    command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, workers: int) -> None:
    """Until every worker answers: a new connection per probe lands on any of them."""
    deadline = time.monotonic() + 180
    seen = 0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"faq serve exited:\n{log.read_text('utf-8', 'replace')}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                seen += 1
                if seen >= 4 * workers:
                    return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"faq serve did not start:\n{log.read_text('utf-8', 'replace')}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def load(
    base: str, queries: list[tuple[str, str]], clients: int, requests: int, seconds: float
) -> dict[str, Any]:
    """`clients` concurrent loops sharing one budget of requests and one deadline."""
    todo = itertools.cycle(queries)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for q, lang in queries[: 2 * clients]:  # warm up connections and the workers
            await client.get("/api/search", params={"q": q, "lang": lang})
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            nonlocal sent
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                q, lang = next(todo)
                t0 = time.perf_counter()
                try:
                    response = await client.get("/api/search", params={"q": q, "lang": lang})
                    ok = response.status_code == 200
                    kind = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors[kind] = errors.get(kind, 0) + 1

        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "seconds": round(elapsed, 3),
        "req_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(ms, 50), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
    }


def wrk_load(
    base: str, queries: list[tuple[str, str]], clients: int, seconds: float
) -> dict[str, Any]:
    """The same load from wrk (C, event loop): `clients` connections for `seconds`."""
    paths = [
        "/api/search?" + httpx.QueryParams({"q": q, "lang": lang}).__str__() for q, lang in queries
    ]
    script = Path(tempfile.mkdtemp(prefix="faq-wrk-")) / "queries.lua"
    lines = ",\n".join(f"  {json_string(p)}" for p in paths)
    script.write_text(
        f"local paths = {{\n{lines}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n",
        "utf-8",
    )
    command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, int(seconds))}s", "--latency"]
    out = subprocess.run(
        [*command, "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout

    def latency(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    total = re.search(r"(\d+) requests in ([\d.]+)s", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "requests": int(total.group(1)) if total else 0,
        "seconds": float(total.group(2)) if total else 0.0,
        "req_per_s": float(rate.group(1)) if rate else 0.0,
        "p50_ms": round(latency("50%"), 2),
        "p90_ms": round(latency("90%"), 2),
        "p99_ms": round(latency("99%"), 2),
        "errors": errors + (int(bad.group(1)) if bad else 0),
    }


def json_string(text: str) -> str:
    """A Lua string literal (JSON's escaping is valid Lua for these ASCII paths)."""
    import json

    return json.dumps(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=4000, help="at most, per worker count")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most, per worker count")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="faq-http-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(
        FAQ_INDEX_DIR=str(work / "index"),
        FAQ_SITE_DIR=str(work / "site"),
        FAQ_FEEDBACK_DB=str(work / "feedback.sqlite3"),
        FAQ_RATE_LIMIT_SEARCH="0",  # all the load comes from one address: no per-client budget
    )
    faq = [sys.executable, "-m", "faq", "--config", str(ROOT / "faq.toml")]
    print("building the index…", file=sys.stderr)
    subprocess.run([*faq, "build", "--no-site", "-q"], env=env, check=True, cwd=ROOT)
    settings = load_settings(ROOT / "faq.toml", env=env)
    gold = read_gold(gold_files(settings.root, settings.gold), settings.languages)
    queries = [(g.q, g.lang) for g in gold]

    runs: list[dict[str, Any]] = []
    for workers in args.workers:
        port = free_port()
        log = work / f"serve-{workers}.log"
        process = start_server(env, workers, port, log)
        base = f"http://{HOST}:{port}"
        try:
            wait_ready(base, process, log, workers)
            print(f"loading {base} with {workers} worker(s)…", file=sys.stderr)
            result = asyncio.run(load(base, queries, args.clients, args.requests, args.seconds))
            runs.append({"workers": workers, "client": "httpx (Python)", **result})
            if shutil.which("wrk"):
                wrk = wrk_load(base, queries, args.clients, min(args.seconds, 15.0))
                runs.append({"workers": workers, "client": "wrk", **wrk})
        finally:
            stop_server(process)

    headers = ["workers", "client", "requests", "seconds", "req/s", "p50 ms", "p99 ms", "errors"]
    rows = [
        [
            r["workers"],
            r["client"],
            r["requests"],
            r["seconds"],
            r["req_per_s"],
            r["p50_ms"],
            r["p99_ms"],
            r["errors"],
        ]
        for r in runs
    ]
    print(table(headers, rows))
    path = write_results(
        "http_load",
        {
            "cpus": os.cpu_count(),
            "embedder": settings.embedder,
            "endpoint": "/api/search",
            "clients": args.clients,
            "max_requests": args.requests,
            "max_seconds": args.seconds,
            "queries": len(queries),
            "goal": {"req_per_s": 200, "p99_ms": 50, "cores": 2},
            "runs": runs,
        },
    )
    print(f"→ {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
