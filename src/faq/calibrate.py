"""Calibration at build time: the fusion weights and the confidence model, fitted on questions
made from the knowledge base itself, a shipped off-topic set and (when there are any) gold files.

Positives: each title and alternate question (a sample of at most MAX_HELD_OUT), asked against
the rest: its own unit is hidden from the dense leg and its text taken out of its entry's BM25
document (two folds of units, one BM25 index per fold). Near misses: an entry's title asked with
the whole entry hidden. Negatives: `faq/data/off_topic.jsonl`. Gold questions count
GOLD_WEIGHT times: they look like real input. The model's fit and the threshold rule are in
faq.confidence_fit. Only `faq build` imports this (and scikit-learn).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from faq.confidence_fit import FREE_REJECTION, LEXICAL_FREE, choose_threshold, fit, on_scale
from faq.embedders import Vectors
from faq.evaluate import Gold
from faq.i18n import N_, _
from faq.index import lexical_document, units_of
from faq.lexical import LexicalIndex
from faq.models import Entry
from faq.query import Query, parse_query
from faq.scoring import ConfidenceModel, Fusion, fuse
from faq.search import Legs, Ranker
from faq.text import norm_key

MAX_HELD_OUT = 3000  # held-out titles/questions at most: ~3 ms each on a 10,000-entry base
MAX_MISSING = 300  # near-miss negatives (questions of an entry hidden whole), about
NEGATIVE_SHARE = 0.5  # the negatives weigh this much of the questions ranked right, in all
MIN_POSITIVES = 30  # fewer and `faq build` says the calibration is weak, and how to fix it
MIN_FIT = 5  # fewer positives or negatives than this: no fit, the default model
GOLD_WEIGHT = 3.0  # a gold question weighs as much as this many knowledge-base questions
NEAR_MISSES = frozenset({"hidden entry", "gold"})  # sources whose negatives are near misses
# Sources that train the model but are left out of the threshold rule. On three dev knowledge
# bases without alternate questions (bench/data/byo-dev), counting them made precision
# unreachable and answered 0.31-0.54 of the questions with the right entry first; without them,
# 0.53-0.74, rejection 0.68-0.82.
FIT_ONLY = frozenset({"answer only"})
WEIGHT_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
SCALE_GRID = (4.0, 8.0, 16.0, 32.0)
SEED = 0
CANDIDATES = 64  # entries kept per calibration question and leg (memory: see sample_legs)

# where calibration questions come from (Sample.source), as `faq build` names them
SOURCES = {
    # TRANSLATORS: calibration questions: titles and alternate questions asked against the rest
    "knowledge base": N_("from the entries' own questions"),
    # TRANSLATORS: calibration questions: the title of an entry without alternate questions,
    # asked with that title hidden, so that only the answer can match it
    "answer only": N_("titles asked against their answer alone"),
    # TRANSLATORS: calibration questions: shortened titles and alternate questions
    "keywords": N_("shortened questions"),
    # TRANSLATORS: calibration questions: an entry's title asked with that entry hidden
    "hidden entry": N_("near misses with their entry hidden"),
    # TRANSLATORS: calibration questions from the shipped set of off-topic questions
    "off-topic": N_("off-topic"),
    # TRANSLATORS: calibration questions from the gold files
    "gold": N_("gold"),
}


@dataclass(frozen=True)
class Sample:
    """One calibration question and what is hidden from the index while it is asked."""

    query: Query
    expect: int | None  # entry id position; None: no entry answers it
    source: str  # a key of SOURCES
    weight: float = 1.0
    exclude_units: tuple[int, ...] = ()
    fold: int = -1  # which fold's BM25 index (-1: the full one)
    hidden: int | None = None  # an entry id position taken out of both legs


@dataclass
class CalibrationReport:
    """What the build calibrated on, and what came of it."""

    positives: int = 0
    negatives: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    fitted: bool = False
    threshold: float = 0.5
    precision: float | None = None  # on the calibration questions, at the threshold
    answered: float | None = None  # of the answerable calibration questions ranked right
    independent: int = 0  # positives that are not shortened copies of another
    weak: bool = False  # fewer than MIN_POSITIVES independent positives
    lexical_free_threshold: float | None = None  # of the dense-only model (LEXICAL_FREE)

    def as_meta(self) -> dict[str, Any]:
        return {
            "positives": self.positives,
            "negatives": self.negatives,
            "sources": dict(self.sources),
            "fitted": self.fitted,
            "precision": self.precision,
            "answered": self.answered,
            "lexical_free_threshold": self.lexical_free_threshold,
        }


def off_topic_questions() -> list[str]:
    """The shipped generic off-topic questions (package data, JSON lines with "q")."""
    text = resources.files("faq").joinpath("data/off_topic.jsonl").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(str(json.loads(line)["q"]))
    return out


def samples(
    ranker: Ranker, entries: list[Entry], gold: list[Gold]
) -> tuple[list[Sample], list[LexicalIndex]]:
    """The calibration questions, and the BM25 index of each fold of held-out units.
    `entries` are the indexed ones, in the index's row order."""
    rng = np.random.default_rng(SEED)
    position = {id_: i for i, id_ in enumerate(ranker.ids)}
    held: list[tuple[int, int, str]] = []  # (unit, row, text) of titles and questions
    units_by_id: dict[int, list[int]] = {}
    asked_by_id: dict[int, set[str]] = {}  # each entry id's distinct titles and questions
    unit_key: list[str] = []
    unit = 0
    for row, entry in enumerate(entries):
        for kind, text in units_of(entry):
            units_by_id.setdefault(int(ranker.row_id[row]), []).append(unit)
            unit_key.append(norm_key(text))
            if kind in ("title", "question"):
                held.append((unit, row, text))
                asked_by_id.setdefault(int(ranker.row_id[row]), set()).add(unit_key[-1])
            unit += 1
    if len(held) > MAX_HELD_OUT:
        keep = rng.choice(len(held), MAX_HELD_OUT, replace=False)
        held = [held[i] for i in sorted(keep)]
    out: list[Sample] = []
    folds: list[set[int]] = [set(), set()]
    for unit, _row, _text in held:
        folds[unit % 2].add(unit)
    lexicals = [_fold_lexical(entries, fold_units) for fold_units in folds]
    for unit, row, text in held:
        id_pos = int(ranker.row_id[row])
        same = tuple(u for u in units_by_id[id_pos] if unit_key[u] == unit_key[unit])
        # an entry's only question text hidden leaves its answer alone: harder than any reader's
        # question (which shares words with the title), so kept out of the threshold rule
        source = "knowledge base" if len(asked_by_id[id_pos]) > 1 else "answer only"
        out.append(Sample(parse_query(text), id_pos, source, 1.0, same, fold=unit % 2))
    ids = list(units_by_id)
    if len(ids) > 1:
        # every sampled title/question of some entries, asked with the whole entry hidden
        order = [ids[i] for i in rng.permutation(len(ids))]
        texts_of: dict[int, list[str]] = {}
        for _unit, row, text in held:
            texts_of.setdefault(int(ranker.row_id[row]), []).append(text)
        taken = 0
        for id_pos in order:
            for text in texts_of.get(id_pos, []):
                out.append(
                    Sample(
                        parse_query(text),
                        None,
                        "hidden entry",
                        exclude_units=tuple(units_by_id[id_pos]),
                        hidden=id_pos,
                    )
                )
                taken += 1
            if taken >= MAX_MISSING:
                break
    for _unit, row, text in held:  # a user's shorter wording, nothing hidden
        short = _shorten(text, rng)
        if short:
            out.append(Sample(parse_query(short), int(ranker.row_id[row]), "keywords"))
    for q in off_topic_questions():
        out.append(Sample(parse_query(q), None, "off-topic"))
    for g in gold:
        expect = position.get(g.expect) if g.expect else None
        if g.expect and expect is None:
            continue
        out.append(Sample(parse_query(g.q), expect, "gold", GOLD_WEIGHT))
    return out, lexicals


