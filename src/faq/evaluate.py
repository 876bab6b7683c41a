"""Gold questions → recall@1/@3, MRR, answered and rejection rates (calibration: faq.calibrate)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from faq.errors import FaqError
from faq.i18n import _
from faq.index import IndexData
from faq.lexical import LexicalIndex
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
    confidence: list[float] | None = None


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


def run_ranker(ranker: Ranker, gold: list[Gold]) -> Run:
    """Every gold question through the one ranking path (`Ranker.rank_many`, as `faq search`)."""
    ranked = ranker.rank_many([g.q for g in gold])
    return Run(
        gold,
        [r.ids for r in ranked],
        [r.scores for r in ranked],
        [r.answered for r in ranked],
        [r.confidence for r in ranked],
    )


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
