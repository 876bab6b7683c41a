"""`faq build` and the library function `faq.build`: validate, index (calibrated by
faq.calibrate), and the site; all or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from faq.atomic import transaction
from faq.config import Settings
from faq.embedders import Embedder, get_embedder
from faq.errors import BuildError
from faq.i18n import _
from faq.index import IndexData, Progress, build_index, write_index
from faq.loader import display_path, load
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
    # a question that shares no content word with the pages is judged by the dense leg alone
    lexical_free: bool = False


def build(
    settings: Settings,
    *,
    site: bool = True,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> BuildReport:
    """Build the index and the site, under the build lock, and swap both in at once.

    A second build waits for the lock (`on_wait` is called first), or with `wait=False` raises
    BuildError at once. On any error (invalid entries, mkdocs, a full disk, a kill) the previous
    index and site stay in place, together; errors are BuildError, one line."""
    started = time.perf_counter()
    if not settings.docs.is_dir():
        raise BuildError(_("no knowledge base at {path}").format(path=settings.docs))
    checked = validate(settings.docs, settings.languages, settings.default_language, site=site)
    if not checked.ok:  # before the lock: an invalid knowledge base writes nothing
        first = next(p for p in checked.problems if p.severity == "error")
        raise BuildError(
            _("{count} error(s) in the knowledge base, e.g. {problem}; run `faq validate`").format(
                count=checked.errors, problem=first
            )
        )
    embedder = embedder or get_embedder(settings.embedder)  # an unknown one: before any write
    with transaction(
        settings.index, settings.site if site else None, wait=wait, on_wait=on_wait
    ) as (builds, slot):
        loaded = load(settings.docs, settings.languages)
        if progress:
            progress(_("loading the model"), 0, 1)
        data = build_index(settings, loaded.entries, embedder=embedder, progress=progress)
        data, calibration = _calibrate(settings, data, loaded.entries, embedder, progress)
        if site:
            from faq.site import write_site

            if progress:
                progress(_("building the site"), 0, 1)
            write_site(settings, slot.site)
        else:
            builds.carry_over(slot, "site")
        if progress:
            progress(_("writing the index"), 0, 1)
        write_index(data, slot.index)
        builds.commit(slot)
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
        lexical_free=data.confidence.lexical_free is not None,
    )


def _calibrate(
    settings: Settings,
    data: IndexData,
    entries: list[Entry],
    embedder: Embedder,
    progress: Progress | None,
) -> tuple[IndexData, list[str]]:
    """`data` with the fusion and the confidence model fitted for it (faq.calibrate), and what
    they were fitted on, for people."""
    from faq.calibrate import calibrate, describe
    from faq.evaluate import calibration_files, read_gold
    from faq.search import Ranker

    files, left_out = calibration_files(settings.root, settings.gold, settings.gold_test)
    gold = read_gold(files, settings.languages) if files else []
    known = {e.id for e in data.entries}
    gold = [g for g in gold if g.expect is None or g.expect in known]
    if progress:
        progress(_("calibrating the confidence"), 0, 1)
    fusion, confidence, report = calibrate(Ranker(data, embedder), entries, gold)
    meta = {**data.meta, "fusion": asdict(fusion), "confidence": confidence.as_meta()}
    lines = describe(report)
    if left_out:
        lines.append(
            _(
                "warning: {files} match both `gold` and `gold_test`: left out of the calibration, "
                "since the test part is never tuned on"
            ).format(files=", ".join(display_path(p, settings.root) for p in left_out))
        )
    return replace(data, fusion=fusion, confidence=confidence, meta=meta), lines
