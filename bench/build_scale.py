"""`faq build` time and peak memory for the shipped knowledge base and a synthetic one of
10,000 entries, and warm query latency on both (the goal: within 2x at 10,000 entries).

    python bench/build_scale.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from _common import summary_ms, table, write_results  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.loader import load  # noqa: E402
from faq.service import FaqService  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "replies arrive all at once behind nginx",
    "where do I change environment variables on vercel",
    "You exceeded your current quota",
    "답변이 한꺼번에 나와요",
    "余额怎么查",
    "ドメインはどこで買える？",
]


def synthetic_kb(folder: Path, count: int) -> None:
    """`count` English entries made by recombining the shipped ones' sentences and words, so
    the texts are realistic in length and vocabulary but all different."""
    settings = load_settings(ROOT / "faq.toml", env={})
    seeds = [e for e in load(settings.docs, ("en",)).entries if e.lang == "en"]
    words = sorted({w for e in seeds for w in (e.title + " " + " ".join(e.questions)).split()})
    rng = random.Random(7)
    for i in range(count):
        seed = seeds[i % len(seeds)]
        extra = " ".join(rng.sample(words, 3))
        meta = {
            "id": f"entry-{i:05d}",
            "section": f"s{i % 20}",
            "title": f"{seed.title} ({extra})",
            "questions": [f"{q} {rng.choice(words)}" for q in seed.questions[:5]],
            "errors": list(seed.errors[:2]),
        }
        path = folder / "docs" / "en" / meta["section"] / f"{meta['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(f"---\n{front}---\n\n{seed.body}\n\n{extra}\n", "utf-8")
    (folder / "faq.toml").write_text(
        'languages = ["en"]\ndefault_language = "en"\nembedder = "usem3"\ngold = ""\n', "utf-8"
    )


def timed_build(config: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `faq build --no-site` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "faq", "--config", str(config), "build", "--no-site", "-q"],
        env=env,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def query_latency(config: Path, env: dict[str, str]) -> dict[str, float]:
    settings = load_settings(config, env=env)
    service = FaqService.open(settings, check_corpus=False)
    service.warm()
    times = []
    for _ in range(50):
        for q in QUERIES:
            start = time.perf_counter()
            service.search(q)
            times.append(time.perf_counter() - start)
    return summary_ms(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    work = Path(tempfile.mkdtemp(prefix="faq-scale-"))
    rows = []
    results = {}
    for name, config in (("shipped", ROOT / "faq.toml"), (f"synthetic {args.entries}", None)):
        env = {**os.environ, "FAQ_INDEX_DIR": str(work / name / "index")}
        if config is None:
            synthetic_kb(work / "synthetic", args.entries)
            config = work / "synthetic" / "faq.toml"
        seconds, rss = timed_build(config, env)
        latency = query_latency(config, env)
        units = load_settings(config, env=env)
        meta = FaqService.open(units, check_corpus=False).data.meta
        results[name] = {
            "entries": meta["entries"],
            "texts": meta["units"],
            "build_s": round(seconds, 2),
            "peak_rss_mib": round(rss, 1),
            "query": latency,
        }
        rows.append(
            [
                name,
                meta["entries"],
                meta["units"],
                f"{seconds:.1f}",
                f"{rss:.0f}",
                latency["p50_ms"],
                latency["p99_ms"],
            ]
        )
    print(
        table(
            ["knowledge base", "entries", "texts", "build s", "peak RSS MiB", "p50 ms", "p99 ms"],
            rows,
        )
    )
    small, large = (results[k]["query"]["p50_ms"] for k in results)
    print(
        f"\nquery p50 at {args.entries} entries: {large / small:.2f}x the shipped one (goal <= 2x)"
    )
    path = write_results("build_scale", {"results": results, "ratio_p50": round(large / small, 2)})
    print(f"→ {path}")


if __name__ == "__main__":
    main()
