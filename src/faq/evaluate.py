"""Gold questions → runs of a method → recall@1/@3, MRR, answered, precision, rejection and
reliability (the calibration that `faq build` does is in faq.calibrate)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import numpy as np

from faq.baseline import KeywordBaseline
from faq.errors import FaqError
from faq.i18n import _
from faq.index import IndexData
from faq.search import Ranker


@dataclass(frozen=True)
class Gold:
    q: str
    lang: str
    expect: str | None
    qlang: str | None = None
    source: str = ""

    @property
    def cross(self) -> bool:
        return self.qlang is not None and self.qlang != self.lang


def gold_files(root: Path, pattern: str) -> list[Path]:
    path = Path(pattern)
    if path.is_absolute():
        return sorted(path.parent.glob(path.name)) if "*" in path.name else [path]
    return sorted(root.glob(pattern))


def calibration_files(root: Path, gold: str, gold_test: str) -> tuple[list[Path], list[Path]]:
    """(the files `faq build` calibrates on, the files it leaves out): those of the `gold` glob
    that are not also in the frozen test part (the `gold_test` glob), so that a wide glob such as
    `gold/**/*.jsonl` never tunes on the questions `faq eval` reports as out-of-sample. Either
    glob may be "" (none)."""
    files = gold_files(root, gold) if gold else []
    held = {p.resolve() for p in gold_files(root, gold_test)} if gold_test else set()
    return [p for p in files if p.resolve() not in held], [p for p in files if p.resolve() in held]


def read_gold(paths: Iterable[Path], languages: tuple[str, ...]) -> list[Gold]:
    """Read JSON-lines gold files (`{"q", "lang", "expect"}`, `lang` optional when `languages`
    has one); a bad line is a `FaqError` at path:line."""
    out: list[Gold] = []
    for path in paths:
        try:
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise FaqError(_("cannot read {path}: {error}").format(path=path, error=exc)) from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise FaqError(
                    _("{where}: invalid JSON: {error}").format(where=where, error=exc)
                ) from None
            q, lang, expect = obj.get("q"), obj.get("lang"), obj.get("expect", "missing")
            if lang is None and len(languages) == 1:
                # one language: the reader's language can only be it, so a line may leave it out
                lang = languages[0]
            if not isinstance(q, str) or not q.strip():
                raise FaqError(_("{where}: 'q' must be a non-empty string").format(where=where))
            if lang not in languages:
                raise FaqError(
                    _("{where}: 'lang' must be one of {langs}").format(
                        where=where, langs=", ".join(languages)
                    )
                )
            if expect is not None and not isinstance(expect, str) or expect == "missing":
                raise FaqError(
                    _("{where}: 'expect' must be an entry id or null").format(where=where)
                )
            qlang = obj.get("qlang")
            out.append(Gold(q, lang, expect, qlang if isinstance(qlang, str) else None, where))
    return out


@dataclass
class Run:
    """What one method did with every gold question: ranked ids (best first), their scores,
    whether it answered, and the confidence the result carries (None: the method has none,
    e.g. a keyword search, whose BM25 scores are not on a 0..1 scale)."""

    gold: list[Gold]
    ranked: list[list[str]]
    scores: list[list[float]]
    answered: list[bool]
    confidence: list[float | None] = field(default_factory=list)


# Quality figures over a set of gold questions; shares in [0, 1]. recall@k: the expected entry
# is in the first k; mrr: mean of 1/rank (0 when absent); answered: share of the answerable
# questions answered; answered_correct: answered *and* right first; precision: of the answered
# answerable questions, the share right first (the "answered precision");
# precision_all: the same over every answered question, an answered off-topic one counting as
# wrong; rejection: share of the off-topic questions not answered.
Metrics = TypedDict(
    "Metrics",
    {
        "questions": int,
        "off_topic": int,
        "answered_questions": int,
        "recall@1": float,
        "recall@3": float,
        "mrr": float,
        "answered": float,
        "answered_correct": float,
        "precision": float,
        "precision_all": float,
        "rejection": float,
    },
    total=False,
)


class Bin(TypedDict):
    """One row of a reliability table: questions whose confidence is in [low, high)."""

    low: float
    high: float
    count: int
    right: float  # share right at rank 1 (an off-topic question is never right)
    mean_confidence: float


RELIABILITY_EDGES = tuple(round(0.1 * i, 1) for i in range(11))  # ten bins over 0..1


def first_rank(run: Run, i: int) -> int:
    """The 1-based rank of question i's expected entry; 0 when absent or off-topic."""
    expect = run.gold[i].expect
    if expect is None or expect not in run.ranked[i]:
        return 0
    return run.ranked[i].index(expect) + 1


