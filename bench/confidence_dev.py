"""Development figures for the ranking and its confidence (issue #10 targets), in one run:

- the shipped knowledge base, calibrated on the even-hash half of the gold files (a stand-in
  for the gold engineer's calibration part) and measured on the other half, and on the
  real-style questions (`../shared/real-style-questions.jsonl`, or env FAQ_REAL_STYLE): its
  dev part (sha256 even) or, with --held-out, the held-out part (report only, never tune);
- a knowledge base imported by `faq import` from the flat Korean page in tests/data, with no
  gold at all, measured on the Korean gold questions and the gold off-topic ones.

    python bench/confidence_dev.py [--held-out] [--skip-imported]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import table, write_results  # noqa: E402
from faq.build import build  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.evaluate import gold_files, read_gold  # noqa: E402
from faq.service import FaqService  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("FAQ_REAL_STYLE", ROOT.parent / "shared/real-style-questions.jsonl"))
if not REAL.is_file():
    REAL = Path("/work/shared/real-style-questions.jsonl")


def even(q: str) -> bool:
    return int(hashlib.sha256(q.encode("utf-8")).hexdigest(), 16) % 2 == 0


BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def reliability(pairs: list[tuple[float, bool]]) -> list[list[Any]]:
    """Per confidence bin: questions, mean confidence, share whose first hit is right."""
    out: list[list[Any]] = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [(c, r) for c, r in pairs if lo <= c < hi]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            right = sum(r for _, r in inside) / len(inside)
            out.append([f"{lo:.1f}-{min(hi, 1.0):.1f}", len(inside), f"{mean:.2f}", f"{right:.2f}"])
    return out


PAIRS: list[tuple[float, bool]] = []


def measure(service: FaqService, rows: list[tuple[str, str | None]]) -> dict[str, Any]:
    ranked = service.ranker.rank_many([q for q, _ in rows])
    PAIRS.extend(
        (r.confidence, e is not None and r.ids[:1] == [e])
        for r, (_, e) in zip(ranked, rows, strict=True)
    )
    real = [(r, e) for r, (_, e) in zip(ranked, rows, strict=True) if e is not None]
    off = [r for r, (_, e) in zip(ranked, rows, strict=True) if e is None]
    top1 = [r.ids[:1] == [e] for r, e in real]
    answered = [r.answered for r, _ in real]
    right_answered = sum(a and t for a, t in zip(answered, top1, strict=True))
    return {
        "n": f"{len(real)}+{len(off)}",
        "recall@1": sum(top1) / max(len(real), 1),
        "recall@3": sum(e in r.ids[:3] for r, e in real) / max(len(real), 1),
        "answered": sum(answered) / max(len(real), 1),
        "precision": right_answered / max(sum(answered), 1),
        "rejection": sum(not r.answered for r in off) / max(len(off), 1),
    }


def imported_english(base: Any, work: Path, gold: list[Any]) -> dict[str, Any]:
    """The English entries flattened into one FAQ page (titles and answers only, as a user's
    own page would be), imported with `faq import`, built with no gold, asked the English gold
    questions."""
    from faq.importer import import_page
    from faq.loader import load

    entries = load(base.docs, ("en",)).entries
    page, id_map = ["# FAQ", ""], []
    for e in sorted(entries, key=lambda e: (e.section, e.id)):
        page += [f"## {e.title}", "", e.body.strip(), ""]
        id_map.append(f"{e.title}\t{e.id}\t{e.section}")
    kb = work / "imported-en"
    kb.mkdir()
    (kb / "faq.md").write_text("\n".join(page), "utf-8")
    (kb / "ids.tsv").write_text("\n".join(id_map) + "\n", "utf-8")
    import_page(kb / "faq.md", "en", kb / "docs", id_map=kb / "ids.tsv")
    settings = base.replace(
        docs_dir=str(kb / "docs"),
        index_dir=str(kb / "index"),
        site_dir=str(kb / "site"),
        languages=["en"],
        default_language="en",
        gold="",
    )
    rep = build(settings, site=False)
    print("\n".join(rep.calibration), f"threshold {rep.threshold:.3f}")
    en = [(g.q, g.expect) for g in gold if g.lang == "en" and not g.cross]
    return measure(FaqService.open(settings), en)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--held-out", action="store_true", help="report the held-out part")
    parser.add_argument("--skip-imported", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="faq-confidence-"))
    base = load_settings(ROOT / "faq.toml", env={})
    gold = read_gold(gold_files(base.root, base.gold), base.languages)
    cal = work / "gold-cal"
    cal.mkdir()
    with (cal / "cal.jsonl").open("w") as f:
        for g in gold:
            if even(g.q):
                row = {"q": g.q, "lang": g.lang, "expect": g.expect}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    test = [(g.q, g.expect) for g in gold if not even(g.q)]
    settings = base.replace(
        index_dir=str(work / "index"), site_dir=str(work / "site"), gold=str(cal / "*.jsonl")
    )
    report = build(settings, site=False)
    print("\n".join(report.calibration), f"threshold {report.threshold:.3f}", report.fusion)
    service = FaqService.open(settings)
    real = [json.loads(line) for line in REAL.read_text("utf-8").splitlines() if line.strip()]
    part = [r for r in real if even(r["q"]) != args.held_out]
    results = {
        "gold test half": measure(service, test),
        "real-style " + ("held-out" if args.held_out else "dev"): measure(
            service, [(r["q"], r["expect"]) for r in part]
        ),
    }
    if not args.skip_imported:
        from faq.importer import import_page

        kb = work / "imported"
        import_page(
            ROOT / "tests/data/seed-faq-ko.md",
            "ko",
            kb / "docs",
            id_map=ROOT / "tests/data/faq-entry-ids.md",
        )
        imported = base.replace(
            docs_dir=str(kb / "docs"),
            index_dir=str(kb / "index"),
            site_dir=str(kb / "site"),
            languages=["ko"],
            default_language="ko",
            gold="",
        )
        rep = build(imported, site=False)
        print("\n".join(rep.calibration), f"threshold {rep.threshold:.3f}")
        svc = FaqService.open(imported)
        ko = [(g.q, g.expect) for g in gold if g.lang == "ko" and not g.cross]
        results["imported ko, no gold"] = measure(svc, ko)
        results["imported en, no gold"] = imported_english(base, work, gold)
    cols = ["n", "recall@1", "recall@3", "answered", "precision", "rejection"]
    rows = [
        [name] + [m[c] if c == "n" else f"{m[c]:.3f}" for c in cols] for name, m in results.items()
    ]
    print(table(["set", *cols], rows))
    bins = reliability(PAIRS)
    print("\nreliability (all sets above): confidence bin, questions, mean confidence, right")
    print(table(["bin", "n", "confidence", "right"], bins))
    write_results(
        "confidence_dev", {"held_out": args.held_out, "results": results, "reliability": bins}
    )


if __name__ == "__main__":
    main()
