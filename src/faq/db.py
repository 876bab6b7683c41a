"""The database of readers' feedback and the query log: one SQLAlchemy Core engine, SQLite or
PostgreSQL, with the same tables and the same code path for both.

`database_url` names it (`postgresql://user:password@host/db`); empty, it is the SQLite file of
`feedback_db`, as before. The schema is versioned and upgraded on first use (faq.migrations).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faq.config import Settings
from faq.errors import BackendUnavailableError, DatabaseError
from faq.i18n import _

if TYPE_CHECKING:
    import sqlalchemy as sa

log = logging.getLogger("faq.db")

BUSY_TIMEOUT_S = 30.0  # SQLite: how long a writer waits for another process's write to finish
CONNECT_TIMEOUT_S = 5  # PostgreSQL: a server that does not answer is "down" after this long


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the configured database: `database_url`, else the SQLite file
    `feedback_db`. `postgresql://` and `postgres://` mean psycopg 3 (the `postgres` extra)."""
    url = settings.database_url.strip()
    if not url:
        return f"sqlite:///{settings.path('feedback_db')}"
    return normalize_url(url)


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` → `postgresql+psycopg://` (SQLAlchemy's default driver
    for them is psycopg 2, which faq does not use); anything else as it is."""
    scheme, _sep, rest = url.partition("://")
    if scheme.lower() in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def describe(exc: BaseException) -> str:
    """The first line of a driver's error, without SQLAlchemy's statement and help link (and so
    without any parameter or password)."""
    from sqlalchemy.exc import DBAPIError

    inner = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(inner).strip().splitlines()
    return text[0] if text else type(inner).__name__


class Database:
    """One engine per process, created on first use; connections are pooled and checked before
    use (pool_pre_ping), so a database that went away and came back is reconnected to.

    SQLite: WAL journal, synchronous=FULL (an acknowledged write survives a killed process and a
    power cut), writers of one process queue on a lock, other processes wait up to
    BUSY_TIMEOUT_S; write transactions start with BEGIN IMMEDIATE, so two of them never deadlock.
    PostgreSQL: a commit is durable with the server's default synchronous_commit=on."""

    def __init__(self, url: str, *, legacy_query_log: Path | None = None) -> None:
        self.url = url = normalize_url(url)
        # faq 0.1's queries.jsonl, imported once by the upgrade to schema 2 (faq.migrations)
        self.legacy_query_log = legacy_query_log
        self.imported: list[Path] = []
        self.is_sqlite = url.lower().startswith("sqlite")
        self.sqlite_path: Path | None = None
        if self.is_sqlite:
            raw = url.split("://", 1)[1]
            self.sqlite_path = Path(raw[1:]) if raw.startswith("/") and raw != "/" else None
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock() if self.is_sqlite else None
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        from faq.migrations import LEGACY_QUERY_LOG

        legacy = settings.path("feedback_db").parent / LEGACY_QUERY_LOG
        return cls(database_url(settings), legacy_query_log=legacy)

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages and logs."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def exists(self) -> bool:
        """False only for a SQLite file that was never written: reading it creates nothing."""
        return self.sqlite_path is None or self.sqlite_path.is_file()

    @property
    def engine(self) -> sa.Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self._create_engine()
            return self._engine

    def _create_engine(self) -> sa.Engine:
        import sqlalchemy as sa

        if self.is_sqlite:
            if self.sqlite_path is not None:
                self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(
                self.url,
                connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
                pool_pre_ping=True,
            )
            sa.event.listen(engine, "connect", _sqlite_connect)
            sa.event.listen(engine, "begin", _sqlite_begin)
            return engine
        try:
            return sa.create_engine(
                self.url,
                pool_pre_ping=True,
                pool_size=5,
                max_overflow=10,
                pool_timeout=10,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
            )
        except ImportError as exc:
            raise BackendUnavailableError(
                _("{url} needs PostgreSQL support: pip install 'faq[postgres]' ({error})").format(
                    url=self.display_url, error=exc
                )
            ) from None
        except sa.exc.ArgumentError as exc:
            raise DatabaseError(
                _("invalid database_url {url}: {error}").format(
                    url=self.display_url, error=describe(exc)
                )
            ) from None

    def check(self) -> None:
        """Raise BackendUnavailableError or DatabaseError now for a missing driver or a
        malformed URL (connects to nothing: a database that is down is not an error here)."""
        self.engine  # noqa: B018 - created for its errors
        self.dispose()

    def ensure_schema(self) -> None:
        """Create or upgrade the tables once per process (raises DatabaseError)."""
        if self._schema_ready:
            return
        from faq.migrations import upgrade

        with self.errors():
            upgrade(self)
        self._schema_ready = True

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn the driver's errors (refused connection, disk full, lost server) into one
        DatabaseError line that names the database without its password."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            yield
        except (SQLAlchemyError, OSError) as exc:
            raise DatabaseError(
                _("the database {url} cannot be used: {error}").format(
                    url=self.display_url, error=describe(exc)
                )
            ) from None

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction, committed when the block ends (upgrades the schema first)."""
        self.ensure_schema()
        with self.errors(), self._writer():
            with self.engine.connect() as conn:
                conn = conn.execution_options(faq_immediate=True)
                with conn.begin():
                    yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A connection for reading (upgrades the schema first)."""
        self.ensure_schema()
        with self.errors(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _writer(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        with self._write_lock:
            yield

    def ping(self) -> None:
        """Raise DatabaseError unless the database answers and its schema is current."""
        import sqlalchemy as sa

        with self.read() as conn:
            conn.execute(sa.text("SELECT 1"))

    def dispose(self) -> None:
        """Close the pooled connections (at shutdown)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling would not put DDL in a transaction nor let us choose
    # BEGIN IMMEDIATE: take it over (the recipe of SQLAlchemy's SQLite documentation)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        _wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def _wal(cursor: Any) -> None:
    """Switch the file to the WAL journal (it stays so). Switching takes an exclusive lock that
    SQLite does not wait for with busy_timeout: replicas opening a new file together would get
    "database is locked", so the switch is retried for up to BUSY_TIMEOUT_S."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: sa.Connection) -> None:
    immediate = conn.get_execution_options().get("faq_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