def _shorten(text: str, rng: np.random.Generator) -> str | None:
    """About 60 % of `text`: a random subset of its words (in order) or, for unspaced CJK,
    a contiguous stretch; None when too short to shorten."""
    words = text.split()
    if len(words) >= 4:
        keep = sorted(rng.choice(len(words), max(2, round(len(words) * 0.6)), replace=False))
        return " ".join(words[i] for i in keep)
    if len(text) >= 8 and len(words) < 4:
        size = max(4, round(len(text) * 0.6))
        start = int(rng.integers(0, len(text) - size + 1))
        return text[start : start + size].strip() or None
    return None


def _fold_lexical(entries: list[Entry], hidden_units: set[int]) -> LexicalIndex:
    """BM25 over the entries' documents without the titles/questions in `hidden_units`."""
    docs = []
    unit = 0
    for entry in entries:
        kept_title, kept_questions = entry.title, []
        for kind, text in units_of(entry):
            if kind == "title" and unit in hidden_units:
                kept_title = ""
            elif kind == "question" and unit not in hidden_units:
                kept_questions.append(text)
            unit += 1
        docs.append(
            lexical_document(replace(entry, title=kept_title, questions=tuple(kept_questions)))
        )
    return LexicalIndex.build(docs)


def sample_legs(
    ranker: Ranker, batch: list[Sample], lexicals: list[LexicalIndex]
) -> tuple[list[Legs], list[Sample]]:
    """Each sample's evidence, with its hidden texts hidden (one batch of embeddings), kept for
    the CANDIDATES best entries of each leg only (and its own entry), so that memory stays
    small on a large knowledge base; returns the samples with `expect` renumbered to match.

    A question that is an indexed text (a held-out title or question) reuses that text's vector:
    the index embeds its texts with the same `Embedder.embed` as queries, so it is the same
    vector, and most of the calibration's embedding time is saved."""
    known = dict(zip(ranker.data.unit_text, ranker.data.vectors, strict=True))
    todo = [s.query for s in batch if len(s.query.segments) > 1 or s.query.text not in known]
    fresh = iter(ranker.embed(todo))
    vectors: list[Vectors] = [
        next(fresh)
        if len(s.query.segments) > 1 or s.query.text not in known
        else known[s.query.text].reshape(1, -1)
        for s in batch
    ]
    out, renumbered = [], []
    for s, v in zip(batch, vectors, strict=True):
        legs = ranker.legs(
            s.query,
            v,
            exclude_units=s.exclude_units,
            lexical=lexicals[s.fold] if s.fold >= 0 else None,
        )
        if s.hidden is not None:
            lexical, content = legs.lexical.copy(), legs.content.copy()
            lexical[s.hidden] = content[s.hidden] = 0.0
            legs = replace(
                legs,
                lexical=lexical,
                content=content,
                errors=[e for e in legs.errors if e != s.hidden],
            )
        legs, expect = _candidates(legs, s.expect)
        out.append(legs)
        renumbered.append(replace(s, expect=expect))
    return out, renumbered


