"""Two `faq serve` replicas behind a real nginx (deploy/nginx-faq.conf), on PostgreSQL and Redis:
a replica killed with `kill -9` and restarted under load fails no request that nginx can retry
and loses no acknowledged feedback (bench/replicas.py is the long version, with throughput)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx

from corpus import write_corpus
from faq.api.server import settings_environment
from faq.build import build
from live import REPO
from servers import nginx, postgres_url, redis_url

sys.path.insert(0, str(REPO / "bench"))
from replicas import TEMPLATE, Cluster, steady_load, stored_ids  # noqa: E402

QUESTIONS = [("nginx streaming", "en"), ("vercel environment variables", "en"), ("help", "en")]


def test_the_deployment_page_shows_the_tested_nginx_config() -> None:
    page = (REPO / "docs" / "en" / "scaling.md").read_text("utf-8")
    assert TEMPLATE.read_text("utf-8").strip() in page


def test_a_replica_killed_under_load_fails_no_request(tmp_path: Path) -> None:
    database, redis, binary = postgres_url(), redis_url(), nginx()
    settings = write_corpus(tmp_path / "kb").replace(
        index_dir=str(tmp_path / "index"),
        site_dir=str(tmp_path / "site"),
        database_url=database,
        rate_limit_storage=redis,
        rate_limit_search="100000/minute",
        rate_limit_feedback="100000/minute",
        log_queries=True,
    )
    build(settings, site=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(settings_environment(settings))
    cluster = Cluster(tmp_path, env)
    restarted: dict[str, float] = {}

    def restart() -> None:
        cluster.start(1)
        restarted["ready_s"] = cluster.wait_ready(1)

    try:
        for i in range(2):
            cluster.start(i)
        for i in range(2):
            cluster.wait_ready(i)
        cluster.start_nginx(binary)
        ready = httpx.get(f"{cluster.url_all}/api/health/ready", timeout=10)
        assert ready.status_code == 200 and ready.json()["database"] == "ok"
        result = asyncio.run(
            steady_load(
                cluster.url_all,
                QUESTIONS,
                seconds=6,
                clients=4,
                events=[(1.5, lambda: cluster.kill(1)), (3.0, restart)],
                until=lambda: "ready_s" in restarted,
                entries=["streaming-nginx", "vercel-env-vars", "get-help"],
            )
        )
        assert "ready_s" in restarted
        after = httpx.get(f"http://127.0.0.1:{cluster.ports[1]}/api/health/ready", timeout=10)
        assert after.status_code == 200
    finally:
        cluster.close()
    # nginx retried every request the dead replica had not begun to answer (no 502, no refused
    # connection reached the client). A response the replica was sending at the instant of the
    # kill cannot be retried (nginx had passed its headers on): at most one per connection.
    assert result["failed"] == result["cut"] <= 4, result["error_kinds"]
    assert result["ok"] > 20 and result["acknowledged"]
    ids, logged = stored_ids(database)
    assert set(result["acknowledged"]) <= ids
    assert logged > 0
