"""Gold questions → recall@1/@3, MRR, answered and rejection rates; fusion calibration."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from faq.errors import FaqError
from faq.i18n import _
from faq.index import Fusion, IndexData
from faq.lexical import LexicalIndex
from faq.search import Ranker, answered, confidence_of, fuse


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


def read_gold(paths: Iterable[Path], languages: tuple[str, ...]) -> list[Gold]:
    """Read JSON-lines gold files; a bad line is an error at path:line."""
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
    """The ranked ids (and scores) of every gold question, for one method."""

    gold: list[Gold]
    ranked: list[list[str]]
    scores: list[list[float]]
    answered: list[bool]


def metrics(run: Run, subset: list[int]) -> dict[str, Any]:
    real = [i for i in subset if run.gold[i].expect is not None]
    off = [i for i in subset if run.gold[i].expect is None]
    ranks = []
    for i in real:
        try:
            ranks.append(run.ranked[i].index(run.gold[i].expect or "") + 1)
        except ValueError:
            ranks.append(0)
    r = np.asarray(ranks, dtype=np.float64)
    out: dict[str, Any] = {"questions": len(real), "off_topic": len(off)}
    if real:
        out["recall@1"] = float(np.mean(r == 1))
        out["recall@3"] = float(np.mean((r >= 1) & (r <= 3)))
        out["mrr"] = float(np.mean(np.where(r > 0, 1.0 / np.maximum(r, 1), 0.0)))
        out["answered"] = float(np.mean([run.answered[i] for i in real]))
        # answered and right: what a reader sees as a correct answer
        out["answered_correct"] = float(
            np.mean([run.answered[i] and rk == 1 for i, rk in zip(real, ranks, strict=True)])
        )
    if off:
        out["rejection"] = float(np.mean([not run.answered[i] for i in off]))
    return out


def report(run: Run, languages: tuple[str, ...]) -> dict[str, Any]:
    everything = list(range(len(run.gold)))
    out: dict[str, Any] = {"overall": metrics(run, everything), "languages": {}}
    for lang in languages:
        subset = [i for i in everything if run.gold[i].lang == lang and not run.gold[i].cross]
        if subset:
            out["languages"][lang] = metrics(run, subset)
    cross = [i for i in everything if run.gold[i].cross]
    if cross:
        out["cross_lingual"] = metrics(run, cross)
    return out


def run_ranker(ranker: Ranker, gold: list[Gold], fusion: Fusion | None = None) -> Run:
    fusion = fusion or ranker.data.fusion
    vectors = ranker.embedder.embed([g.q for g in gold]) if gold else None
    ranked, scores, ans = [], [], []
    for i, g in enumerate(gold):
        assert vectors is not None
        r = ranker.rank_with(g.q, vectors[i], fusion)
        ranked.append(r.ids)
        scores.append(r.scores)
        ans.append(answered(r, fusion))
    return Run(gold, ranked, scores, ans)


def run_baseline(data: IndexData, gold: list[Gold]) -> Run:
    """Keyword search as a site's built-in search does it: BM25 over the reader's language only."""
    by_lang: dict[str, tuple[LexicalIndex, list[str]]] = {}
    for lang in {g.lang for g in gold}:
        rows = [e for e in data.entries if e.lang == lang]
        docs = [
            "\n".join([e.title, e.snippet, e.body]) for e in rows
        ]  # what a site indexes: title and page text
        by_lang[lang] = (LexicalIndex.build(docs, tokenizer="keyword"), [e.id for e in rows])
    ranked, scores, ans = [], [], []
    for g in gold:
        index, ids = by_lang[g.lang]
        s = index.scores(g.q)
        order = [i for i in np.argsort(-s, kind="stable") if s[i] > 0]
        ranked.append([ids[i] for i in order])
        scores.append([float(s[i]) for i in order])
        ans.append(bool(order))
    return Run(gold, ranked, scores, ans)


class Legs:
    """Each gold question's per-entry dense and lexical scores, computed once for calibration."""

    def __init__(self, ranker: Ranker, gold: list[Gold]) -> None:
        self.gold = gold
        vectors = ranker.embedder.embed([g.q for g in gold])
        self.dense = np.stack([ranker.dense_scores(v) for v in vectors])
        self.lexical = np.stack([ranker.lexical_scores(g.q) for g in gold])
        self.unknown = np.asarray([ranker.data.lexical.unknown_share(g.q) for g in gold])
        self.errors = [ranker.error_ids(g.q) for g in gold]
        position = {id_: i for i, id_ in enumerate(ranker.ids)}
        self.expect = np.asarray([position.get(g.expect, -1) if g.expect else -1 for g in gold])
        self.real = np.asarray([g.expect is not None for g in gold])

    def fused(self, fusion: Fusion) -> np.ndarray:
        return np.stack(
            [
                fuse(self.dense[i], self.lexical[i], self.errors[i], fusion)
                for i in range(len(self.gold))
            ]
        )

    def mrr(self, fused: np.ndarray, rows: np.ndarray) -> float:
        picked = [i for i in rows if self.expect[i] >= 0]
        if not picked:
            return 0.0
        target = fused[picked, self.expect[picked]]
        ranks = 1 + np.sum(fused[picked] > target[:, None], axis=1)
        return float(np.mean(1.0 / ranks))


