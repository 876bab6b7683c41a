"""Two `faq serve` replicas behind a real nginx, on PostgreSQL and Redis, under steady load.

Needs the servers of scripts/test-servers (`eval "$(scripts/test-servers start)"`): PostgreSQL
(FAQ_TEST_DATABASE_URL; faq's tables in it are dropped first), Redis (FAQ_TEST_REDIS_URL) and
nginx (FAQ_TEST_NGINX). Everything listens on 127.0.0.1; every phase is bounded in time.

Builds the shipped knowledge base (a copy of docs/) into a temporary folder, starts two
replicas (`faq serve`, one process each, log_queries on, rate limits counted in Redis but high)
and nginx with deploy/nginx-faq.conf (ports changed; a second copy with one replica only), then
sends the gold questions (and one feedback post in ten) from --clients concurrent clients:

1. throughput and latency through nginx to 1 replica and to 2 replicas, side by side;
2. one replica is `kill -9`ed and restarted under load: no request may fail;
3. a changed knowledge base is built and swapped in under load: no request may fail, and both
   replicas end on the new build;
4. afterwards every acknowledged feedback post must be in PostgreSQL.

    python bench/replicas.py [--seconds 15] [--clients 8]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _common import percentile, table, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
TEMPLATE = ROOT / "deploy" / "nginx-faq.conf"
TEMPLATE_PORTS = ("127.0.0.1:8001", "127.0.0.1:8002")
CUT = ("RemoteProtocolError", "ReadError")  # the connection closed in the middle of a response
ENTRIES = ["streaming-nginx", "quota-exceeded", "proxy", "vercel-deploy", "css-chunk-error"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def nginx_site(replicas: list[int], listen: int, upstream: str) -> str:
    """deploy/nginx-faq.conf with its ports (and upstream name) changed: the tested config."""
    text = TEMPLATE.read_text("utf-8")
    lines = []
    for line in text.splitlines():
        if TEMPLATE_PORTS[0] in line or TEMPLATE_PORTS[1] in line:
            which = 0 if TEMPLATE_PORTS[0] in line else 1
            if which >= len(replicas):
                continue
            line = line.replace(TEMPLATE_PORTS[which], f"{HOST}:{replicas[which]}")
        lines.append(line)
    text = "\n".join(lines) + "\n"
    text = text.replace("listen 80;", f"listen {HOST}:{listen};")
    return text.replace("upstream faq {", f"upstream {upstream} {{").replace(
        "proxy_pass http://faq;", f"proxy_pass http://{upstream};"
    )


class Cluster:
    """N replicas sharing one index folder, one database and one Redis, behind one nginx."""

    def __init__(self, work: Path, env: dict[str, str], replicas: int = 2) -> None:
        self.work = work
        self.env = env
        self.ports = [free_port() for _i in range(replicas)]
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * replicas
        self.nginx: subprocess.Popen[bytes] | None = None
        self.url_all = ""
        self.url_one = ""

    def command(self, i: int) -> list[str]:
        return [sys.executable, "-m", "faq", "serve", "--host", HOST, "--port", str(self.ports[i])]

    def start(self, i: int) -> None:
        log = (self.work / f"replica-{i}.log").open("ab")
        self.processes[i] = subprocess.Popen(
            self.command(i),
            cwd=self.work,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one killpg reaches it all
        )
        log.close()

    def wait_ready(self, i: int, timeout: float = 180) -> float:
        """Seconds until /api/health/ready answers 200 on replica i."""
        started = time.monotonic()
        url = f"http://{HOST}:{self.ports[i]}/api/health/ready"
        while time.monotonic() - started < timeout:
            process = self.processes[i]
            if process is not None and process.poll() is not None:
                log = (self.work / f"replica-{i}.log").read_text("utf-8", "replace")
                raise SystemExit(f"replica {i} exited:\n{log[-3000:]}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"replica {i} did not get ready")

    def kill(self, i: int) -> None:
        process = self.processes[i]
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
        self.processes[i] = None

    def stop(self, i: int) -> None:
        process = self.processes[i]
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill(i)
        self.processes[i] = None

    def start_nginx(self, binary: Path) -> None:
        folder = self.work / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        all_port, one_port = free_port(), free_port()
        (folder / "faq.conf").write_text(nginx_site(self.ports, all_port, "faq"), "utf-8")
        (folder / "faq-one.conf").write_text(
            nginx_site(self.ports[:1], one_port, "faq_one"), "utf-8"
        )
        temp = folder / "tmp"
        main = "\n".join(
            [
                "user root;" if os.geteuid() == 0 else "",
                "worker_processes 1;",
                f"pid {folder}/nginx.pid;",
                f"error_log {folder}/error.log warn;",
                "events { worker_connections 1024; }",
                "http {",
                "    access_log off;",
                f"    client_body_temp_path {temp}/body;",
                f"    proxy_temp_path {temp}/proxy;",
                f"    fastcgi_temp_path {temp}/fastcgi;",
                f"    uwsgi_temp_path {temp}/uwsgi;",
                f"    scgi_temp_path {temp}/scgi;",
                f"    include {folder}/faq.conf;",
                f"    include {folder}/faq-one.conf;",
                "}",
                "",
            ]
        )
        (folder / "nginx.conf").write_text(main, "utf-8")
        command = [str(binary), "-p", str(folder), "-c", str(folder / "nginx.conf")]
        subprocess.run([*command, "-t", "-q"], check=True)
        self.nginx = subprocess.Popen([*command, "-g", "daemon off;"], cwd=folder)
        self.url_all = f"http://{HOST}:{all_port}"
        self.url_one = f"http://{HOST}:{one_port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url_all}/api/health/live", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("nginx did not start")

    def close(self) -> None:
        for i in range(len(self.processes)):
            self.stop(i)
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(timeout=20)


def feedback_body(i: int, entries: list[str]) -> dict[str, Any]:
    if i % 4 == 3:
        return {"kind": "missing-answer", "query": f"question number {i}?", "lang": "en"}
    entry = entries[i % len(entries)]
    return {"kind": "vote", "query": f"q {i}", "entry_id": entry, "helpful": i % 2 == 0}


async def steady_load(
    base: str,
    questions: list[tuple[str, str]],
    seconds: float,
    clients: int,
    events: list[tuple[float, Callable[[], Any]]] = (),  # type: ignore[assignment]
    until: Callable[[], bool] | None = None,
    entries: list[str] = ENTRIES,
) -> dict[str, Any]:
    """`clients` closed loops for `seconds` (longer while `until()` is false, at most 3×):
    search requests, every tenth a feedback post. `events` run in threads at their times."""
    todo = itertools.cycle(questions)
    counter = itertools.count()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    acknowledged: list[int] = []
    indexes: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    hard_stop = started + 3 * seconds

    def done() -> bool:
        now = time.perf_counter()
        return now >= hard_stop or (now >= started + seconds and (until is None or until()))

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while not done():
                n = next(counter)
                t0 = time.perf_counter()
                try:
                    if n % 10 == 9:
                        response = await client.post(
                            "/api/feedback", json=feedback_body(n, entries)
                        )
                        ok = response.status_code == 201
                        if ok:
                            acknowledged.append(response.json()["id"])
                    else:
                        q, lang = next(todo)
                        response = await client.get("/api/search", params={"q": q, "lang": lang})
                        ok = response.status_code == 200 and bool(response.json()["results"])
                        index = response.headers.get("x-faq-index", "?")
                        indexes[index] = indexes.get(index, 0) + 1
                    kind = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors[kind] = errors.get(kind, 0) + 1

        async def scheduled(at: float, action: Callable[[], Any]) -> None:
            await asyncio.sleep(at)
            await loop.run_in_executor(None, action)

        tasks = [asyncio.create_task(scheduled(at, action)) for at, action in events]
        await asyncio.gather(*(worker() for _ in range(clients)))
        await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "failed": sum(errors.values()),
        # nginx retries a request on the other replica until the response starts; a replica
        # killed while it was sending a response leaves the reader a response cut short
        "cut": sum(errors.get(k, 0) for k in CUT),
        "error_kinds": errors,
        "seconds": round(elapsed, 2),
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "acknowledged": acknowledged,
        "indexes": indexes,
    }


def gold_questions() -> list[tuple[str, str]]:
    from faq.config import load_settings
    from faq.evaluate import gold_files, read_gold

    settings = load_settings(ROOT / "faq.toml", env={})
    gold = read_gold(gold_files(settings.root, settings.gold), settings.languages)
    return [(g.q, g.lang) for g in gold if g.expect] or [("nginx streaming", "en")]


def reset_database(url: str) -> None:
    import sqlalchemy as sa

    from faq.db import normalize_url

    engine = sa.create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS feedback, queries, faq_schema"))
    engine.dispose()


def stored_ids(url: str) -> tuple[set[int], int]:
    import sqlalchemy as sa

    from faq.db import normalize_url

    engine = sa.create_engine(normalize_url(url))
    with engine.connect() as conn:
        ids = {int(r[0]) for r in conn.execute(sa.text("SELECT id FROM feedback"))}
        logged = int(conn.execute(sa.text("SELECT COUNT(*) FROM queries")).scalar() or 0)
    engine.dispose()
    return ids, logged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15, help="per phase")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    args = parser.parse_args()
    database = os.environ.get("FAQ_TEST_DATABASE_URL", "")
    redis = os.environ.get("FAQ_TEST_REDIS_URL", "")
    nginx = Path(os.environ.get("FAQ_TEST_NGINX", "/usr/sbin/nginx"))
    if not database or not redis or not nginx.is_file():
        raise SystemExit('needs PostgreSQL, Redis and nginx: eval "$(scripts/test-servers start)"')

    work = Path(tempfile.mkdtemp(prefix="faq-replicas-"))
    shutil.copytree(ROOT / "docs", work / "docs")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(
        FAQ_CONFIG=str(ROOT / "faq.toml"),
        FAQ_DOCS_DIR=str(work / "docs"),
        FAQ_INDEX_DIR=str(work / "index"),
        FAQ_SITE_DIR=str(work / "site"),
        FAQ_DATABASE_URL=database,
        FAQ_RATE_LIMIT_STORAGE=redis,
        FAQ_RATE_LIMIT_SEARCH="1000000/minute",  # counted in Redis, never reached
        FAQ_RATE_LIMIT_FEEDBACK="1000000/minute",
        FAQ_LOG_QUERIES="true",
        OPENBLAS_NUM_THREADS="1",
    )
    build = [sys.executable, "-m", "faq", "build", "--no-site", "-q"]
    print("building the index…", file=sys.stderr)
    subprocess.run(build, env=env, check=True, cwd=work)
    reset_database(database)
    questions = gold_questions()
    cluster = Cluster(work, env)
    runs: list[dict[str, Any]] = []
    acknowledged: list[int] = []
    try:
        for i in range(2):
            cluster.start(i)
        for i in range(2):
            cluster.wait_ready(i)
        cluster.start_nginx(nginx)

        def run(label: str, base: str, **kwargs: Any) -> dict[str, Any]:
            print(f"{label}…", file=sys.stderr)
            result = asyncio.run(steady_load(base, questions, args.seconds, args.clients, **kwargs))
            acknowledged.extend(result.pop("acknowledged"))
            runs.append({"phase": label, **result})
            return result

        # 1. the same load to 1 and to 2 replicas (warm-up first: connections, caches)
        warm = asyncio.run(steady_load(cluster.url_all, questions, 2, args.clients))
        acknowledged.extend(warm["acknowledged"])
        run("1 replica", cluster.url_one)
        run("2 replicas", cluster.url_all)

        # 2. kill -9 one replica under load, restart it
        restart: dict[str, float] = {}

        def kill() -> None:
            cluster.kill(1)

        def restart_replica() -> None:
            cluster.start(1)
            restart["ready_s"] = round(cluster.wait_ready(1), 2)

        run(
            "2 replicas, kill -9 + restart",
            cluster.url_all,
            events=[(args.seconds * 0.2, kill), (args.seconds * 0.4, restart_replica)],
            until=lambda: "ready_s" in restart,
        )
        runs[-1]["restart_ready_s"] = restart.get("ready_s")

        # 3. a new build swapped in under load
        swap: dict[str, Any] = {}

        def rebuild() -> None:
            page = next((work / "docs" / "en").rglob("streaming-nginx.md"))
            page.write_text(page.read_text("utf-8") + "\nUpdated under load.\n", "utf-8")
            subprocess.run(build, env=env, check=True, cwd=work)
            swap["new"] = (work / "index").resolve().name

        def both_on_new() -> bool:
            if "new" not in swap:
                return False
            names = [
                httpx.get(f"http://{HOST}:{p}/api/health", timeout=5).json()["index"]
                for p in cluster.ports
            ]
            swap["replicas"] = names
            return all(n == swap["new"] for n in names)

        run("2 replicas, new build swapped in", cluster.url_all, events=[(2, rebuild)],
            until=both_on_new)  # fmt: skip
        runs[-1]["new_index_on_both"] = both_on_new()
    finally:
        cluster.close()
    ids, logged = stored_ids(database)
    missing = sorted(set(acknowledged) - ids)
    extra = len(ids - set(acknowledged))  # stored, answer lost: a retried post stored twice

    headers = ["phase", "requests", "failed", "of them cut", "req/s", "p50 ms", "p99 ms", "builds"]
    rows = [
        [r["phase"], r["requests"], r["failed"], r["cut"], r["req_per_s"], r["p50_ms"],
         r["p99_ms"], len(r["indexes"])]
        for r in runs
    ]  # fmt: skip
    print(table(headers, rows))
    print(
        f"feedback acknowledged: {len(acknowledged)}, stored in PostgreSQL: {len(ids)}, "
        f"acknowledged but missing: {len(missing)}, stored but not acknowledged: {extra}; "
        f"searches logged: {logged}; killed replica ready again after "
        f"{runs[2].get('restart_ready_s')} s"
    )
    ok = (
        all(r["failed"] == 0 for r in runs)
        and not missing
        and bool(runs[-1].get("new_index_on_both"))
    )
    path = write_results(
        "replicas",
        {
            "cpus": os.cpu_count(),
            "clients": args.clients,
            "seconds_per_phase": args.seconds,
            "passed": ok,
            "feedback_acknowledged": len(acknowledged),
            "feedback_stored": len(ids),
            "acknowledged_missing": len(missing),
            "stored_not_acknowledged": extra,
            "queries_logged": logged,
            "runs": runs,
        },
    )
    print(f"→ {path.relative_to(ROOT)}", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
