"""`faq eval`: the frozen test part (and, labelled in-sample, the calibration part) through the
search and the keyword baseline; the report, its table and the targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from faq.config import Settings
from faq.errors import FaqError
from faq.evaluate import Gold, Report
from faq.i18n import N_, _
from faq.service import FaqService
from faq.text import norm_key


class Part(TypedDict):
    """One set of gold questions through both methods."""

    files: list[str]
    in_sample: bool  # the index was calibrated on these questions
    search: Report
    baseline: Report


class EvalResult(TypedDict):
    """What `faq eval --json` prints (plus `failed`)."""

    embedder: str | None
    fusion: dict[str, Any] | None
    calibration: dict[str, Any] | None  # what `faq build` calibrated the confidence on
    test: Part | None  # the frozen test part (`gold_test`)
    in_sample: Part | None  # the calibration part (`gold`): in-sample
    overlap: int  # test questions also in the calibration part
    gated: str  # "test", or "in_sample" when there is no test part
    stale_calibration: bool  # the index was calibrated on other gold than the calibration part


def _gated(result: EvalResult) -> Part:
    part = result["test"] or result["in_sample"]
    assert part is not None  # evaluate() refuses to run without either
    return part


def _resolved(paths: list[Path]) -> set[Path]:
    return {p.resolve() for p in paths}


def gold_parts(settings: Settings, files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(test files, in-sample files). Without `files`: the `gold_test` glob, and the `gold`
    glob (what `faq build` calibrates on). Given files count as in-sample when they are among
    the calibration files, else as test files."""
    from faq.evaluate import calibration_files, gold_files

    calibration, _left_out = calibration_files(settings.root, settings.gold, settings.gold_test)
    if files:
        seen = _resolved(calibration)
        return [f for f in files if f.resolve() not in seen], [
            f for f in files if f.resolve() in seen
        ]
    test = gold_files(settings.root, settings.gold_test) if settings.gold_test else []
    return test, calibration


def evaluate(settings: Settings, files: list[Path]) -> EvalResult:
    """The report of `faq eval` (JSON-ready): `test` and `in_sample` parts (either may be None),
    `overlap` (test questions also in the calibration part), and which part the targets gate.
    Raises FaqError without gold files, on a bad gold line, or on an unknown expected id."""
    from faq.evaluate import read_gold, report, run_baseline, run_ranker

    test_paths, sample_paths = gold_parts(settings, files)
    if not test_paths and not sample_paths:
        raise FaqError(_("no gold files: give some, or set `gold_test` and `gold` in the settings"))
    service = FaqService.open(settings)
    known = {e.id for e in service.data.entries}

    def part(paths: list[Path], in_sample: bool) -> tuple[Part | None, list[Gold]]:
        if not paths:
            return None, []
        gold = read_gold(paths, settings.languages)
        unknown = [g for g in gold if g.expect is not None and g.expect not in known]
        if unknown:
            raise FaqError(
                _("{where}: expected id {id!r} is not in the index").format(
                    where=unknown[0].source, id=unknown[0].expect
                )
            )
        ours = run_ranker(service.ranker, gold)
        keywords = run_baseline(service.data, gold)
        return {
            "files": [str(p) for p in paths],
            "in_sample": in_sample,
            "search": report(ours, settings.languages),
            "baseline": report(keywords, settings.languages),
        }, gold

    test, test_gold = part(test_paths, False)
    sample, sample_gold = part(sample_paths, True)
    seen = {norm_key(g.q) for g in sample_gold}
    calibration = service.data.meta.get("confidence", {}).get("calibration") or {}
    calibrated = int(calibration.get("sources", {}).get("gold", 0))
    return {
        "embedder": service.data.meta.get("embedder"),
        "fusion": service.data.meta.get("fusion"),
        "calibration": service.data.meta.get("confidence", {}).get("calibration"),
        "test": test,
        "in_sample": sample,
        "overlap": sum(norm_key(g.q) in seen for g in test_gold),
        "gated": "test" if test else "in_sample",
        # the index was calibrated on other gold questions than the calibration part holds now
        # (built before they were written or changed): `faq build` again
        "stale_calibration": bool(sample_gold) and calibrated != len(sample_gold),
    }