def _candidates(legs: Legs, expect: int | None) -> tuple[Legs, int | None]:
    """`legs` restricted to the CANDIDATES best entries of each leg, the error-string hits and
    `expect`: no other entry can come first, whatever the fusion weights, in practice."""
    n = len(legs.dense)
    if n <= 2 * CANDIDATES:
        return legs, expect
    keep = {int(i) for i in np.argpartition(-legs.dense, CANDIDATES)[:CANDIDATES]}
    keep |= {int(i) for i in np.argpartition(-legs.lexical, CANDIDATES)[:CANDIDATES]}
    keep |= set(legs.errors) | ({expect} if expect is not None else set())
    cols = np.asarray(sorted(keep))
    where = {int(c): i for i, c in enumerate(cols)}
    small = replace(
        legs,
        dense=legs.dense[cols],
        lexical=legs.lexical[cols],
        content=legs.content[cols],
        errors=[where[e] for e in legs.errors],
    )
    return small, (where[expect] if expect is not None else None)


def choose_fusion(legs: list[Legs], batch: list[Sample], base: Fusion) -> Fusion:
    """The leg weights with the best weighted MRR on the answerable samples."""
    rows = [i for i, s in enumerate(batch) if s.expect is not None]
    if not rows:
        return base
    weights = np.asarray([batch[i].weight for i in rows])
    best = (-1.0, base)
    for w in WEIGHT_GRID:
        for c in SCALE_GRID:
            trial = replace(base, lexical_weight=w, bm25_scale=c)
            rr = []
            for i in rows:
                fused = fuse(legs[i].dense, legs[i].lexical, legs[i].errors, trial)
                target = fused[batch[i].expect]
                rr.append(1.0 / (1 + int(np.sum(fused > target))))
            score = float(np.average(rr, weights=weights))
            if score > best[0] + 1e-9:
                best = (score, trial)
    return best[1]


