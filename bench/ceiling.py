"""How far the threshold alone could go: issue #10's targets against the best threshold in
hindsight, per question set, next to what the build's calibrated threshold does (same run).

For each set the search's confidences are kept as they are and every threshold is tried; the
**hindsight** columns give the one that answers the most answerable questions while the answered
ones stay right at rank 1 at least 90 % of the time and at least 70 % of the off-topic ones fall
below it (issue #10's targets). The threshold is chosen on the very questions it is measured on:
an upper bound for any threshold rule over these confidences, **not a result**. When even it misses
a target, the gap is in the confidence's separation of right from off-topic answers (reported as
AUC: the chance that a right first hit scores above an off-topic question's first hit), or in the
ranking (recall@1 caps the answered share at precision 0.90: answered <= recall@1 / 0.90), not
in the calibration. For the pages without gold, the figure is issue #10's "answered with the
right entry first" (no precision condition), per page with its own threshold in hindsight.

Sets: the gold test part and calibration part (`faq build` tuned on the latter), the held-out and
dev halves of the real-style file (read in place, never copied), and the pages of
`bench/data/byo-dev` (dev) and `tests/data/byo` (test), each imported and built as in
bench/quality.py.

Usage (after `faq build` in the repo root): python bench/ceiling.py [--no-byo]
Writes bench/results/ceiling.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _byo import BYO, BYO_DEV, run_byo  # noqa: E402
from _common import table, write_results  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.evaluate import gold_files, read_gold, run_ranker  # noqa: E402
from faq.service import FaqService  # noqa: E402
from quality import REAL_STYLE, is_dev, read_real_style  # noqa: E402

PRECISION, REJECTION = 0.90, 0.70  # issue #10's targets


def auc(right: list[float], off: list[float]) -> float | None:
    """P(a right first hit's confidence > an off-topic question's), ties counting half
    (the Mann-Whitney form of the ROC area); None when either side is empty."""
    if not right or not off:
        return None
    r, o = np.asarray(right)[:, None], np.asarray(off)[None, :]
    return float(np.mean((r > o) + 0.5 * (r == o)))


def ceiling(conf: list[float], right: list[bool | None], *, precision: bool) -> dict[str, Any]:
    """Per-question confidences and outcomes (True/False: answerable, first hit right or not;
    None: off-topic) → the current decision's figures are elsewhere; here, the threshold in
    hindsight: the most answerable questions answered (right first, when `precision` is False)
    with answered precision >= PRECISION (if `precision`) and rejection >= REJECTION."""
    c = np.asarray(conf, dtype=float)
    answerable = np.asarray([r is not None for r in right])
    hit = np.asarray([bool(r) for r in right])
    best: dict[str, Any] = {"threshold": None, "answered": 0.0, "precision": None, "rejection": 1.0}
    n_ans, n_off = int(answerable.sum()), int((~answerable).sum())
    for t in np.unique(np.r_[c, np.inf]):
        said = c >= t
        answered = said & answerable
        rejection = float(np.mean(~said[~answerable])) if n_off else 1.0
        prec = float(np.mean(hit[answered])) if answered.any() else 1.0
        share = float(np.sum(answered if precision else answered & hit)) / max(n_ans, 1)
        if rejection >= REJECTION and (prec >= PRECISION or not precision):
            if share > best["answered"]:
                best = {
                    "threshold": float(t),
                    "answered": share,
                    "precision": prec,
                    "rejection": rejection,
                }
    best["auc"] = auc(
        [float(x) for x, a, h in zip(c, answerable, hit, strict=True) if a and h],
        [float(x) for x, a in zip(c, answerable, strict=True) if not a],
    )
    return best


def shipped_rows() -> list[dict[str, Any]]:
    settings = load_settings(Path("faq.toml"))
    service = FaqService.open(settings)
    ids = {e.id for e in service.data.entries}
    real = [
        g
        for g in read_real_style(REAL_STYLE, settings.languages, settings.default_language)
        if g.expect is None or g.expect in ids
    ]
    sets = {
        "gold test part": read_gold(
            gold_files(settings.root, settings.gold_test), settings.languages
        ),
        "gold calibration part (in-sample)": read_gold(
            gold_files(settings.root, settings.gold), settings.languages
        ),
        "real-style held-out half": [g for g in real if not is_dev(g.q)],
        "real-style dev half": [g for g in real if is_dev(g.q)],
    }
    rows = []
    for name, gold in sets.items():
        run = run_ranker(service.ranker, gold)
        right = [
            None if g.expect is None else bool(r) and r[0] == g.expect
            for g, r in zip(gold, run.ranked, strict=True)
        ]
        conf = [float(c or 0.0) for c in run.confidence]
        rows.append(_row(name, right, run.answered, conf, precision=True))
    return rows


def _row(
    name: str, right: list[bool | None], answered: list[bool], conf: list[float], *, precision: bool
) -> dict[str, Any]:
    ans = [i for i, r in enumerate(right) if r is not None]
    off = [i for i, r in enumerate(right) if r is None]
    said = [i for i in ans if answered[i]]
    now = {
        "answered": (
            len(said) / len(ans) if precision else sum(bool(right[i]) for i in said) / len(ans)
        )
        if ans
        else None,
        "precision": sum(bool(right[i]) for i in said) / len(said) if said else None,
        "rejection": sum(not answered[i] for i in off) / len(off) if off else None,
    }
    return {
        "set": name,
        "answerable": len(ans),
        "off_topic": len(off),
        "recall@1": sum(bool(right[i]) for i in ans) / len(ans) if ans else None,
        "now": now,
        "hindsight": ceiling(conf, right, precision=precision),
        "measure": "answered" if precision else "answered with the right entry first",
    }


def byo_rows(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for page in run_byo(folder)["pages"]:
        details = page["details"]
        right = [None if d["expect"] is None else bool(d["right_first"]) for d in details]
        rows.append(
            _row(
                f"{page['page']} ({'dev' if folder == BYO_DEV else 'test'})",
                right,
                [bool(d["answered"]) for d in details],
                [float(d["confidence"] or 0.0) for d in details],
                precision=False,
            )
        )
    return rows


def fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-byo", action="store_true", help="skip the pages without gold")
    args = parser.parse_args()
    rows = shipped_rows()
    if not args.no_byo:
        rows += byo_rows(BYO_DEV) + byo_rows(BYO)
    print(
        table(
            [
                "set",
                "n",
                "recall@1",
                "answered now",
                "precision now",
                "rejected now",
                "answered hindsight",
                "precision",
                "rejected",
                "AUC",
            ],
            [
                [
                    r["set"],
                    f"{r['answerable']}+{r['off_topic']}",
                    fmt(r["recall@1"]),
                    fmt(r["now"]["answered"]),
                    fmt(r["now"]["precision"]),
                    fmt(r["now"]["rejection"]),
                    fmt(r["hindsight"]["answered"]),
                    fmt(r["hindsight"]["precision"]),
                    fmt(r["hindsight"]["rejection"]),
                    fmt(r["hindsight"]["auc"]),
                ]
                for r in rows
            ],
        )
    )
    print(
        "\nanswered: of the answerable questions (for the pages without gold: answered with the"
        " right entry first); hindsight: the best threshold chosen on the same questions, with"
        f" precision >= {PRECISION} (gold and real-style sets) and rejection >= {REJECTION}: an"
        " upper bound, not a result"
    )
    print(f"written: {write_results('ceiling', {'rows': rows})}")


if __name__ == "__main__":
    main()
