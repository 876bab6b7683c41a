"""Content gaps: the questions readers asked and didn't find, grouped into topics, largest first,
each with the nearest entry and a suggestion (`faq gaps`, the admin page).

Input is a list of `Signal`s (unanswered searches from the query log, down-votes and
missing-answer reports from the feedback store, and helpful votes as evidence). Questions are
embedded with the knowledge base's own embedder and grouped by agglomerative clustering
(scikit-learn; cosine distance, average linkage), with the distance threshold taken from the
knowledge base itself: two questions are about the same thing when they are more similar than
nearly all pairs of questions about different entries are (see `same_topic_similarity`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from faq.errors import QueryError

if TYPE_CHECKING:
    from faq.service import FaqService

SignalKind = Literal["unanswered", "unhelpful", "missing", "helpful"]
Suggestion = Literal["add-questions", "review-entry", "new-entry"]
MAX_SIGNALS = 5000  # clustering is quadratic in memory: the newest this many are grouped
EXAMPLES = 5


@dataclass(frozen=True)
class Signal:
    """One reader's question that may show a gap (or, `helpful`, that an entry answered it)."""

    query: str
    lang: str | None
    kind: SignalKind
    entry_id: str | None = None  # the entry voted on (votes), or None
    at: str = ""  # when, ISO 8601 UTC


@dataclass(frozen=True)
class Topic:
    """Readers' questions about one thing, with the entry that came nearest."""

    readers: int  # gap signals in the topic (unanswered, unhelpful, missing)
    languages: dict[str, int]  # reader language → count
    kinds: dict[str, int]  # signal kind → count
    examples: tuple[str, ...]  # the most typical questions first, at most EXAMPLES
    questions: tuple[tuple[str, str], ...]  # every distinct (lang, question)
    nearest: str | None  # entry id
    closeness: float  # the best confidence with which `nearest` came first, 0–1
    helpful_votes: int  # readers with these questions who voted `nearest` helpful
    unhelpful_votes: int  # … and who voted it unhelpful
    suggestion: Suggestion
    scores: tuple[float, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "readers": self.readers,
            "languages": self.languages,
            "kinds": self.kinds,
            "examples": list(self.examples),
            "questions": [{"lang": lang, "q": q} for lang, q in self.questions],
            "nearest": self.nearest,
            "closeness": round(self.closeness, 4),
            "helpful_votes": self.helpful_votes,
            "unhelpful_votes": self.unhelpful_votes,
            "suggestion": self.suggestion,
        }


def same_topic_similarity(
    vectors: npt.NDArray[np.float32], groups: Sequence[int], *, sample: int = 2000
) -> float:
    """The cosine similarity above which two questions count as one topic: the 95th percentile
    of the similarities between questions of *different* entries (`groups[i]` = the entry of
    vectors[i]), so that readers' questions are grouped only when they are closer than 95 % of
    unrelated pairs; clipped to [0.3, 0.85]; 0.5 when there are fewer than two entries.
    At most `sample` vectors are used (a fixed random sample: the result is repeatable)."""
    rows = np.arange(len(vectors))
    if len(rows) > sample:
        rows = np.sort(np.random.default_rng(0).choice(rows, sample, replace=False))
    labels = np.asarray(groups)[rows]
    if len(set(labels.tolist())) < 2:
        return 0.5
    sims = vectors[rows] @ vectors[rows].T
    upper = np.triu_indices(len(rows), k=1)
    different = labels[upper[0]] != labels[upper[1]]
    return float(np.clip(np.percentile(sims[upper][different], 95), 0.3, 0.85))


