"""Search quality in one run, side by side: faq, the keyword baseline and the site's own search.

Question sets (rows): the gold test part (`gold_test`, never read by `faq build`); the gold
calibration part (`gold`, labelled in-sample: `faq build` tuned on it); the held-out half of
the real-style file (`/work/shared/real-style-questions.jsonl` or `$FAQ_REAL_STYLE`; read, never
copied) and its dev half (labelled dev). Methods: faq (the built index), the keyword baseline
(faq.baseline: BM25 over the reader's language, tokenised as the site search does) and the
real mkdocs-material search of `build/site` in headless Chromium (bench/_site_search.py).
Then knowledge bases without gold: each `<page>.md` of `bench/data/byo-dev/` (dev, may be
tuned on) and of `tests/data/byo/` (test, never tuned on) imported, built and asked its
`<page>.questions.jsonl`; `--byo DIR` (repeatable) asks other folders instead. Per-question
details of those: bench/byo_report.py.

Usage (after `faq build` in the repo root, with the `bench` extra installed):
    python bench/quality.py [--no-browser] [--browser-limit N] [--no-byo] [--byo DIR]… [--markdown]
Writes bench/results/quality.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _byo import BYO, BYO_DEV, pooled, run_byo  # noqa: E402
from _common import table, write_results  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.evaluate import (  # noqa: E402
    Gold,
    Run,
    gold_files,
    metrics,
    read_gold,
    reliability,
    run_baseline,
    run_ranker,
)
from faq.service import FaqService  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL_STYLE = Path(
    os.environ.get("FAQ_REAL_STYLE", ROOT.parent / "shared/real-style-questions.jsonl")
)
if not REAL_STYLE.is_file():
    REAL_STYLE = Path("/work/shared/real-style-questions.jsonl")

# issue #10's targets, on the test part and the held-out real-style part
TARGETS = {
    "recall@1": 0.88,
    "recall@3": 0.97,
    "answered": 0.92,
    "precision": 0.90,
    "rejection": 0.70,
}
COLUMNS = ("recall@1", "recall@3", "mrr", "answered", "precision", "rejection")


def is_dev(question: str) -> bool:
    """The shared split rule of the real-style file (see the common notes): even hash → dev."""
    return int(hashlib.sha256(question.encode("utf-8")).hexdigest(), 16) % 2 == 0


def read_real_style(path: Path, languages: tuple[str, ...], default: str) -> list[Gold]:
    """The real-style questions as gold lines. A language the knowledge base lacks (ru) is read
    on the English site if there is one (its questions mix in English), else the default; zh-TW
    on the zh site."""
    out = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        lang = str(obj["lang"]).split("-")[0]
        if lang not in languages:
            lang = "en" if "en" in languages else default
        out.append(Gold(obj["q"], lang, obj.get("expect"), None, f"{path}:{number}"))
    return out


def site_run(site: Any, gold: list[Gold], ids: set[str]) -> tuple[Run, dict[str, Any]]:
    """The site search on each question. Its results mix every language's pages (one search
    index for the whole site): an entry counts once, at its first place, in any language (in
    the site search's favour); how often the first result is in another language is noted."""
    from _site_search import page_id, page_lang

    run = Run(gold, [], [], [], [])
    took, foreign, stuck = [], 0, site.stuck
    for g in gold:
        hrefs, count, seconds = site.search(g.q, g.lang)
        ranked = list(dict.fromkeys(page_id(h, ids) for h in hrefs))
        run.ranked.append(ranked)
        run.scores.append([])
        run.answered.append(count > 0)
        run.confidence.append(None)
        took.append(seconds)
        if hrefs and page_lang(hrefs[0], site.languages, site.default_language) != g.lang:
            foreign += 1
    return run, {
        "questions": len(gold),
        "p50_ms": round(1000 * sorted(took)[len(took) // 2], 1) if took else None,
        "first_result_in_another_language": foreign,
        "query_rejected_by_lunr": site.stuck - stuck,
    }


def fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the site search")
    parser.add_argument(
        "--browser-limit",
        type=int,
        default=0,
        help="at most N questions per set for the site search (a fixed sample; 0: all)",
    )
    parser.add_argument("--port", type=int, default=8110, help="static server port (loopback)")
    parser.add_argument(
        "--byo",
        type=Path,
        action="append",
        help=f"folder of <page>.md + questions (repeatable; default: {BYO_DEV} and {BYO})",
    )
    parser.add_argument("--no-byo", action="store_true", help="skip the imported bases")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the README's Markdown table"
    )
    args = parser.parse_args()

    settings = load_settings(ROOT / "faq.toml")
    service = FaqService.open(settings)
    ids = {e.id for e in service.data.entries}
    langs = settings.languages
    sets: list[tuple[str, str, list[Gold]]] = []  # (key, label, questions)
    test_files = gold_files(settings.root, settings.gold_test) if settings.gold_test else []
    cal_files = gold_files(settings.root, settings.gold) if settings.gold else []
    cal_files = [f for f in cal_files if f not in test_files]
    if test_files:
        sets.append(("gold_test", "gold test part", read_gold(test_files, langs)))
    if cal_files:
        sets.append(
            ("gold_calibration", "gold calibration (in-sample)", read_gold(cal_files, langs))
        )
    if REAL_STYLE.is_file():
        real = read_real_style(REAL_STYLE, langs, settings.default_language)
        real = [g for g in real if g.expect is None or g.expect in ids]
        sets.append(("real_held_out", "real-style held-out", [g for g in real if not is_dev(g.q)]))
        sets.append(("real_dev", "real-style dev", [g for g in real if is_dev(g.q)]))
    else:
        print(f"no real-style file at {REAL_STYLE}: set FAQ_REAL_STYLE", file=sys.stderr)

    runs: dict[str, dict[str, Run]] = {}
    for key, _label, gold in sets:
        runs[key] = {
            "faq": run_ranker(service.ranker, gold),
            "keyword baseline": run_baseline(service.data, gold),
        }
    site_timing: dict[str, Any] = {}
    if not args.no_browser:
        from _site_search import SiteSearch, static_server

        with (
            static_server(settings.site, args.port) as base,
            SiteSearch(base, langs, settings.default_language) as site,
        ):
            for key, _label, gold in sets:
                if key == "gold_calibration":
                    continue  # nothing was tuned on it for the site search: the test part says it
                chosen = gold
                if args.browser_limit and len(gold) > args.browser_limit:
                    chosen = random.Random(0).sample(gold, args.browser_limit)
                start = time.perf_counter()
                runs[key]["site search"], site_timing[key] = site_run(site, chosen, ids)
                site_timing[key]["seconds"] = round(time.perf_counter() - start, 1)

    rows: list[list[Any]] = []
    out: dict[str, Any] = {"sets": {}, "targets": TARGETS, "site_search_timing": site_timing}
    for key, label, _gold in sets:
        out["sets"][key] = {"label": label, "in_sample": key == "gold_calibration"}
        for method, run in runs[key].items():
            m = metrics(run, list(range(len(run.gold))))
            out["sets"][key][method] = {
                **m,
                "reliability": reliability(run, list(range(len(run.gold)))),
            }
            rows.append(
                [
                    label,
                    method,
                    f"{m.get('questions', 0)}+{m.get('off_topic', 0)}",
                    *[fmt(m.get(c)) for c in COLUMNS],  # type: ignore[misc]
                ]
            )
    rows.append(["target (test, held-out)", "", "", *[fmt(TARGETS.get(c)) for c in COLUMNS]])
    headers = ["questions", "method", "n", *COLUMNS]
    calibration = service.data.meta.get("confidence", {}).get("calibration", {})
    print(
        f"embedder {service.data.meta.get('embedder')}; calibrated on "
        f"{calibration.get('positives')} positive and {calibration.get('negatives')} negative "
        f"questions {calibration.get('sources')}"
    )
    print(table(headers, rows))
    print("in-sample: the gold calibration part (faq build tuned the fusion and threshold on it);")
    print("dev: the real-style half that may be tuned on; held-out: the other half, only reported.")
    print("site search: 'answered' = shows >= 1 result; precision = right first when it does.")
    for key, t in site_timing.items():
        print(
            f"site search on {key}: {t['questions']} questions in {t['seconds']} s "
            f"(p50 {t['p50_ms']} ms; noisy: 2 shared cores); first result in another "
            f"language: {t['first_result_in_another_language']}; query refused by lunr "
            f"(nothing shown): {t['query_rejected_by_lunr']}"
        )
    print("\nreliability of faq's top score (bin: questions, share right first):")
    for key, label, _gold in sets:
        bins = out["sets"][key]["faq"]["reliability"]
        cells = [f"{b['low']:.1f}-{b['high']:.1f}: {b['count']} @ {b['right']:.2f}" for b in bins]
        print(f"  {label}: " + "; ".join(cells))

    if not args.no_byo:
        out["byo"] = [run_byo(folder) for folder in args.byo or [BYO_DEV, BYO]]
        print()
        print(byo_table(out["byo"]))
        for byo in out["byo"]:
            if byo.get("note"):
                print(byo["note"])
            for page in byo["pages"]:
                page.pop("details", None)  # bench/byo_report.py prints them
                if page["unmatched_titles"]:
                    print(
                        f"{page['page']}: {len(page['unmatched_titles'])} questions left out, "
                        "their expect_title is no imported entry's title (the importer changed?)"
                    )
    if args.markdown:
        print()
        print(markdown(out))
    path = write_results("quality", out)
    print(f"\nwritten: {path}")


def byo_table(folders: list[dict[str, Any]]) -> str:
    """One row per imported page, labelled (dev) or (test), then each folder's pages pooled."""
    rows: list[list[Any]] = []
    pools: list[list[Any]] = []
    for byo in folders:
        for b in byo["pages"]:
            rows.append(
                [
                    f"{b['page']} ({byo['label']})",
                    b["lang"],
                    b["entries"],
                    f"{b['questions']}+{b['off_topic']}",
                    fmt(b.get("answered_correct")),
                    fmt(b.get("rejection")),
                    fmt(b.get("recall@1")),
                    fmt(b.get("baseline_recall@1")),
                ]
            )
        if len(byo["pages"]) > 1:
            p = pooled(byo["pages"])
            pools.append(
                [
                    f"all pages ({byo['label']})",
                    "",
                    "",
                    f"{p['questions']}+{p['off_topic']}",
                    fmt(p["answered_correct"]),
                    fmt(p["rejection"]),
                    fmt(p["recall@1"]),
                    fmt(p["baseline_recall@1"]),
                ]
            )
    headers = [
        "imported page",
        "lang",
        "entries",
        "n",
        "answered right first",
        "rejection",
        "right first",
        "baseline right first",
    ]
    return table(headers, [*rows, *pools, ["target", "", "", "", "0.800", "0.700", "", ""]])


def markdown(out: dict[str, Any]) -> str:
    """The README's table: every set and method, then the imported pages."""
    lines = [
        "| questions | method | recall@1 | recall@3 | MRR | answered | answered precision "
        "| off-topic rejected |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in out["sets"].values():
        for method, m in entry.items():
            if isinstance(m, dict):
                cells = " | ".join("" if m.get(c) is None else f"{m[c]:.3f}" for c in COLUMNS)
                lines.append(f"| {entry['label']} | {method} | {cells} |")
    for byo in out.get("byo", []):
        for b in byo["pages"]:
            right, rejected = fmt(b.get("answered_correct")), fmt(b.get("rejection"))
            lines.append(
                f"| imported page {b['page']} ({b['lang']}, {byo['label']}), no gold | faq "
                f"| {fmt(b.get('recall@1'))} | | | {right} right first | | {rejected} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
