"""faq: a self-hosted multilingual FAQ knowledge base with search that understands questions.

The public API (everything else is internal and may change)::

    import faq

    from faq.build import build

    settings = faq.load_settings()              # faq.toml < FAQ_* environment < overrides
    build(settings)                             # validate, index, calibrate, site; all or nothing
    service = faq.FaqService.open(settings)     # the index being served
    result = service.search("스트리밍이 안 돼요", lang="en")   # a faq.SearchResult
    page = service.entry(result.results[0].id, lang="en")    # a faq.EntryPage

Names are imported when first used, so `import faq` stays cheap (no numpy, no model).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name → the module that defines it
_EXPORTS = {
    "Settings": "faq.config",
    "load_settings": "faq.config",
    "BuildReport": "faq.build",
    "Report": "faq.validate",
    "import_page": "faq.importer",
    "FaqService": "faq.service",
    "Embedder": "faq.embedders",
    "get_embedder": "faq.embedders",
    "Entry": "faq.models",
    "EntryPage": "faq.models",
    "Health": "faq.models",
    "Problem": "faq.models",
    "SearchHit": "faq.models",
    "SearchResult": "faq.models",
    "FaqError": "faq.errors",
    "ConfigError": "faq.errors",
    "EntryError": "faq.errors",
    "ImporterError": "faq.errors",
    "ValidationFailed": "faq.errors",
    "BuildError": "faq.errors",
    "IndexNotFoundError": "faq.errors",
    "IndexMismatchError": "faq.errors",
    "BackendUnavailableError": "faq.errors",
    "QueryError": "faq.errors",
    "NotFoundError": "faq.errors",
    "FeedbackError": "faq.errors",
    "RateLimitedError": "faq.errors",
    "UnauthorizedError": "faq.errors",
    "ForbiddenError": "faq.errors",
}

__all__ = [
    "__version__",
    "Settings",
    "load_settings",
    "BuildReport",
    "Report",
    "import_page",
    "FaqService",
    "Embedder",
    "get_embedder",
    "Entry",
    "EntryPage",
    "Health",
    "Problem",
    "SearchHit",
    "SearchResult",
    "FaqError",
    "ConfigError",
    "EntryError",
    "ImporterError",
    "ValidationFailed",
    "BuildError",
    "IndexNotFoundError",
    "IndexMismatchError",
    "BackendUnavailableError",
    "QueryError",
    "NotFoundError",
    "FeedbackError",
    "RateLimitedError",
    "UnauthorizedError",
    "ForbiddenError",
]

if TYPE_CHECKING:
    from faq.build import BuildReport
    from faq.config import Settings, load_settings
    from faq.embedders import Embedder, get_embedder
    from faq.errors import (
        BackendUnavailableError,
        BuildError,
        ConfigError,
        EntryError,
        FaqError,
        FeedbackError,
        ForbiddenError,
        ImporterError,
        IndexMismatchError,
        IndexNotFoundError,
        NotFoundError,
        QueryError,
        RateLimitedError,
        UnauthorizedError,
        ValidationFailed,
    )
    from faq.importer import import_page
    from faq.models import Entry, EntryPage, Health, Problem, SearchHit, SearchResult
    from faq.service import FaqService
    from faq.validate import Report


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'faq' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
