"""The built site, the widget script and its UI strings, served next to the API."""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from faq.atomic import OWNER
from faq.config import Settings
from faq.i18n import _
from faq.site import STATIC, WIDGET_JS

SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
_SITE: ContextVar[Path] = ContextVar("faq_site")


class SiteFiles(StaticFiles):
    """settings.site with `/<default language>/…` as an alias of `/…`, the 404 page of the
    language in the path (`/zh/…` → zh/404.html, else the root one), no directory listing,
    and a new build picked up at once (the site folder is a symlink that
    `faq build` swaps; it is resolved on every request)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(directory=settings.site, html=True, check_dir=False)
        self.site = settings.site
        self.default_language = settings.default_language
        self.languages = settings.languages

    async def check_config(self) -> None:
        """A missing site is a 404 with a hint, not a startup error: the API works without it."""

    def served_site(self, scope: Scope) -> Path:
        """The site of the build whose index is being served (its sibling in the build folder,
        see faq.atomic): a page and the answers its widget gets come from one build, even in
        the second between a swap and the server's reload. Else settings.site."""
        state = getattr(scope.get("app"), "state", None)
        service = getattr(state, "service", None)
        if service is not None:
            build: Path = service.index_path.parent
            if service.index_path.name == "index" and (build / OWNER).is_file():
                if (build / "site").is_dir():
                    return build / "site"
        return self.site

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """StaticFiles.lookup_path over this request's site (follow_symlink off: realpath)."""
        if path.startswith(("/", "\\")):
            return "", None
        directory = os.path.realpath(_SITE.get(self.site))
        full_path = os.path.realpath(os.path.join(directory, path))
        if os.path.commonpath([full_path, directory]) != directory:
            return "", None  # out of the site: never
        try:
            return full_path, os.stat(full_path)
        except (FileNotFoundError, NotADirectoryError):
            return "", None

    def get_path(self, scope: Scope) -> str:
        path = super().get_path(scope)
        head, _sep, rest = path.partition(os.sep)
        if head == self.default_language:
            return rest or "."
        return path

    async def get_response(self, path: str, scope: Scope) -> Response:
        site = self.served_site(scope)
        _SITE.set(site)  # read by lookup_path, in this request's context (threads inherit it)
        if not site.is_dir():
            if scope["method"] not in ("GET", "HEAD"):
                raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
            return PlainTextResponse(
                _("The site is not built: run `faq build`. The API is at /api/docs."),
                status_code=404,
            )
        if os.path.basename(path) in SITEMAPS and not self.lookup_path(path)[1]:
            # the theme fetches <page>/sitemap.xml for every alternate-language link of a page;
            # answer those cheaply rather than with the 404 page
            return Response(status_code=404)
        try:
            response = await super().get_response(path, scope)  # 404.html when there is no page
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            return PlainTextResponse(_("Not found"), status_code=404)
        if response.status_code == 404:
            return self._language_404(path) or response
        return response

    def _language_404(self, path: str) -> Response | None:
        """The 404 page of the language whose folder `path` is in, if it has one."""
        head = path.split(os.sep, 1)[0]
        if head == self.default_language or head not in self.languages:
            return None
        full_path, stat = self.lookup_path(os.path.join(head, "404.html"))
        if stat is None or not full_path:
            return None
        return FileResponse(full_path, stat_result=stat, status_code=404)


def widget_script() -> FileResponse:
    """The ask widget, always the one of this version of faq."""
    return FileResponse(
        STATIC / WIDGET_JS,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


def widget_strings(settings: Settings, lang: str) -> Response:
    """The widget's UI strings in one language, as the site build exports them."""
    from faq.widget_strings import export

    if lang != "en" and lang not in settings.languages:
        return JSONResponse({"detail": _("Not found")}, status_code=404)
    body: dict[str, Any] = export(lang)
    return JSONResponse(body, headers={"Cache-Control": "no-cache"})