def cluster(vectors: npt.NDArray[np.float32], min_similarity: float) -> list[list[int]]:
    """Rows grouped by average-linkage agglomerative clustering on cosine distance, stopping at
    `1 - min_similarity`; largest group first."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1.0 - min_similarity,
    )
    labels = model.fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    return sorted(groups.values(), key=lambda rows: (-len(rows), rows[0]))


def find_gaps(
    signals: Sequence[Signal],
    service: FaqService,
    *,
    close: float | None = None,
    min_similarity: float | None = None,
) -> list[Topic]:
    """Group `signals` into topics, largest first (topics of helpful votes alone are dropped).

    Each distinct question is searched as the reader asked it. A topic's nearest entry is the
    one readers voted helpful, else the one ranked first for most of its questions (at least
    two), else the first hit with the highest confidence. It *came close* when it was first for
    at least two and at least half of the questions, or when it was first with a confidence of
    at least `close` (default: half the index's answer threshold) for at least half of them (one
    question of four near `close` is chance, not a topic the entry covers). Suggestion:
    `add-questions` (add them as alternate questions of `nearest`) when readers voted it
    helpful, or it came close and nobody voted it unhelpful; `review-entry` when it came close
    but readers voted it unhelpful; `new-entry` when nothing came close."""
    signals = [s for s in signals if s.query.strip()][-MAX_SIGNALS:]
    if not signals:
        return []
    embedder = service.ranker.embedder
    vectors = embedder.embed([s.query for s in signals])
    if min_similarity is None:
        data = service.data
        asked = [i for i, kind in enumerate(data.unit_kind) if kind in ("title", "question")]
        min_similarity = same_topic_similarity(data.vectors[asked], data.unit_entry[asked].tolist())
    if close is None:
        close = service.data.confidence.threshold / 2
    topics = []
    for rows in cluster(vectors, min_similarity):
        topic = _topic([signals[i] for i in rows], vectors[rows], service, close)
        if topic is not None:
            topics.append(topic)
    topics.sort(key=lambda t: (-t.readers, -len(t.questions), t.examples[:1]))
    return topics


def _topic(
    signals: list[Signal], vectors: npt.NDArray[np.float32], service: FaqService, close: float
) -> Topic | None:
    gaps = [s for s in signals if s.kind != "helpful"]
    if not gaps:
        return None
    centroid = vectors.mean(axis=0)
    typical = np.argsort(-(vectors @ centroid), kind="stable")
    examples: list[str] = []
    for i in typical:
        q = signals[int(i)].query
        if q not in examples:
            examples.append(q)
        if len(examples) == EXAMPLES:
            break
    confident: dict[str, float] = {}  # entry → best confidence with which it came first
    first: Counter[str] = Counter()
    near: Counter[str] = Counter()  # entry → questions it came first for, at least `close`
    asked = list(dict.fromkeys((s.lang, s.query) for s in signals))
    for lang, query in asked:
        try:
            result = service.search(query, lang=lang, k=1)
        except QueryError:
            try:  # a reader language the knowledge base no longer has: rank it anyway
                result = service.search(query, k=1)
            except QueryError:
                continue
        if result.results:
            top = result.results[0].id
            first[top] += 1
            near[top] += result.confidence >= close
            confident[top] = max(confident.get(top, 0.0), result.confidence)
    helpful = Counter(s.entry_id for s in signals if s.kind == "helpful" and s.entry_id)
    unhelpful = Counter(s.entry_id for s in signals if s.kind == "unhelpful" and s.entry_id)
    nearest: str | None = None
    if helpful:
        nearest = helpful.most_common(1)[0][0]
    elif first and first.most_common(1)[0][1] >= 2:
        nearest = max(first, key=lambda e: (first[e], confident.get(e, 0.0)))
    elif confident:
        nearest = max(confident, key=lambda e: confident[e])
    closeness = confident.get(nearest, 0.0) if nearest else 0.0
    agreed = bool(nearest) and first[nearest or ""] >= max(2, len(asked) / 2)
    suggestion: Suggestion
    if nearest and helpful[nearest]:
        suggestion = "add-questions"
    elif nearest and (agreed or near[nearest] >= len(asked) / 2):
        suggestion = "review-entry" if unhelpful[nearest] else "add-questions"
    else:
        suggestion = "new-entry"
    return Topic(
        readers=len(gaps),
        languages=dict(Counter(s.lang or "?" for s in gaps).most_common()),
        kinds=dict(Counter(s.kind for s in signals).most_common()),
        examples=tuple(examples),
        questions=tuple(dict.fromkeys((s.lang or "", s.query) for s in gaps)),
        nearest=nearest,
        closeness=closeness,
        helpful_votes=helpful[nearest] if nearest else 0,
        unhelpful_votes=unhelpful[nearest] if nearest else 0,
        suggestion=suggestion,
    )
