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
from faq.search import Ranker, answered


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
        ans.append(answered(r.scores, fusion))
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


@dataclass(frozen=True)
class Precomputed:
    dense: list[np.ndarray]
    lexical: list[np.ndarray]


def calibrate(ranker: Ranker, gold: list[Gold], min_answered: float) -> Fusion:
    """Tune the fusion weights for MRR, then the threshold for the most rejections of
    off-topic questions that still answers `min_answered` of the real ones."""
    if not gold or not any(g.expect for g in gold):
        return ranker.data.fusion
    base = ranker.data.fusion
    vectors = ranker.embedder.embed([g.q for g in gold])
    dense = [ranker.dense_scores(vectors[i]) for i in range(len(gold))]
    raw_lex = [ranker.lexical_scores(g.q) for g in gold]
    errors = [ranker_error_rows(ranker, g.q) for g in gold]
    position = {id_: i for i, id_ in enumerate(ranker.ids)}
    expect = [position.get(g.expect) if g.expect else None for g in gold]

    def fused(w: float, c: float, i: int) -> np.ndarray:
        f = (1 - w) * dense[i] + w * raw_lex[i] / (raw_lex[i] + c)
        for j in errors[i]:
            f[j] = max(f[j], base.error_boost + 0.1 * dense[i][j])
        clipped: np.ndarray = np.clip(f, 0, 1)
        return clipped

    best: tuple[float, float, float] = (-1.0, base.lexical_weight, base.bm25_scale)
    for w in (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        for c in (2.0, 4.0, 8.0, 16.0, 32.0):
            total = 0.0
            for i, e in enumerate(expect):
                if e is None:
                    continue
                f = fused(w, c, i)
                rank = 1 + int(np.sum(f > f[e]))
                total += 1.0 / rank
            if total > best[0] + 1e-9:
                best = (total, w, c)
    _score, w, c = best
    tops, seconds, is_real = [], [], []
    for i, e in enumerate(expect):
        f = np.sort(fused(w, c, i))[::-1]
        tops.append(float(f[0]))
        seconds.append(float(f[1]) if len(f) > 1 else 0.0)
        is_real.append(e is not None)
    candidate = replace(base, lexical_weight=w, bm25_scale=c)
    choice = (-1.0, candidate)
    for t in np.arange(0.30, 0.90, 0.01):
        for m in (0.0, 0.02, 0.04, 0.06, 0.08, 0.1):
            for sure in (0.7, 0.75, 0.8, 0.85, 0.9, 1.01):
                trial = replace(
                    candidate, threshold=round(float(t), 2), margin=m, threshold_sure=sure
                )
                flags = [answered([a, b], trial) for a, b in zip(tops, seconds, strict=True)]
                real_flags = [f for f, r in zip(flags, is_real, strict=True) if r]
                off_flags = [f for f, r in zip(flags, is_real, strict=True) if not r]
                answered_rate = float(np.mean(real_flags)) if real_flags else 1.0
                rejection = 1.0 - float(np.mean(off_flags)) if off_flags else 0.0
                if answered_rate + 1e-9 < min_answered:
                    continue
                score = rejection + 0.01 * answered_rate
                if score > choice[0] + 1e-9:
                    choice = (score, trial)
    return choice[1]


def ranker_error_rows(ranker: Ranker, query: str) -> set[int]:
    from faq.index import error_matches

    return {int(ranker.row_id[r]) for r in error_matches(query, ranker.data.entries)}