def feature_rows(
    legs: list[Legs], batch: list[Sample], fusion: Fusion
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """The FEATURES of each sample, and whether its first hit is the right entry."""
    x, y = [], []
    for lg, s in zip(legs, batch, strict=True):
        fused = fuse(lg.dense, lg.lexical, lg.errors, fusion)
        x.append(lg.features(fused, fusion))
        y.append(s.expect is not None and len(fused) > 0 and int(np.argmax(fused)) == s.expect)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=bool)


def sample_kinds(batch: list[Sample]) -> npt.NDArray[np.str_]:
    """Each calibration question's part in the threshold rule: "answerable", "near" (a near
    miss: an entry hidden, or a gold question no entry answers), "off" (generic off-topic) or
    "fit only" (a title asked against its answer alone: it trains the model, see `samples`)."""

    def kind(s: Sample) -> str:
        if s.source in FIT_ONLY:
            return "fit only"
        if s.expect is not None:
            return "answerable"
        return "near" if s.source in NEAR_MISSES else "off"

    return np.asarray([kind(s) for s in batch])


def calibrate(
    ranker: Ranker, entries: list[Entry], gold: list[Gold]
) -> tuple[Fusion, ConfidenceModel, CalibrationReport]:
    """Fit the fusion and the confidence model for this knowledge base (see the module doc)."""
    batch, lexicals = samples(ranker, entries, gold)
    legs, batch = sample_legs(ranker, batch, lexicals)
    fusion = choose_fusion(legs, batch, ranker.data.fusion)
    x, y = feature_rows(legs, batch, fusion)
    weights = np.asarray([s.weight for s in batch], dtype=np.float64)
    report = CalibrationReport()
    for s in batch:
        report.sources[s.source] = report.sources.get(s.source, 0) + 1
    report.positives, report.negatives = int(y.sum()), int((~y).sum())
    # shortened questions repeat their source: they do not count towards enough data
    own = np.asarray([s.source != "keywords" for s in batch])
    report.independent = int((y & own).sum())
    report.weak = report.independent < MIN_POSITIVES
    if report.positives < MIN_FIT or report.negatives < MIN_FIT:
        model = ConfidenceModel()
    else:
        # the prior: off-topic questions and near misses weigh, each in all, half of
        # NEGATIVE_SHARE of the questions ranked right
        right = float(weights[y].sum())
        for source in ("off-topic", "hidden entry"):
            rows = np.asarray([s.source == source for s in batch])
            if rows.any():
                weights[rows] *= NEGATIVE_SHARE / 2 * right / float(weights[rows].sum())
        model = fit(x, y, weights)
        conf = model.probability(x)
        kinds = sample_kinds(batch)
        t, precision = choose_threshold(conf, y, weights, kinds)
        answerable = np.asarray([s.expect is not None for s in batch]) & y
        report.precision = precision
        report.answered = float(np.mean(conf[answerable] >= t)) if answerable.any() else None
        # for a question the keyword leg matches nowhere: the dense leg alone, its threshold by
        # the same rule on every calibration question (hardly any leaves that leg empty: they
        # share the pages' words; their dense features are those such a question would have)
        free = fit(x, y, weights, LEXICAL_FREE)
        t_free, _precision = choose_threshold(
            free.probability(x), y, weights, kinds, rejection=FREE_REJECTION
        )
        report.lexical_free_threshold = t_free
        model = replace(model, threshold=t, lexical_free=on_scale(free, t_free, t))
    report.fitted = model.fitted
    report.threshold = model.threshold
    model = replace(model, calibration=report.as_meta())
    return fusion, model, report


def describe(report: CalibrationReport) -> list[str]:
    """What `faq build` prints about its calibration (translated lines)."""
    sources = ", ".join(
        f"{n} {_(SOURCES.get(name, name))}" for name, n in sorted(report.sources.items())
    )
    lines = [
        _("calibrated on {n} questions ({sources}); their own entry came first for {pos}").format(
            n=report.positives + report.negatives, pos=report.positives, sources=sources
        )
    ]
    if not report.fitted:
        lines.append(
            _("too few questions to fit the confidence model: the default threshold is used")
        )
    if report.weak:
        lines.append(
            _(
                "warning: of those {pos}, only {n} are whole titles or questions (the rest are"
                " shortened copies); the confidence is rough: add alternate questions to"
                " entries, or gold questions (see README, 'Calibration')"
            ).format(pos=report.positives, n=report.independent)
        )
    return lines
