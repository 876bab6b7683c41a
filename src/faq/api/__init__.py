"""The HTTP API, the ask widget and the built site on one port: `create_app(settings)`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faq.api.app import create_app as create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # `import faq.api` stays light: FastAPI and the index load only when an app is made
    if name == "create_app":
        from faq.api.app import create_app

        return create_app
    raise AttributeError(name)
