"""`faq serve`: uvicorn running the app, in one process or in several workers."""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
from pathlib import Path
from typing import Any

from faq.config import Settings

FACTORY = "faq.api.app:app_from_environment"


def settings_environment(settings: Settings) -> dict[str, str]:
    """FAQ_* variables from which load_settings() rebuilds `settings` in a worker process."""
    env: dict[str, str] = {}
    for f in dataclasses.fields(settings):
        if f.name == "root":
            continue
        value = getattr(settings, f.name)
        if isinstance(value, Path):
            text = str(settings.path(f.name))
        elif isinstance(value, tuple):
            text = ",".join(value)
        else:
            text = str(value)
        env[f"FAQ_{f.name.upper()}"] = text
    return env


def normalize_root_path(root_path: str) -> str:
    """`faq/`, `/faq/` and `/faq` all mean `/faq`; `/` and `` mean no prefix."""
    path = "/" + root_path.strip().strip("/")
    return "" if path == "/" else path


class HideQueryStrings(logging.Filter):
    """uvicorn's access log without query strings: a question is the reader's business, and is
    logged only where `log_queries` says (the database's queries table), not in every
    access line."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up with HideQueryStrings on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["hide_query_strings"] = {"()": HideQueryStrings}
    config["handlers"]["access"].setdefault("filters", []).append("hide_query_strings")
    return config


def run_server(settings: Settings, root_path: str = "") -> None:
    """Serve the site, the API and the widget until interrupted (blocking)."""
    import uvicorn

    from faq.api.protocol import GuardedProtocol, limits_of, raise_open_files_limit

    GuardedProtocol.limits = limits_of(settings)  # workers read them from FAQ_* instead
    raise_open_files_limit()
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "root_path": normalize_root_path(root_path),
        # X-Forwarded-* are read by the app's ProxyHeadersMiddleware, from forwarded_allow_ips
        # only (uvicorn's own trusts 127.0.0.1 by default, and takes any value)
        "proxy_headers": False,
        "http": GuardedProtocol,
        "timeout_keep_alive": settings.timeout_keep_alive,
        "server_header": False,
        "log_level": "info",
        "log_config": log_config(),
    }
    if settings.workers > 1:
        from faq.index import check_meta, read_meta

        # fail here, in one clear line, rather than in every worker
        check_meta(read_meta(settings.index), settings, settings.index, corpus=True)
        os.environ.update(settings_environment(settings))
        uvicorn.run(FACTORY, factory=True, workers=settings.workers, **options)
        return
    from faq.api.app import create_app, open_service

    service = open_service(settings)  # a stale or missing index is a clear error, not a traceback
    uvicorn.run(create_app(settings, service), **options)
