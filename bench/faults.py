"""Other clients' latency while `faq serve` is under a header flood, a slow-client (slowloris)
flood and a CPU flood (long emoji questions), each next to the same probe without the flood.

Builds the shipped knowledge base (index and site, default embedder) into a temporary folder,
starts `faq serve` (1 worker, default settings) on a free loopback port, and for each scenario
runs a probe – one request every 50 ms on a new connection, alternating a site page, a short
search and the widget script, from 16 loopback addresses – for --seconds without a flood, then
for --seconds with the flood running in a separate process from other loopback addresses. The
CPU flood runs twice: under the default rate limits, and with them off (a second server).
Bounded: at most --connections flood connections, --seconds per phase, loopback only.

    python bench/faults.py [--seconds 10] [--connections 400] [--cpu-clients 8] [--only …]

Timings on a shared 2-core machine are noisy: compare the two rows of one scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _common import percentile, table, write_results  # noqa: E402
from http_load import HOST, free_port, start_server, stop_server, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROBE_PATHS = ["/usage/quota-exceeded/", "/api/search?q=nginx+streaming", "/faq-widget.js"]
EMOJI_QUESTION = "😀🎉🚀" * 333  # 999 characters, ~4 KB: the CPU flood
FLOODER = "127.0.2.1"  # loopback has all of 127/8: floods and the probe's readers differ
READERS = 16  # the probe's requests come from 127.0.1.1-16, under the default rate limits


# ----------------------------------------------------------------------------- floods


async def header_flood(port: int, connections: int, seconds: float) -> dict[str, int]:
    """Each connection sends an endless header block, 1 KiB at a time; reconnects when cut."""
    stats = {"connections": 0, "bytes": 0, "cut": 0}
    deadline = time.monotonic() + seconds

    async def one() -> None:
        while time.monotonic() < deadline:
            try:
                _reader, writer = await asyncio.open_connection(HOST, port, local_addr=(FLOODER, 0))
                stats["connections"] += 1
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
                while time.monotonic() < deadline:
                    writer.write(b"X-Flood: " + b"a" * 1024 + b"\r\n")
                    await writer.drain()
                    stats["bytes"] += 1035
                    await asyncio.sleep(0.001)
            except OSError:
                stats["cut"] += 1
                await asyncio.sleep(0.01)

    await asyncio.gather(*(one() for _ in range(connections)))
    return stats


async def slowloris(port: int, connections: int, seconds: float) -> dict[str, int]:
    """Each connection sends a request head one header a second, never finishing it."""
    stats = {"connections": 0, "cut": 0}
    deadline = time.monotonic() + seconds

    async def one() -> None:
        while time.monotonic() < deadline:
            try:
                _reader, writer = await asyncio.open_connection(HOST, port, local_addr=(FLOODER, 0))
                stats["connections"] += 1
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
                while time.monotonic() < deadline:
                    await asyncio.sleep(1.0)
                    writer.write(b"X-a: b\r\n")
                    await writer.drain()
                    if writer.is_closing():
                        raise ConnectionResetError
            except OSError:
                stats["cut"] += 1
                await asyncio.sleep(0.05)

    await asyncio.gather(*(one() for _ in range(connections)))
    return stats


async def cpu_flood(port: int, clients: int, seconds: float) -> dict[str, int]:
    """`clients` keep-alive clients, each from its own loopback address (127.0.2.x), asking
    ~1,000-emoji questions back to back."""
    stats = {"requests": 0, "answered": 0, "limited": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    async def one(n: int) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.2.{n + 1}")
        async with httpx.AsyncClient(
            base_url=f"http://{HOST}:{port}", timeout=30, transport=transport
        ) as client:
            while time.monotonic() < deadline:
                try:
                    response = await client.get("/api/search", params={"q": EMOJI_QUESTION})
                    stats["requests"] += 1
                    stats["answered"] += response.status_code == 200
                    stats["limited"] += response.status_code == 429
                except httpx.HTTPError:
                    stats["errors"] += 1

    await asyncio.gather(*(one(n) for n in range(clients)))
    return stats


FLOODS = {"header flood": header_flood, "slow clients": slowloris, "CPU flood": cpu_flood}


# ----------------------------------------------------------------------------- probe


async def probe(base: str, seconds: float) -> dict[str, Any]:
    """One request every 50 ms, a new connection each (as a new reader's), from READERS
    loopback addresses in turn: each stays within the default search budget."""
    latencies: dict[str, list[float]] = {"page": [], "search": []}
    failed = 0
    deadline = time.monotonic() + seconds
    clients = [
        httpx.AsyncClient(
            base_url=base,
            timeout=10,
            limits=httpx.Limits(max_keepalive_connections=0),
            transport=httpx.AsyncHTTPTransport(local_address=f"127.0.1.{n + 1}"),
        )
        for n in range(READERS)
    ]
    i = 0
    try:
        while time.monotonic() < deadline:
            path = PROBE_PATHS[i % len(PROBE_PATHS)]
            client = clients[i % READERS]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
                if response.status_code != 200:
                    failed += 1
            except httpx.HTTPError:
                failed += 1
            kind = "search" if path.startswith("/api/search") else "page"
            latencies[kind].append(time.perf_counter() - started)
            await asyncio.sleep(max(0.0, 0.05 - (time.perf_counter() - started)))
    finally:
        for client in clients:
            await client.aclose()
    result: dict[str, Any] = {"requests": i, "failed": failed}
    for kind, seconds_each in latencies.items():
        ms = [s * 1000 for s in seconds_each]
        result[f"{kind}_p50_ms"] = round(percentile(ms, 50), 1)
        result[f"{kind}_p99_ms"] = round(percentile(ms, 99), 1)
    return result


def run_flood(kind: str, port: int, amount: int, seconds: float) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "--flood", kind, "--port", str(port)]
    command += ["--amount", str(amount), "--seconds", str(seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE)


def server_memory_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--connections", type=int, default=400, help="header and slow floods")
    parser.add_argument("--cpu-clients", type=int, default=8)
    parser.add_argument(
        "--only", choices=list(FLOODS), nargs="+", default=list(FLOODS), help="scenarios to run"
    )
    parser.add_argument("--flood", choices=list(FLOODS), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--amount", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flood:  # the child process that floods
        stats = asyncio.run(FLOODS[args.flood](args.port, args.amount, args.seconds))
        print(stats)
        return

    work = Path(tempfile.mkdtemp(prefix="faq-faults-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(
        FAQ_INDEX_DIR=str(work / "index"),
        FAQ_SITE_DIR=str(work / "site"),
        FAQ_FEEDBACK_DB=str(work / "feedback.sqlite3"),
    )
    faq = [sys.executable, "-m", "faq", "--config", str(ROOT / "faq.toml")]
    print("building the index and the site…", file=sys.stderr)
    subprocess.run([*faq, "build", "-q"], env=env, check=True, cwd=ROOT)
    runs: list[dict[str, Any]] = []
    # (flood, rate limits): the defaults, and off for the CPU flood (what cost-counted
    # limits save, and what the thread limiter alone does)
    scenarios = [(kind, "default") for kind in args.only]
    scenarios += [("CPU flood", "off")] if "CPU flood" in args.only else []
    for limits in dict.fromkeys(mode for _kind, mode in scenarios):
        port = free_port()
        log = work / f"serve-{limits}.log"
        server_env = {**env, "FAQ_RATE_LIMIT_SEARCH": "0"} if limits == "off" else env
        server = start_server(server_env, 1, port, log)
        base = f"http://{HOST}:{port}"
        try:
            wait_ready(base, server, log, 1)
            for kind, mode in scenarios:
                if mode != limits:
                    continue
                label = f"{kind} (rate limits {limits})"
                amount = args.cpu_clients if kind == "CPU flood" else args.connections
                print(f"{label}: probe alone…", file=sys.stderr)
                alone = asyncio.run(probe(base, args.seconds))
                runs.append({"scenario": label, "flood": "none", **alone})
                print(f"{label}: probe during the flood ({amount})…", file=sys.stderr)
                flood = run_flood(kind, port, amount, args.seconds + 1)
                time.sleep(1.0)  # let it build up
                during = asyncio.run(probe(base, args.seconds))
                memory = server_memory_mb(server.pid)
                out, _err = flood.communicate(timeout=args.seconds + 60)
                unit = "clients" if kind == "CPU flood" else "connections"
                runs.append(
                    {
                        "scenario": label,
                        "flood": f"{amount} {unit}",
                        "flood_stats": out.decode().strip(),
                        "server_rss_mb": memory,
                        **during,
                    }
                )
                if server.poll() is not None:
                    raise SystemExit(f"faq serve died:\n{log.read_text('utf-8', 'replace')}")
                time.sleep(2.0)
        finally:
            stop_server(server)

    headers = ["scenario", "flood", "requests", "failed", "pages p50/p99 ms"]
    headers += ["searches p50/p99 ms", "RSS MB"]
    rows = [
        [
            r["scenario"],
            r["flood"],
            r["requests"],
            r["failed"],
            f"{r['page_p50_ms']} / {r['page_p99_ms']}",
            f"{r['search_p50_ms']} / {r['search_p99_ms']}",
            r.get("server_rss_mb", ""),
        ]
        for r in runs
    ]
    print(table(headers, rows))
    for r in runs:
        if "flood_stats" in r:
            print(f"{r['scenario']}: {r['flood_stats']}")
    path = write_results(
        "faults",
        {
            "cpus": os.cpu_count(),
            "seconds_per_phase": args.seconds,
            "probe": {"every_ms": 50, "paths": PROBE_PATHS},
            "runs": runs,
        },
    )
    print(f"→ {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
