"""`faq build`: validate, index (calibrated by faq.calibrate), and the site; all or nothing."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from faq.config import Settings
from faq.embedders import Embedder, get_embedder
from faq.errors import BuildError
from faq.i18n import _
from faq.index import IndexData, Progress, build_index, save
from faq.loader import load
from faq.models import Entry
from faq.validate import validate


@dataclass
class BuildReport:
    entries: int = 0
    documents: int = 0
    units: int = 0
    reused: int = 0
    warnings: int = 0
    calibrated: bool = False
    calibration: list[str] = field(default_factory=list)  # what it calibrated on, for people
    site: bool = False
    seconds: float = 0.0
    fusion: dict[str, Any] = field(default_factory=dict)
    threshold: float = 0.5  # of the confidence, for `answered`


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
    checked = validate(settings.docs, settings.languages, settings.default_language)
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
    calibration = _calibrate(settings, data, loaded.entries, embedder, progress)
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
        calibrated=data.confidence.fitted,
        calibration=calibration,
        site=site,
        seconds=time.perf_counter() - started,
        fusion=data.meta["fusion"],
        threshold=data.confidence.threshold,
    )


def _calibrate(
    settings: Settings,
    data: IndexData,
    entries: list[Entry],
    embedder: Embedder,
    progress: Progress | None,
) -> list[str]:
    """Fit the fusion and the confidence model (faq.calibrate) into `data`; say on what."""
    from faq.calibrate import calibrate, describe
    from faq.evaluate import gold_files, read_gold
    from faq.search import Ranker

    files = gold_files(settings.root, settings.gold) if settings.gold else []
    gold = read_gold(files, settings.languages) if files else []
    known = {e.id for e in data.entries}
    gold = [g for g in gold if g.expect is None or g.expect in known]
    if progress:
        progress(_("calibrating the confidence"), 0, 1)
    data.fusion, data.confidence, report = calibrate(Ranker(data, embedder), entries, gold)
    data.meta["fusion"] = asdict(data.fusion)
    data.meta["confidence"] = data.confidence.as_meta()
    return describe(report)
