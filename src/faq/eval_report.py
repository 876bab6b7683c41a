"""`faq eval`: run the gold set through the search and the keyword baseline; tables and gates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from faq.config import Settings
from faq.errors import FaqError
from faq.i18n import _
from faq.service import FaqService


def evaluate(settings: Settings, files: list[Path]) -> dict[str, Any]:
    from faq.evaluate import gold_files, read_gold, report, run_baseline, run_ranker

    paths = files or gold_files(settings.root, settings.gold)
    if not paths:
        raise FaqError(_("no gold files: give some, or set `gold` in the settings"))
    service = FaqService.open(settings)
    gold = read_gold(paths, settings.languages)
    known = {e.id for e in service.data.entries}
    unknown = [g for g in gold if g.expect is not None and g.expect not in known]
    if unknown:
        raise FaqError(
            _("{where}: expected id {id!r} is not in the index").format(
                where=unknown[0].source, id=unknown[0].expect
            )
        )
    ours = run_ranker(service.ranker, gold)
    baseline = run_baseline(service.data, gold)
    return {
        "gold": [str(p) for p in paths],
        "embedder": service.data.meta.get("embedder"),
        "fusion": service.data.meta.get("fusion"),
        "search": report(ours, settings.languages),
        "baseline": report(baseline, settings.languages),
        "confidence": service.data.meta.get("confidence", {}).get("calibration"),
    }


def failures(settings: Settings, result: dict[str, Any]) -> list[str]:
    """The targets of the settings that the search misses."""
    ours = result["search"]
    out = []

    def check(name: str, value: float | None, minimum: float) -> None:
        if value is not None and value + 1e-9 < minimum:
            out.append(f"{name} {value:.3f} < {minimum:.2f}")

    check("recall@1", ours["overall"].get("recall@1"), settings.min_recall_at_1)
    check("recall@3", ours["overall"].get("recall@3"), settings.min_recall_at_3)
    for lang, m in ours["languages"].items():
        check(f"{lang} recall@1", m.get("recall@1"), settings.min_lang_recall_at_1)
    if "cross_lingual" in ours:
        check(
            "cross-lingual recall@3",
            ours["cross_lingual"].get("recall@3"),
            settings.min_cross_recall_at_3,
        )
    check("answered", ours["overall"].get("answered"), settings.min_answered)
    check("rejection", ours["overall"].get("rejection"), settings.min_rejection)
    return out


_COLUMNS = ("questions", "recall@1", "recall@3", "mrr", "answered", "rejection")


def _row(name: str, m: dict[str, Any]) -> str:
    cells = []
    for col in _COLUMNS:
        value = m.get(col)
        if value is None:
            cells.append("-")
        elif col == "questions":
            cells.append(f"{value}+{m.get('off_topic', 0)}")
        else:
            cells.append(f"{value:.3f}")
    return f"{name:<34}" + "".join(f"{c:>11}" for c in cells)


def render_table(result: dict[str, Any]) -> str:
    lines = [
        _("gold: {files}").format(files=", ".join(result["gold"])),
        _("embedder: {name}").format(name=result["embedder"]),
        "",
        f"{'':<34}" + "".join(f"{c:>11}" for c in _COLUMNS),
    ]
    overall, cross = _("overall"), _("cross-lingual")
    for method, label in (("search", "faq"), ("baseline", _("keyword baseline"))):
        r = result[method]
        lines.append(_row(f"{label}: {overall}", r["overall"]))
        for lang, m in r["languages"].items():
            lines.append(_row(f"{label}: {lang}", m))
        if "cross_lingual" in r:
            lines.append(_row(f"{label}: {cross}", r["cross_lingual"]))
        lines.append("")
    ho = result.get("held_out")
    if ho:
        lines.append(
            _(
                "calibration held out (2-fold): recall@1 {r1:.3f}, answered {a:.3f},"
                " rejection {rej:.3f}"
            ).format(r1=ho["recall@1"], a=ho["answered"], rej=ho["rejection"])
        )
    ours = result["search"].get("cross_lingual", {}).get("recall@1")
    base = result["baseline"].get("cross_lingual", {}).get("recall@1")
    if ours is not None and base is not None:
        ratio = f"{ours / base:.1f}×" if base else "∞"
        lines.append(
            _("cross-lingual recall@1: {ours:.3f} vs {base:.3f} for keywords ({ratio})").format(
                ours=ours, base=base, ratio=ratio
            )
        )
    return "\n".join(lines)
