"""faq: a self-hosted multilingual FAQ knowledge base with search that understands questions."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
