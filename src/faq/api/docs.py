"""/api/docs: Swagger UI from files this server serves (no CDN, no inline script)."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.staticfiles import StaticFiles

from faq.site import STATIC

INIT_JS = "api-docs.js"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{init}" data-openapi="{openapi}"></script>
</body>
</html>
"""


def swagger_ui_files() -> Path:
    """Swagger UI's script, style sheet and icon, as the fastapi-offline package ships them."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def add_docs(app: FastAPI, prefix: str) -> None:
    """Serve the interactive API docs at `{prefix}/docs`, every file from this server."""
    docs = f"{prefix}/docs"
    app.mount(f"{docs}/assets", StaticFiles(directory=swagger_ui_files()), name="docs-assets")

    @app.get(docs, include_in_schema=False)
    def _docs_page(request: Request) -> HTMLResponse:
        root = html.escape(request.scope.get("root_path", "").rstrip("/"), quote=True)
        page = _PAGE.format(
            title=html.escape(f"{app.title} API"),
            assets=f"{root}{docs}/assets",
            init=f"{root}{docs}/{INIT_JS}",
            openapi=f"{root}{app.openapi_url}",
        )
        return HTMLResponse(page)

    @app.get(f"{docs}/{INIT_JS}", include_in_schema=False)
    def _docs_init() -> FileResponse:
        return FileResponse(STATIC / INIT_JS, media_type="text/javascript; charset=utf-8")
