"""The one ranking: dense (faiss) and lexical (BM25) legs fused per entry id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from faq.embedders import Embedder
from faq.index import Fusion, IndexData, error_matches, error_table

KEEP = 50  # ranked entries kept per query: more than any page shows


@dataclass(frozen=True)
class Ranked:
    """Entry ids by fused score, best first, with each leg's contribution."""

    ids: list[str]
    scores: list[float]
    dense: list[float]
    lexical: list[float]
    unknown_words: float = 0.0  # share of the query's Latin words unknown to the knowledge base


class Ranker:
    """Scores every entry id for a query. Shared by the CLI, the API and `faq eval`."""

    def __init__(self, data: IndexData, embedder: Embedder) -> None:
        self.data = data
        self.embedder = embedder
        self.ids: list[str] = sorted({e.id for e in data.entries})
        position = {id_: i for i, id_ in enumerate(self.ids)}
        self.row_id = np.asarray([position[e.id] for e in data.entries], dtype=np.int64)
        self.unit_id = self.row_id[data.unit_entry] if len(data.unit_entry) else self.row_id[:0]
        self.errors = error_table(data.entries)
        if hasattr(data.faiss_index, "hnsw"):
            data.faiss_index.hnsw.efSearch = 256

    def error_ids(self, query: str) -> list[int]:
        """Entry ids (positions) whose error strings appear verbatim in the query."""
        return sorted({int(self.row_id[row]) for row in error_matches(query, self.errors)})

    def dense_scores(self, query_vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        n_units = len(self.unit_id)
        out = np.zeros(len(self.ids), dtype=np.float32)
        if n_units == 0:
            return out
        fetch = min(n_units, 256)
        scores, rows = self.data.faiss_index.search(query_vector.reshape(1, -1), fetch)
        valid = rows[0] >= 0
        np.maximum.at(out, self.unit_id[rows[0][valid]], scores[0][valid])
        return np.clip(out, 0.0, 1.0)

    def lexical_scores(self, query: str) -> npt.NDArray[np.float32]:
        raw = self.data.lexical.scores(query)
        out = np.zeros(len(self.ids), dtype=np.float32)
        if len(raw):
            np.maximum.at(out, self.row_id, raw)
        return out

    def rank(self, query: str, fusion: Fusion | None = None) -> Ranked:
        fusion = fusion or self.data.fusion
        vector = self.embedder.embed([query])[0]
        return self.rank_with(query, vector, fusion)

    def rank_with(self, query: str, vector: npt.NDArray[np.float32], fusion: Fusion) -> Ranked:
        dense = self.dense_scores(vector)
        lex = self.lexical_scores(query)
        lex_norm = lex / (lex + fusion.bm25_scale)
        fused = fuse(dense, lex, self.error_ids(query), fusion)
        if len(fused) > KEEP:
            best = np.argpartition(-fused, KEEP)[:KEEP]
            order = best[np.argsort(-fused[best], kind="stable")]
        else:
            order = np.argsort(-fused, kind="stable")
        return Ranked(
            ids=[self.ids[i] for i in order],
            scores=[float(fused[i]) for i in order],
            dense=[float(dense[i]) for i in order],
            lexical=[float(lex_norm[i]) for i in order],
            unknown_words=self.data.lexical.unknown_share(query),
        )


def fuse(
    dense: npt.NDArray[np.float32],
    lexical: npt.NDArray[np.float32],
    error_ids: list[int],
    fusion: Fusion,
) -> npt.NDArray[np.float32]:
    """Per-entry fused scores in [0, 1] from the two legs' raw scores (see Fusion); an entry
    whose error string is in the query scores at least `error_boost`. Also used, row by row,
    by the calibration in faq.evaluate."""
    w = fusion.lexical_weight
    fused = (1.0 - w) * dense + w * lexical / (lexical + fusion.bm25_scale)
    for i in error_ids:
        fused[i] = max(fused[i], fusion.error_boost + 0.1 * dense[i])
    clipped: npt.NDArray[np.float32] = np.clip(fused, 0.0, 1.0)
    return clipped


def confidence_of(top: Any, second: Any, unknown_words: Any, fusion: Fusion) -> Any:
    """The confidence formula of Fusion, for one query (floats) or many (arrays)."""
    return top + fusion.margin_weight * (top - second) - fusion.oov_penalty * unknown_words


def confidence(scores: list[float], unknown_words: float, fusion: Fusion) -> float:
    """How sure the ranking is that its best entry answers the query (see Fusion)."""
    if not scores:
        return 0.0
    second = scores[1] if len(scores) > 1 else 0.0
    return float(confidence_of(scores[0], second, unknown_words, fusion))


def answered(ranked: Ranked, fusion: Fusion) -> bool:
    """Whether the best match is good enough to call it an answer (precision first)."""
    return bool(ranked.scores) and (
        confidence(ranked.scores, ranked.unknown_words, fusion) >= fusion.threshold
    )
