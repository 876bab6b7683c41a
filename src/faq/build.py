"""`faq build`: validate, index (with calibration on the gold set), and the site; all or nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from faq.config import Settings
from faq.embedders import Embedder, get_embedder
from faq.errors import BuildError
from faq.i18n import _
from faq.index import IndexData, Progress, build_index, save
from faq.loader import load
from faq.validate import validate


@dataclass
class BuildReport:
    entries: int = 0
    documents: int = 0
    units: int = 0
    reused: int = 0
    warnings: int = 0
    calibrated: bool = False
    site: bool = False
    seconds: float = 0.0
    fusion: dict[str, Any] = field(default_factory=dict)


def build(
    settings: Settings,
    *,
    site: bool = True,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the index and the site. On any error, the previous index and site stay in place."""
    started = time.perf_counter()
    if not settings.docs.is_dir():
        raise BuildError(_("no knowledge base at {path}").format(path=settings.docs))
    checked = validate(settings.docs, settings.languages, settings.default_language, site=site)
    if not checked.ok:
        first = next(p for p in checked.problems if p.severity == "error")
        raise BuildError(
            _("{count} error(s) in the knowledge base, e.g. {problem}; run `faq validate`").format(
                count=checked.errors, problem=first
            )
        )
    loaded = load(settings.docs, settings.languages)
    embedder = embedder or get_embedder(settings.embedder)
    if progress:
        progress(_("loading the model"), 0, 1)
    data = build_index(settings, loaded.entries, embedder=embedder, progress=progress)
    calibrated = _calibrate(settings, data, embedder, progress)
    if site:
        from faq.site import build_site

        if progress:
            progress(_("building the site"), 0, 1)
        build_site(settings)
    if progress:
        progress(_("writing the index"), 0, 1)
    save(data, settings.index)
    return BuildReport(
        entries=data.meta["entries"],
        documents=data.meta["documents"],
        units=data.meta["units"],
        reused=data.meta["reused_vectors"],
        warnings=checked.warnings,
        calibrated=calibrated,
        site=site,
        seconds=time.perf_counter() - started,
        fusion=data.meta["fusion"],
    )


def _calibrate(
    settings: Settings, data: IndexData, embedder: Embedder, progress: Progress | None
) -> bool:
    from faq.evaluate import calibrate, gold_files, read_gold
    from faq.search import Ranker

    files = gold_files(settings.root, settings.gold) if settings.gold else []
    if not files:
        return False
    if progress:
        progress(_("calibrating on the gold questions"), 0, 1)
    gold = read_gold(files, settings.languages)
    known = {e.id for e in data.entries}
    gold = [g for g in gold if g.expect is None or g.expect in known]
    data.fusion = calibrate(Ranker(data, embedder), gold, settings.min_answered)
    data.meta["fusion"] = data.fusion.__dict__.copy()
    data.meta["calibrated_on"] = len(gold)
    return True