def decide(fused: np.ndarray, unknown: np.ndarray, fusion: Fusion) -> np.ndarray:
    """`faq.search.answered` for many queries at once (rows of per-entry fused scores)."""
    top2 = -np.sort(-fused, axis=1)[:, :2]
    second = top2[:, 1] if top2.shape[1] > 1 else np.zeros(len(top2))
    conf = confidence_of(top2[:, 0], second, unknown, fusion)
    decided: np.ndarray = conf >= fusion.threshold
    return decided


def calibrate(
    ranker: Ranker,
    gold: list[Gold],
    min_answered: float,
    *,
    legs: Legs | None = None,
    rows: np.ndarray | None = None,
) -> Fusion:
    """Tune the fusion for the best MRR, then the no-answer rule for the most rejected off-topic
    questions while still answering `min_answered` of the real ones (precision first).

    `rows` restricts the calibration to some gold questions (for held-out evaluation)."""
    base = ranker.data.fusion
    if not gold or not any(g.expect for g in gold):
        return base
    legs = legs or Legs(ranker, gold)
    rows = np.arange(len(gold)) if rows is None else rows
    best = (-1.0, base)
    for w in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        for c in (4.0, 8.0, 16.0, 32.0):
            trial = replace(base, lexical_weight=w, bm25_scale=c)
            score = legs.mrr(legs.fused(trial), rows)
            if score > best[0] + 1e-9:
                best = (score, trial)
    fusion = best[1]
    fused = legs.fused(fusion)[rows]
    real = legs.real[rows]
    unknown = legs.unknown[rows]
    choice: tuple[float, Fusion] = (-1.0, fusion)
    for mw in (0.0, 0.25, 0.5, 1.0):
        for oov in (0.0, 0.1, 0.2, 0.3):
            for t in np.arange(0.30, 0.95, 0.005):
                trial = replace(fusion, margin_weight=mw, oov_penalty=oov, threshold=round(t, 3))
                flags = decide(fused, unknown, trial)
                answered_rate = float(np.mean(flags[real])) if real.any() else 1.0
                if answered_rate + 1e-9 < min_answered:
                    break  # higher thresholds answer even less
                rejection = float(np.mean(~flags[~real])) if (~real).any() else 0.0
                score = rejection + 0.01 * answered_rate
                if score > choice[0] + 1e-9:
                    choice = (score, trial)
    return choice[1]


def held_out(ranker: Ranker, gold: list[Gold], min_answered: float) -> dict[str, Any]:
    """Two-fold cross-validation of the calibration: calibrate on one half of the gold
    questions, measure on the other, and average; an honest estimate for unseen questions."""
    legs = Legs(ranker, gold)
    idx = np.arange(len(gold))
    folds = [idx[idx % 2 == 0], idx[idx % 2 == 1]]
    totals: dict[str, list[float]] = {"recall@1": [], "answered": [], "rejection": []}
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        fusion = calibrate(ranker, gold, min_answered, legs=legs, rows=train)
        fused = legs.fused(fusion)[test]
        flags = decide(fused, legs.unknown[test], fusion)
        real = legs.real[test]
        expect = legs.expect[test]
        top = np.argmax(fused, axis=1)
        totals["recall@1"].append(float(np.mean(top[real] == expect[real])))
        totals["answered"].append(float(np.mean(flags[real])))
        totals["rejection"].append(float(np.mean(~flags[~real])) if (~real).any() else 0.0)
    return {k: float(np.mean(v)) for k, v in totals.items()}
