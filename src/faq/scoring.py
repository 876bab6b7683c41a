"""The ranking's parameters and formulas: leg fusion, error-string matches, and the confidence
model (features → P(first hit answers)), stored in the index's meta and applied with numpy only.

Fitted by `faq build` (faq.calibrate, the only user of scikit-learn); read by faq.search.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from faq.text import norm_key

MIN_ERROR_CHARS = 12  # shorter error strings are too generic to match verbatim

# The confidence model's inputs, in this order; each is computed by `features` below.
FEATURES: tuple[str, ...] = (
    "top",  # fused score of the first hit, [0, 1]
    "lead",  # its lead over the second hit's fused score
    "dense_top",  # the dense leg's score of the first hit (cosine, clipped to [0, 1])
    "dense_lead",  # the dense leg's best score minus its second best
    "lexical_top",  # the lexical leg's normalised score of the first hit, [0, 1)
    "agree",  # 1 when both legs, alone, would put the same entry first
    "error_hit",  # 1 when an error string of the first hit is in the query verbatim
    "log_tokens",  # log(1 + query tokens)
    "unknown",  # share of the query's Latin words that the knowledge base never uses
    "segments",  # texts embedded for the query (1 for a short question; see faq.query)
)


@dataclass(frozen=True)
class Fusion:
    """How the two legs combine into one score per entry:

    score = (1 - lexical_weight) * dense + lexical_weight * bm25 / (bm25 + bm25_scale)

    and an entry whose error string is in the query scores at least `error_boost`.
    `lexical_weight` and `bm25_scale` are chosen by `faq build` for the best MRR on its
    calibration questions (faq.calibrate).
    """

    lexical_weight: float = 0.3
    bm25_scale: float = 16.0
    error_boost: float = 0.9


@dataclass(frozen=True)
class ConfidenceModel:
    """P(the first hit answers the question) = iso(sigmoid(w · (x - mean) / scale + b)).

    `x` is the query's `FEATURES` vector; `w`, `b` come from a logistic regression
    (scikit-learn, L2, signed weights, fitted at build time), `mean`/`scale` standardise the
    features, and the optional isotonic step `iso` is a piecewise-linear map through
    (`knots_x`, `knots_y`). `answered = confidence >= threshold`, the threshold chosen at build
    by the threshold rule of faq.confidence_fit (issue #10's targets). `lexical_free`, when
    present, is a second model of the same form over the dense features alone, its knots
    putting its own threshold on this one (confidence_fit.on_scale): it judges a question
    none of whose content words is in any entry (faq.search). The defaults
    (used when there is nothing to calibrate on) weigh the fused top score and its lead, and put
    the threshold at a fused score of about 0.55.
    """

    features: tuple[str, ...] = FEATURES
    mean: tuple[float, ...] = (0.0,) * len(FEATURES)
    scale: tuple[float, ...] = (1.0,) * len(FEATURES)
    coef: tuple[float, ...] = (12.0, 6.0) + (0.0,) * (len(FEATURES) - 2)
    intercept: float = -6.6
    knots_x: tuple[float, ...] = ()
    knots_y: tuple[float, ...] = ()
    threshold: float = 0.5
    fitted: bool = False
    calibration: dict[str, Any] = field(default_factory=dict, compare=False)
    # the model for a query no content word of which is in any entry (another script): dense only
    lexical_free: ConfidenceModel | None = None

    def probability(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Confidences in [0, 1] for feature rows `x` (shape (n, len(features)))."""
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        logit = z @ np.asarray(self.coef) + self.intercept
        p: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(logit, -40.0, 40.0)))
        if self.knots_x:
            p = np.interp(p, np.asarray(self.knots_x), np.asarray(self.knots_y))
        return p

    def confidence(self, x: Sequence[float]) -> float:
        """The confidence for one feature vector."""
        value = float(self.probability(np.asarray([x], dtype=np.float64))[0])
        return 0.0 if math.isnan(value) else value

    def as_meta(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> ConfidenceModel:
        """Raises KeyError/TypeError/ValueError when the stored model does not fit FEATURES."""
        model = cls(
            features=tuple(meta["features"]),
            mean=tuple(float(v) for v in meta["mean"]),
            scale=tuple(float(v) for v in meta["scale"]),
            coef=tuple(float(v) for v in meta["coef"]),
            intercept=float(meta["intercept"]),
            knots_x=tuple(float(v) for v in meta.get("knots_x", ())),
            knots_y=tuple(float(v) for v in meta.get("knots_y", ())),
            threshold=float(meta["threshold"]),
            fitted=bool(meta.get("fitted", False)),
            calibration=dict(meta.get("calibration", {})),
            lexical_free=cls.from_meta(meta["lexical_free"]) if meta.get("lexical_free") else None,
        )
        if model.features != FEATURES or not (
            len(model.mean) == len(model.scale) == len(model.coef) == len(FEATURES)
        ):
            raise ValueError("confidence features differ")
        return model


def fuse(
    dense: npt.NDArray[np.float32],
    lexical: npt.NDArray[np.float32],
    error_ids: Iterable[int],
    fusion: Fusion,
) -> npt.NDArray[np.float32]:
    """Per-entry fused scores in [0, 1] from the two legs' raw scores (see Fusion)."""
    w = fusion.lexical_weight
    fused = (1.0 - w) * dense + w * lexical / (lexical + fusion.bm25_scale)
    for i in error_ids:
        fused[i] = max(fused[i], fusion.error_boost + 0.1 * dense[i])
    clipped: npt.NDArray[np.float32] = np.clip(fused, 0.0, 1.0).astype(np.float32)
    return clipped


def features(
    fused: npt.NDArray[np.float32],
    dense: npt.NDArray[np.float32],
    lexical: npt.NDArray[np.float32],
    error_ids: Sequence[int],
    fusion: Fusion,
    *,
    tokens: int,
    unknown: float,
    segments: int,
) -> list[float]:
    """The FEATURES vector of one query, from its per-entry scores (raw BM25 in `lexical`)."""
    if len(fused) == 0:
        return [0.0] * len(FEATURES)
    lex_norm = lexical / (lexical + fusion.bm25_scale)
    first = int(np.argmax(fused))
    second = float(np.partition(fused, -2)[-2]) if len(fused) > 1 else 0.0
    dense_sorted = np.sort(dense)[::-1]
    dense_second = float(dense_sorted[1]) if len(dense_sorted) > 1 else 0.0
    agree = int(np.argmax(dense)) == int(np.argmax(lexical)) and float(np.max(lexical)) > 0
    return [
        float(fused[first]),
        float(fused[first]) - second,
        float(dense[first]),
        float(dense_sorted[0]) - dense_second,
        float(lex_norm[first]),
        1.0 if agree else 0.0,
        1.0 if first in error_ids else 0.0,
        math.log1p(tokens),
        float(unknown),
        float(segments),
    ]


def error_table(error_lists: Iterable[Sequence[str]]) -> dict[str, list[int]]:
    """Each distinct normalised error string → the rows (positions in `error_lists`, one per
    indexed entry) that list it."""
    table: dict[str, list[int]] = {}
    for row, errors in enumerate(error_lists):
        for err in errors:
            norm = norm_key(err)
            if len(norm) >= MIN_ERROR_CHARS:
                table.setdefault(norm, []).append(row)
    return table


def error_matches(query: str, table: dict[str, list[int]]) -> set[int]:
    """Rows of entries one of whose error strings appears verbatim in the query."""
    norm = norm_key(query)
    if len(norm) < MIN_ERROR_CHARS:
        return set()
    return {row for err, rows in table.items() if err in norm for row in rows}
