"""The lexical leg: BM25 (bm25s) with tokens that work for Latin scripts and for CJK."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from faq.text import CJK_RUN, fold

# Latin words and digits; dotted and dashed names stay whole (gpt-3.5-turbo, DISABLE_CHUNK)
_WORD = re.compile(r"[a-z0-9_]+(?:[.\-/][a-z0-9_]+)*")


def tokenize(text: str) -> list[str]:
    """Latin words (and their dash/dot parts) plus character bigrams of CJK and Hangul runs."""
    norm = fold(text)
    tokens: list[str] = []
    for match in _WORD.finditer(norm):
        word = match.group()
        tokens.append(word)
        if any(c in word for c in ".-/"):
            tokens.extend(p for p in re.split(r"[.\-/]", word) if p)
    for run in CJK_RUN.findall(norm):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


@functools.cache
def stop_words() -> frozenset[str]:
    """Function words of English (bm25s's list, NLTK's), loaded on first use: left out of the
    lexical evidence the confidence reads (faq.search.Legs.content), not of the ranking, where
    they helped."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS)


class LexicalIndex:
    """BM25 over documents; scores for every document at once (for fusion).

    `tokenizer` is `tokenize` (the ranking's) unless given; the keyword baseline
    (faq.baseline) passes a site search's tokenizer."""

    def __init__(
        self, retriever: Any, size: int, tokenizer: Callable[[str], list[str]] = tokenize
    ) -> None:
        self._retriever = retriever
        self.size = size
        self._tokenize = tokenizer
        self._vocab: frozenset[str] | None = None

    @classmethod
    def build(
        cls, documents: list[str], tokenizer: Callable[[str], list[str]] = tokenize
    ) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25()
        corpus = [tokenizer(d) or ["\u2205"] for d in documents]
        retriever.index(corpus, show_progress=False)
        return cls(retriever, len(documents), tokenizer)

    def scores(self, query: str, *, content_only: bool = False) -> npt.NDArray[np.float32]:
        """BM25 of every document for `query`, shape (size,); with `content_only`, of its words
        that are not stop_words()."""
        tokens = self._tokenize(query)
        if content_only:
            stop = stop_words()
            tokens = [t for t in tokens if t not in stop]
        if not tokens or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)

    def unknown_share(self, query: str) -> float:
        """The share of the query's Latin-script words that no document contains."""
        words = [t for t in tokenize(query) if t[0].isascii()]
        if not words:
            return 0.0
        vocab = self._vocabulary()
        return sum(w not in vocab for w in words) / len(words)

    def _vocabulary(self) -> frozenset[str]:
        if self._vocab is None:
            self._vocab = frozenset(getattr(self._retriever, "vocab_dict", {}) or {})
        return self._vocab

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False, mmap=False)
        return cls(retriever, size)
