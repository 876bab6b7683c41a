"""The keyword baseline: BM25 over the reader's language, tokenised the way a site search does.

What a reader gets from the static site's own search (mkdocs-material, built on lunr.js), so
that `faq eval` and `bench/quality.py` compare the ranking with a fair keyword search, not with
one that makes a single token of a whole CJK sentence:

- Chinese (`zh*`): Han runs segmented into words with jieba (precise mode), as
  mkdocs-material's search plugin does at build time when jieba is installed
  (`material/plugins/search/plugin.py`, `_segment_chinese`);
- Japanese (`ja`): TinySegmenter (PyPI `tinysegmenter`), the segmenter of lunr-languages'
  `lunr.ja` that the theme loads for Japanese;
- Korean and every other language: split on whitespace and punctuation, as lunr's tokenizer
  and trimmer do (no Korean morphology);
- case-folded (NFKC), no stemming, no stop words.

Documents are what a site page shows: the entry's title and the text of its answer. jieba and
tinysegmenter are in the `bench` extra (and `test`); without them, building the baseline for
Chinese or Japanese pages raises BackendUnavailableError, which says how to install them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import numpy as np

from faq.errors import BackendUnavailableError
from faq.i18n import _
from faq.lexical import LexicalIndex
from faq.text import HAN, fold

Tokenizer = Callable[[str], list[str]]

_WORDS = re.compile(r"\w+")  # lunr: split on whitespace/punctuation, trim non-word edges
_HAN_RUN = re.compile(f"(?:{HAN.pattern})+")
_TAG = re.compile(r"<[^>]+>")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


@cache
def _jieba() -> Any:
    try:
        import jieba
    except ImportError:
        raise BackendUnavailableError(
            _("the keyword baseline needs jieba for Chinese: pip install 'faq[bench]'")
        ) from None
    jieba.setLogLevel(60)  # its dictionary-loading chatter goes to stderr otherwise
    return jieba


@cache
def _tiny_segmenter() -> Any:
    try:
        import tinysegmenter
    except ImportError:
        raise BackendUnavailableError(
            _("the keyword baseline needs tinysegmenter for Japanese: pip install 'faq[bench]'")
        ) from None
    return tinysegmenter.TinySegmenter()


def split_words(text: str) -> list[str]:
    """Korean, Latin and the rest: case-folded words split on whitespace and punctuation."""
    return _words(fold(text))


def chinese_words(text: str) -> list[str]:
    """Han runs segmented by jieba (precise mode), the rest split on whitespace/punctuation."""
    jieba = _jieba()
    tokens: list[str] = []
    position = 0
    norm = fold(text)
    for match in _HAN_RUN.finditer(norm):
        tokens.extend(_words(norm[position : match.start()]))
        tokens.extend(w for w in jieba.cut(match.group()) if w.strip())
        position = match.end()
    tokens.extend(_words(norm[position:]))
    return tokens


def japanese_words(text: str) -> list[str]:
    """TinySegmenter's tokens (lunr.ja), keeping those with a word character."""
    segmenter = _tiny_segmenter()
    return [t for t in segmenter.tokenize(fold(text)) if _WORDS.search(t)]


def site_tokenizer(lang: str) -> Tokenizer:
    """The tokenizer the static site's search uses for pages in `lang`."""
    base = lang.split("-")[0].lower()
    if base == "zh":
        return chinese_words
    if base == "ja":
        return japanese_words
    return split_words


def page_text(title: str, body_html: str) -> str:
    """A page as a site search indexes it: the title and the answer's text (tags removed)."""
    return title + "\n" + html.unescape(_TAG.sub(" ", body_html))


class KeywordBaseline:
    """One BM25 index per language over (id, title, answer HTML) rows; `rank` searches only
    the reader's language, as a per-language site does. Raises BackendUnavailableError without
    the segmenters a language needs."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """`rows`: (entry id, language, title, answer HTML)."""
        by_lang: dict[str, list[tuple[str, str]]] = {}
        for entry_id, lang, title, body in rows:
            by_lang.setdefault(lang, []).append((entry_id, page_text(title, body)))
        self._indexes: dict[str, tuple[LexicalIndex, list[str]]] = {}
        for lang, docs in by_lang.items():
            index = LexicalIndex.build([text for _, text in docs], site_tokenizer(lang))
            self._indexes[lang] = (index, [entry_id for entry_id, _ in docs])

    @property
    def languages(self) -> list[str]:
        return sorted(self._indexes)

    def rank(self, query: str, lang: str) -> tuple[list[str], list[float]]:
        """Entry ids with a BM25 score > 0, best first, and their scores; none for a language
        without pages."""
        if lang not in self._indexes:
            return [], []
        index, ids = self._indexes[lang]
        scores = index.scores(query)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        return [ids[i] for i in order], [float(scores[i]) for i in order]
