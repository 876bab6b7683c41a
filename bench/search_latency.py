"""Query latency: warm in-process search vs. the keyword baseline, and cold `faq search` vs.
`python -c "import numpy"`, on the shipped knowledge base with the default embedder.

    python bench/search_latency.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import summary_ms, table, write_results  # noqa: E402
from faq.baseline import KeywordBaseline  # noqa: E402
from faq.config import load_settings  # noqa: E402
from faq.evaluate import gold_files, read_gold  # noqa: E402
from faq.service import FaqService  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="cold starts to time")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    work = Path(tempfile.mkdtemp(prefix="faq-bench-"))
    env = {**os.environ, "FAQ_INDEX_DIR": str(work / "index"), "FAQ_SITE_DIR": str(work / "site")}
    faq = [sys.executable, "-m", "faq", "--config", str(ROOT / "faq.toml")]
    subprocess.run([*faq, "build", "--no-site", "-q"], env=env, check=True, capture_output=True)

    settings = load_settings(ROOT / "faq.toml", env=env)
    service = FaqService.open(settings)
    gold = read_gold(gold_files(settings.root, settings.gold), settings.languages)
    service.warm()

    ours: list[float] = []
    for g in gold * 2:
        start = time.perf_counter()
        service.search(g.q, lang=g.lang)
        ours.append(time.perf_counter() - start)

    baseline = KeywordBaseline((e.id, e.lang, e.title, e.body) for e in service.data.entries)
    keyword: list[float] = []
    for g in gold * 2:
        start = time.perf_counter()
        baseline.rank(g.q, g.lang)
        keyword.append(time.perf_counter() - start)

    def wall(cmd: list[str]) -> list[float]:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return times

    cold_faq = wall([*faq, "search", "nginx 뒤에서 답변이 한 번에 나와요"])
    cold_numpy = wall([sys.executable, "-c", "import numpy"])

    warm = {
        "faq search (in process)": summary_ms(ours),
        "keyword baseline (BM25)": summary_ms(keyword),
    }
    cold = {
        "faq search (cold process)": summary_ms(cold_faq),
        "python -c 'import numpy'": summary_ms(cold_numpy),
    }
    print(f"warm queries over {len(gold)} gold questions ×2, {service.data.meta['embedder']}")
    print(
        table(
            ["", "n", "p50 ms", "p99 ms", "mean ms"],
            [[k, v["n"], v["p50_ms"], v["p99_ms"], v["mean_ms"]] for k, v in warm.items()],
        )
    )
    print()
    print(f"cold starts ({args.runs} runs)")
    print(
        table(
            ["", "n", "p50 ms", "p99 ms", "mean ms"],
            [[k, v["n"], v["p50_ms"], v["p99_ms"], v["mean_ms"]] for k, v in cold.items()],
        )
    )
    path = write_results(
        "search_latency",
        {"warm": warm, "cold": cold, "goals": {"warm_p50_ms": 5, "warm_p99_ms": 15, "cold_s": 1.0}},
    )
    print(f"\n→ {path}")


if __name__ == "__main__":
    main()