def failures(settings: Settings, result: EvalResult) -> list[str]:
    """The targets of the settings that the search misses, on the test part (on the in-sample
    part only when there is no test part)."""
    ours = _gated(result)["search"]
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
    check("answered precision", ours["overall"].get("precision"), settings.min_precision)
    check("rejection", ours["overall"].get("rejection"), settings.min_rejection)
    return out


_COLUMNS = ("questions", "recall@1", "recall@3", "mrr", "answered", "precision", "rejection")
_WIDE = 36
_IN_SAMPLE = N_("in-sample: calibrated on these")


def _row(name: str, m: Any) -> str:
    cells = []
    for col in _COLUMNS:
        value = m.get(col)
        if value is None:
            cells.append("-")
        elif col == "questions":
            cells.append(f"{value}+{m.get('off_topic', 0)}")
        else:
            cells.append(f"{value:.3f}")
    return f"{name:<{_WIDE}}" + "".join(f"{c:>10}" for c in cells)


def _method_rows(label: str, r: Report) -> list[str]:
    overall, cross = _("overall"), _("cross-lingual")
    rows = [_row(f"{label}: {overall}", r["overall"])]
    rows += [_row(f"{label}: {lang}", m) for lang, m in r["languages"].items()]
    if "cross_lingual" in r:
        rows.append(_row(f"{label}: {cross}", r["cross_lingual"]))
    return rows


def render_table(result: EvalResult) -> str:
    """The report as text: the test part per method and language, the in-sample line, the
    reliability of the search's confidence on the test part."""
    header = f"{'':<{_WIDE}}" + "".join(f"{c:>10}" for c in _COLUMNS)
    lines = [_("embedder: {name}").format(name=result["embedder"])]
    test, sample = result["test"], result["in_sample"]
    label = _(_IN_SAMPLE)
    if test:
        lines += [_("test part: {files}").format(files=", ".join(test["files"])), "", header]
        lines += _method_rows("faq", test["search"])
        lines += _method_rows(_("keyword baseline"), test["baseline"])
    else:
        lines.append(_("no test part (`gold_test`): every figure below is in-sample"))
    if sample:
        lines += ["", _("{label}: {files}").format(label=label, files=", ".join(sample["files"]))]
        if not test:
            lines += [header, *_method_rows("faq", sample["search"])]
            lines += _method_rows(_("keyword baseline"), sample["baseline"])
        else:
            lines.append(_row(f"faq ({label})", sample["search"]["overall"]))
    if result.get("stale_calibration"):
        lines.append(
            _(
                "warning: the index was calibrated on {built} gold question(s), the calibration"
                " part has {now}: run `faq build` before reading these figures"
            ).format(
                built=(result["calibration"] or {}).get("sources", {}).get("gold", 0),
                now=sample["search"]["overall"].get("questions", 0)
                + sample["search"]["overall"].get("off_topic", 0)
                if sample
                else 0,
            )
        )
    if result["overlap"]:
        lines.append(
            _("warning: {count} test question(s) are also in the calibration part").format(
                count=result["overlap"]
            )
        )
    gated = _gated(result)
    bins = gated["search"].get("reliability") or []
    if bins:
        lines += [
            "",
            _("reliability of the top hit's score (faq, {part}):").format(
                part=_("test part") if test else label
            ),
        ]
        score, count, right = _("score"), _("questions"), _("right at rank 1")
        lines.append(f"{score:<14}{count:>10}{right:>18}")
        for b in bins:
            lines.append(
                f"{b['low']:.1f}–{b['high']:.1f}{'':<7}{b['count']:>10}{b['right']:>18.3f}"
            )
    return "\n".join(lines)
