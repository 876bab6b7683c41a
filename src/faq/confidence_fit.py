"""The confidence model's fit and its threshold: a logistic regression with signed weights over
the FEATURES of the calibration questions (faq.calibrate makes them), and the rule that turns
its confidences into `answered`. Only `faq build` imports this (and scikit-learn).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from faq.scoring import FEATURES, ConfidenceModel

# The threshold rule (choose_threshold): the lowest confidence at which the answerable
# calibration questions answered are right TARGET_PRECISION of the time, while near misses are
# rejected TARGET_REJECTION of the time and generic off-topic ones OFF_TOPIC_REJECTION: issue
# #10's targets (answered precision >= 0.90, off-topic near misses rejected >= 0.70); the
# generic off-topic share is a guard. Compared with the former rule (precision >= 0.90 over all
# questions, negatives counted as wrong answers) on the gold calibration part, fitted on one
# half by entry and measured on the other: answered 0.843 -> 0.899, near misses rejected
# 0.865 -> 0.743, answered precision 0.984 -> 0.972 (the test part was not looked at).
TARGET_PRECISION = 0.90
TARGET_REJECTION = 0.70
OFF_TOPIC_REJECTION = 0.95
# The features the model may use. Query length and segments are computed but not fitted: the
# calibration questions are short (titles, shortened titles, one-line off-topic questions), so
# a weight on length would learn that artefact and penalise every pasted issue.
FITTED = frozenset(FEATURES) - {"log_tokens", "segments"}
# The sign each fitted weight must have (+1: more of it, more confident). Fitted freely on a
# knowledge base without alternate questions (25 positives), "unknown" (the share of words the
# knowledge base never uses) came out positive: the less a question was about it, the surer.
SIGNS = dict.fromkeys(FITTED, 1) | {"unknown": -1}


def choose_threshold(
    conf: npt.NDArray[np.float64],
    right: npt.NDArray[np.bool_],
    weights: npt.NDArray[np.float64],
    kind: npt.NDArray[np.str_],
    *,
    precision: float = TARGET_PRECISION,
    rejection: float = TARGET_REJECTION,
    off_topic: float = OFF_TOPIC_REJECTION,
) -> tuple[float, float]:
    """The lowest confidence t such that, of the calibration questions with confidence >= t,

    - the answerable ones (`kind == "answerable"`) are right at least `precision` of the time
      (weighted by `weights`; right = first hit is the expected entry),
    - and below t fall at least `rejection` of the near misses (`kind == "near"`) and at least
      `off_topic` of the generic off-topic questions (`kind == "off"`); absent kinds pass.

    These are the three figures issue #10 sets targets for (answered precision, rejection); the
    lowest such t answers as many questions as possible. When no t meets them all, the t with
    the best worst-case ratio to its target. Returns (t, answered precision at t).
    Shapes: all arrays (n,); raises ValueError when n == 0."""
    if len(conf) == 0:
        raise ValueError("no calibration questions")
    order = np.argsort(-conf, kind="stable")
    c, r, w, k = conf[order], right[order], weights[order], kind[order]
    answerable = k == "answerable"
    hits = np.cumsum(w * (r & answerable))
    asked = np.cumsum(w * answerable)
    prec = np.where(asked > 0, hits / np.maximum(asked, 1e-12), 1.0)
    ratios = [prec / precision if precision > 0 else np.ones_like(prec)]
    for name, target in (("near", rejection), ("off", off_topic)):
        mask = k == name
        if mask.any() and target > 0:
            # answered at t = those at or above it (the prefix); rejected = the rest
            said = np.cumsum(w * mask) / float(np.sum(w * mask))
            ratios.append((1.0 - said) / target)
    worst = np.min(np.stack(ratios), axis=0)
    # only cut between distinct confidences: all questions at one value go together
    last = np.r_[c[1:] != c[:-1], True]
    ok = np.flatnonzero(last & (worst >= 1.0 - 1e-12))
    if len(ok):
        i = int(ok[-1])
    else:
        candidates = np.flatnonzero(last)
        i = int(candidates[np.argmax(worst[candidates])])
    return float(c[i]), float(prec[i])


# The features of the model for a question the keyword leg matches nowhere (a question in
# another script than the pages', or in words they never use): the dense leg's alone. The
# full model reads the missing keyword evidence as evidence against; on the four byo-dev
# pages, such questions were ranked right 24 times in 25 and answered 8 times (bench/
# byo_report.py, before this model).
LEXICAL_FREE = frozenset({"dense_top", "dense_lead"})
# Its threshold rejects more near misses than the full model's (0.85, not TARGET_REJECTION):
# without the keyword leg's corroboration, a question on a neighbouring topic looks like the
# entry next to it. With 0.70, a trial engineer's pages (a Korean and an English one, asked in
# other languages) gained 7 answers right but 2 wrong and 2 near-domain off-topic questions
# answered; with 0.85, 6 right, none wrong, 1 off-topic; 0.90 (and 0.99 off-topic) gained 4.
# The byo-dev pages: 0.659 -> 0.700 (0.70), 0.697 (0.85), 0.694 (0.90) answered right first.
# Chosen after seeing those pages: they are dev data now.
FREE_REJECTION = 0.85


def fit(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.bool_],
    weights: npt.NDArray[np.float64],
    fitted: frozenset[str] = FITTED,
) -> ConfidenceModel:
    """Logistic regression (scikit-learn, L2) over the standardised `fitted` features, with the
    signs of SIGNS: a feature whose weight comes out against its sign is dropped and the rest
    refitted (the worst first), so that the confidence never rises as the evidence for the
    first hit falls. Shapes: x (n, len(FEATURES)), y and weights (n,)."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    used = [i for i, name in enumerate(FEATURES) if name in fitted]
    while True:
        lr = LogisticRegression(C=1.0, max_iter=1000)
        lr.fit(((x - mean) / scale)[:, used], y.astype(int), sample_weight=weights)
        against = {
            i: SIGNS.get(FEATURES[i], 0) * float(w)
            for i, w in zip(used, lr.coef_[0], strict=True)
            if SIGNS.get(FEATURES[i], 0) * float(w) < 0
        }
        if not against or len(used) == 1:
            break
        used.remove(min(against, key=lambda i: against[i]))
    coef = np.zeros(len(FEATURES))
    coef[used] = lr.coef_[0]
    return ConfidenceModel(
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in coef),
        intercept=float(lr.intercept_[0]),
        fitted=True,
    )


def on_scale(model: ConfidenceModel, own: float, threshold: float) -> ConfidenceModel:
    """`model`, whose threshold would be `own`, mapped onto a scale where it is `threshold`:
    its confidences pass through the piecewise-linear map (0, own, 1) -> (0, threshold, 1), so
    that one threshold decides `answered` whichever model judged a question, and confidences
    read the same in the API, the logs and `faq gaps`. The order of confidences is kept."""
    own = float(np.clip(own, 1e-6, 1.0 - 1e-6))
    return replace(
        model, knots_x=(0.0, own, 1.0), knots_y=(0.0, float(threshold), 1.0), threshold=threshold
    )
