"""Rate limits shared through Redis: workers and replicas give a reader one budget, and a Redis
that is down or goes away lets searches through (fail open) instead of failing them."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.build import build
from faq.config import Settings, load_settings
from faq.errors import ConfigError
from servers import TcpProxy, free_port, redis_url


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("ratelimit")
    settings = write_corpus(tmp / "kb").replace(
        site_dir=str(tmp / "site"), feedback_db=str(tmp / "var" / "feedback.sqlite3")
    )
    build(settings, site=False)
    return settings


def statuses(clients: list[TestClient], count: int) -> list[int]:
    """`count` searches, sent in turn to each client (as a load balancer would)."""
    return [
        clients[i % len(clients)].get("/api/search", params={"q": "nginx"}).status_code
        for i in range(count)
    ]


def test_two_workers_sharing_redis_give_exactly_one_budget(built: Settings) -> None:
    settings = built.replace(rate_limit_search="5/minute", rate_limit_storage=redis_url())
    with ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(create_app(settings, reload_interval=0)))
            for _i in range(2)
        ]
        codes = statuses(clients, 12)
    assert codes.count(200) == 5 and codes.count(429) == 7, codes


def test_in_memory_each_worker_counts_for_itself(built: Settings) -> None:
    settings = built.replace(rate_limit_search="5/minute")  # memory://, the default
    with ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(create_app(settings, reload_interval=0)))
            for _i in range(2)
        ]
        codes = statuses(clients, 12)
    assert codes.count(200) == 10  # the reason for Redis


def test_redis_down_lets_searches_through(
    built: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    settings = built.replace(rate_limit_search="2/minute", rate_limit_storage=nobody)
    with (
        caplog.at_level(logging.WARNING, "faq.ratelimit"),
        TestClient(create_app(settings, reload_interval=0)) as client,
    ):
        codes = statuses([client], 6)
    assert codes == [200] * 6
    warnings = [r for r in caplog.records if "fail open" in r.getMessage()]
    assert len(warnings) == 1  # once a minute, not once a request


@pytest.fixture
def proxied_redis() -> Iterator[tuple[TcpProxy, str]]:
    parts = urlsplit(redis_url())
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
    proxy.up()
    try:
        yield proxy, f"redis://127.0.0.1:{proxy.port}{parts.path}"
    finally:
        proxy.down()


def test_redis_going_away_and_coming_back(
    built: Settings, proxied_redis: tuple[TcpProxy, str]
) -> None:
    proxy, url = proxied_redis
    settings = built.replace(rate_limit_search="3/minute", rate_limit_storage=url)
    with TestClient(create_app(settings, reload_interval=0)) as client:
        assert statuses([client], 4) == [200, 200, 200, 429]
        proxy.down()
        assert statuses([client], 4) == [200] * 4  # fail open, never a 500
        proxy.up()
        time.sleep(1.2)  # STORAGE_RETRY_S: Redis is tried again after that
        assert statuses([client], 2) == [429, 429]  # the budget spent before is still spent


@pytest.mark.parametrize("value", ["redis://h:6379/0", "rediss://h", "memory://"])
def test_storage_setting(tmp_path: Path, value: str) -> None:
    env = {"FAQ_RATE_LIMIT_STORAGE": value}
    assert load_settings(cwd=tmp_path, env=env).rate_limit_storage == value


@pytest.mark.parametrize("value", ["memcached://h", "h:6379", "memory://x"])
def test_bad_storage_setting(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="rate_limit_storage"):
        load_settings(cwd=tmp_path, env={"FAQ_RATE_LIMIT_STORAGE": value})
