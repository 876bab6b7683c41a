"""The admin page (/admin/): a static page and its script from this server, with its UI strings
per language; its data comes from the admin JSON routes (faq.api.admin), behind the token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from faq.i18n import _
from faq.site import STATIC

router = APIRouter(include_in_schema=False)

FILES = {
    "": ("admin.html", "text/html; charset=utf-8"),
    "admin.js": ("admin.js", "text/javascript; charset=utf-8"),
    "admin.css": ("admin.css", "text/css; charset=utf-8"),
}
# the page holds no data: the token is asked for by the page and sent only to /api/admin
_HEADERS = {"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"}


@router.get("/admin")
def admin_root(request: Request) -> Response:
    return RedirectResponse(request.url.path + "/", status_code=308)


@router.get("/admin/i18n/{lang}.json")
def admin_strings(request: Request, lang: str) -> Response:
    """The page's UI strings in `lang` (English or a configured language)."""
    from faq.admin_strings import export

    settings = request.app.state.settings
    if lang != "en" and lang not in settings.languages:
        return JSONResponse({"detail": _("Not found")}, status_code=404)
    body: dict[str, Any] = {
        "strings": export(lang),
        "languages": list(settings.languages),
        "default": settings.default_language,
    }
    return JSONResponse(body, headers=_HEADERS)


@router.get("/admin/{name:path}")
def admin_file(name: str) -> Response:
    if name not in FILES:
        return JSONResponse({"detail": _("Not found")}, status_code=404)
    filename, media_type = FILES[name]
    return FileResponse(STATIC / filename, media_type=media_type, headers=_HEADERS)