def metrics(run: Run, subset: list[int]) -> Metrics:
    """The figures of `run` over the questions at `subset` (indexes into run.gold)."""
    real = [i for i in subset if run.gold[i].expect is not None]
    off = [i for i in subset if run.gold[i].expect is None]
    out: Metrics = {"questions": len(real), "off_topic": len(off)}
    ranks = np.asarray([first_rank(run, i) for i in real], dtype=np.float64)
    said = np.asarray([run.answered[i] for i in real], dtype=bool)
    if real:
        out["recall@1"] = float(np.mean(ranks == 1))
        out["recall@3"] = float(np.mean((ranks >= 1) & (ranks <= 3)))
        out["mrr"] = float(np.mean(np.where(ranks > 0, 1.0 / np.maximum(ranks, 1), 0.0)))
        out["answered"] = float(np.mean(said))
        out["answered_correct"] = float(np.mean(said & (ranks == 1)))
        out["answered_questions"] = int(np.sum(said))
        if said.any():
            out["precision"] = float(np.mean(ranks[said] == 1))
    if off:
        out["rejection"] = float(np.mean([not run.answered[i] for i in off]))
    answered_off = sum(run.answered[i] for i in off)
    answered_all = int(np.sum(said)) + answered_off
    if answered_all:
        out["precision_all"] = float(np.sum(said & (ranks == 1)) / answered_all)
    return out


def reliability(
    run: Run, subset: list[int], edges: tuple[float, ...] = RELIABILITY_EDGES
) -> list[Bin]:
    """How often the first hit is right, per confidence bin (non-empty bins only; the last
    bin includes its upper edge). Empty when the run carries no confidence."""
    rows = [(run.confidence[i], i) for i in subset if i < len(run.confidence)]
    known = [(c, i) for c, i in rows if c is not None]
    bins: list[Bin] = []
    for n, (low, high) in enumerate(zip(edges, edges[1:], strict=False)):
        last = n == len(edges) - 2
        inside = [(c, i) for c, i in known if low <= c < high or (last and c == high)]
        if inside:
            bins.append(
                {
                    "low": low,
                    "high": high,
                    "count": len(inside),
                    "right": float(np.mean([first_rank(run, i) == 1 for _, i in inside])),
                    "mean_confidence": float(np.mean([c for c, _ in inside])),
                }
            )
    return bins


class Report(TypedDict, total=False):
    """Metrics overall, per reader language (native questions) and cross-lingual."""

    overall: Metrics
    languages: dict[str, Metrics]
    cross_lingual: Metrics
    reliability: list[Bin]


def report(run: Run, languages: tuple[str, ...]) -> Report:
    everything = list(range(len(run.gold)))
    out: Report = {"overall": metrics(run, everything), "languages": {}}
    for lang in languages:
        subset = [i for i in everything if run.gold[i].lang == lang and not run.gold[i].cross]
        if subset:
            out["languages"][lang] = metrics(run, subset)
    cross = [i for i in everything if run.gold[i].cross]
    if cross:
        out["cross_lingual"] = metrics(run, cross)
    bins = reliability(run, everything)
    if bins:
        out["reliability"] = bins
    return out


def run_ranker(ranker: Ranker, gold: list[Gold]) -> Run:
    """Every gold question through the one ranking path (`Ranker.rank_many`, as `faq search`
    and the API use it): ids, scores, and the search's own decision and confidence."""
    ranked = ranker.rank_many([g.q for g in gold]) if gold else []
    return Run(
        gold,
        [r.ids for r in ranked],
        [r.scores for r in ranked],
        [r.answered for r in ranked],
        [r.confidence for r in ranked],
    )


def run_baseline(data: IndexData, gold: list[Gold]) -> Run:
    """The keyword baseline (faq.baseline: BM25 over the reader's language, tokenised as the
    site's search does); it answers whenever a page matches a word."""
    baseline = KeywordBaseline((e.id, e.lang, e.title, e.body) for e in data.entries)
    run = Run(gold, [], [], [], [])
    for g in gold:
        ids, scores = baseline.rank(g.q, g.lang)
        run.ranked.append(ids)
        run.scores.append(scores)
        run.answered.append(bool(ids))
        run.confidence.append(None)
    return run
