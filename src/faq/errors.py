"""The errors faq raises: one FaqError hierarchy; each class has a CLI exit code and an HTTP status.

FaqError
├── ConfigError            bad settings (faq.toml, FAQ_* environment, flags)
├── EntryError             a knowledge-base file cannot be read or parsed (carries path:line)
├── ImporterError          a FAQ page or an id map cannot be imported; `faq init` cannot write
├── ValidationFailed       `faq validate` found errors
├── BuildError             `faq build` could not build the index or the site
├── IndexNotFoundError     no index where the settings say (run `faq build`)
├── IndexMismatchError     the index was built for other settings or another corpus
├── BackendUnavailableError an optional backend is not installed
├── QueryError             a search request is invalid (empty, too long, unknown language)
├── NotFoundError          an entry id that does not exist
├── FeedbackError          the feedback store could not take a write (busy, disk full, down)
├── DatabaseError          the database (SQLite or PostgreSQL) is unreachable or unusable
├── RateLimitedError       a client sent too many requests (carries retry_after)
├── UnauthorizedError      an admin request without the right token
└── ForbiddenError         an admin request while administration is disabled
"""

from __future__ import annotations


class FaqError(Exception):
    """Base class of every error faq reports to a user."""

    exit_code = 1
    status_code = 400


class ConfigError(FaqError):
    """The settings are invalid."""

    exit_code = 2


class EntryError(FaqError):
    """A knowledge-base file cannot be read or parsed."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class ImporterError(FaqError):
    """A FAQ page or an id map cannot be imported, or `faq init` cannot write."""


class ValidationFailed(FaqError):
    """The knowledge base has errors."""


class BuildError(FaqError):
    """The index or the site could not be built; the previous build is left in place."""

    status_code = 500


class IndexNotFoundError(FaqError):
    """There is no index at the configured place."""

    status_code = 503


class IndexMismatchError(FaqError):
    """The index does not match the settings or the knowledge base."""

    status_code = 503


class BackendUnavailableError(FaqError):
    """An optional embedder backend is not installed."""

    status_code = 503


class QueryError(FaqError):
    """A search request is invalid."""

    status_code = 422


class NotFoundError(FaqError):
    """No entry has this id."""

    status_code = 404


class FeedbackError(FaqError):
    """The feedback store could not take the write; the client may try again."""

    status_code = 503


class DatabaseError(FaqError):
    """The database is unreachable, or its schema is newer than this version of faq."""

    status_code = 503


class RateLimitedError(FaqError):
    """A client sent more requests than its rate limit allows."""

    status_code = 429

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnauthorizedError(FaqError):
    """An admin request without a valid token."""

    status_code = 401


class ForbiddenError(FaqError):
    """An admin request while administration is disabled (no admin token is set)."""

    status_code = 403
