"""The ranking and its contract: CLI output, JSON, batch mode, languages, the no-answer rule."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpus import write_corpus
from faq.builder import build
from faq.cli import cli
from faq.config import Settings
from faq.errors import QueryError
from faq.query import parse_query
from faq.scoring import ConfidenceModel
from faq.search import SECOND_WEIGHTS, Ranker, pool_units
from faq.service import FaqService


@pytest.fixture
def kb(tmp_path: Path) -> Settings:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    return settings


@pytest.fixture
def service(kb: Settings) -> FaqService:
    return FaqService.open(kb)


def run(kb: Settings, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(kb.root / "faq.toml"), *args], input=stdin)
    return result.exit_code, result.output


def test_search_finds_the_entry_and_groups_by_id(service: FaqService) -> None:
    result = service.search("nginx streaming broken", k=4)
    ids = [hit.id for hit in result.results]
    assert ids[0] == "streaming-nginx"
    assert len(ids) == len(set(ids)) == 4  # one hit per entry, not per phrasing
    assert all(0.0 <= hit.score <= 1.0 for hit in result.results)
    assert [h.score for h in result.results] == sorted(
        (h.score for h in result.results), reverse=True
    )


def test_exact_error_string_wins_through_the_lexical_leg(service: FaqService) -> None:
    pasted = "Error: You exceeded your current quota, please check your plan and billing details."
    result = service.search(pasted, lang="en")
    assert result.results[0].id == "quota-exceeded"
    assert result.results[0].score >= service.data.fusion.error_boost


def test_reader_language_explicit_then_detected_then_default(service: FaqService) -> None:
    assert service.search("nginx streaming", lang="ko").lang == "ko"
    assert service.search("답변이 한꺼번에 나와요 왜 그래요").lang == "ko"
    assert service.search("replies arrive all at once, why").lang == "en"
    hit = service.search("답변이 한꺼번에 나와요").results[0]
    assert (hit.id, hit.lang, hit.fallback) == ("streaming-nginx", "ko", False)


def test_missing_translation_falls_back_to_the_source_labelled(service: FaqService) -> None:
    result = service.search("how do I get help quickly", lang="ko", k=4)
    hit = next(h for h in result.results if h.id == "get-help")
    assert hit.lang == "en" and hit.fallback is True
    other = next(h for h in result.results if h.id != "get-help")
    assert other.lang == "ko" and other.fallback is False
    assert hit.as_dict()["fallback"] is True and "fallback" not in other.as_dict()


def test_bad_queries_are_refused(service: FaqService) -> None:
    for bad in ("", "   \n\t"):
        with pytest.raises(QueryError, match="empty"):
            service.search(bad)
    with pytest.raises(QueryError, match="too long"):
        service.search("x" * 1001)
    with pytest.raises(QueryError, match="unknown language"):
        service.search("nginx", lang="fr")
    for k in (0, 21):
        with pytest.raises(QueryError, match="k must be"):
            service.search("nginx", k=k)


def with_model(kb: Settings, service: FaqService, model: ConfidenceModel) -> FaqService:
    """A service on the same index with another confidence model (IndexData is immutable)."""
    return FaqService(kb, replace(service.data, confidence=model), service.ranker.embedder)


def test_threshold_decides_answered(kb: Settings, service: FaqService) -> None:
    query = "nginx streaming broken"
    ranked = service.ranker.rank(query)
    model = service.data.confidence
    assert 0.0 <= ranked.confidence <= 1.0
    assert ranked.confidence == pytest.approx(model.confidence(ranked.features))
    assert ranked.answered == (ranked.confidence >= model.threshold)
    lower = replace(model, threshold=ranked.confidence - 0.01)
    assert with_model(kb, service, lower).search(query).answered is True
    higher = replace(model, threshold=min(1.0, ranked.confidence + 0.01))
    result = with_model(kb, service, higher).search(query)
    assert result.answered is False
    assert result.confidence == pytest.approx(ranked.confidence, abs=1e-6)
    assert result.results  # the closest entries are still shown


def test_unknown_words_lower_confidence(service: FaqService) -> None:
    known = service.ranker.rank("vercel env settings")
    unknown = service.ranker.rank("kubernetes ingress certmanager")
    assert known.unknown_words == 0.0
    assert unknown.unknown_words == 1.0


def test_cli_prints_a_readable_ranked_list(kb: Settings) -> None:
    code, out = run(kb, "search", "nginx streaming broken", "--lang", "en", "-k", "2")
    assert code == 0, out
    assert "1. Why is there no streaming output behind nginx?" in out
    assert "[streaming-nginx]" in out
    assert "/deployment/streaming-nginx/" in out
    assert "proxy buffering" in out
    assert "3." not in out


def test_cli_says_no_good_answer_with_the_closest(kb: Settings) -> None:
    service = FaqService.open(kb)
    strict = replace(service.data.confidence, threshold=1.01)
    from faq.index import save

    save(replace(service.data, confidence=strict), kb.index)
    code, out = run(kb, "search", "nginx streaming broken")
    assert code == 0
    assert "No good answer" in out
    assert "[streaming-nginx]" in out


def test_cli_json_contract(kb: Settings) -> None:
    code, out = run(kb, "search", "--json", "vercel env settings", "--lang", "ko")
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"query", "lang", "answered", "confidence", "results"}
    assert 0.0 <= data["confidence"] <= 1.0
    assert data["lang"] == "ko" and isinstance(data["answered"], bool)
    first = data["results"][0]
    assert set(first) >= {"id", "lang", "title", "score", "url", "snippet"}
    assert first["id"] == "vercel-env-vars" and first["lang"] == "ko"
    assert first["url"] == "/ko/deployment/vercel-env-vars/"


def test_cli_batch_mode_keeps_order(kb: Settings) -> None:
    queries = ["vercel env settings", "", "nginx streaming broken", "out of credit"]
    code, out = run(kb, "search", "--lang", "en", stdin="\n".join(queries) + "\n")
    assert code == 0, out
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["query"] for line in lines] == [q for q in queries if q]
    assert [line["results"][0]["id"] for line in lines] == [
        "vercel-env-vars",
        "streaming-nginx",
        "quota-exceeded",
    ]


def test_cli_batch_reports_bad_lines_and_goes_on(kb: Settings) -> None:
    code, out = run(kb, "search", "-", stdin="x" * 1001 + "\nnginx streaming broken\n")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert "too long" in first["error"]
    assert second["results"][0]["id"] == "streaming-nginx"


def test_cli_errors_are_one_line(kb: Settings) -> None:
    for args in (["search", "  "], ["search", "nginx", "--lang", "xx"], ["search", "a", "-k", "0"]):
        code, out = run(kb, *args)
        assert code != 0
        assert out.startswith("Error: ") and out.count("\n") == 1 and "Traceback" not in out


def test_cli_refuses_a_stale_index(kb: Settings) -> None:
    page = kb.docs / "en" / "usage" / "quota-exceeded.md"
    page.write_text(page.read_text("utf-8") + "\nMore.\n", "utf-8")
    code, out = run(kb, "search", "quota")
    assert code != 0
    assert "run `faq build`" in out and "Traceback" not in out


def test_pool_units_adds_a_share_of_the_second_best_unit() -> None:
    entry = np.asarray([2, 0, 2, 0, 2, 1], dtype=np.int64)  # any order, as faiss may give
    score = np.asarray([0.5, 0.6, 0.4, 0.2, 0.3, 0.4], dtype=np.float32)
    pooled = pool_units(entry, score, 4, 0.3)
    assert pooled[0] == pytest.approx(0.6 + 0.3 * 0.2)
    assert pooled[1] == pytest.approx(0.4)  # one unit: no share
    assert pooled[2] == pytest.approx(0.5 + 0.3 * 0.4)  # the third unit adds nothing
    assert pooled[3] == 0.0  # no unit among the nearest
    assert pooled.dtype == np.float32
    plain = pool_units(entry, score, 4, 0.0)  # weight 0: the best unit alone
    assert plain.tolist() == pytest.approx([0.6, 0.4, 0.5, 0.0])


def test_pool_units_stays_in_the_unit_interval() -> None:
    entry = np.asarray([0, 0, 1, 1, 2], dtype=np.int64)
    score = np.asarray([0.95, 0.9, 1.2, -0.3, 0.5], dtype=np.float32)  # float error past ±1
    assert pool_units(entry, score, 3, 0.3).tolist() == pytest.approx([1.0, 1.0, 0.5])
    assert pool_units(entry[:0], score[:0], 3, 0.3).tolist() == [0.0, 0.0, 0.0]


def test_the_second_best_share_is_the_embedders(
    service: FaqService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranking's dense leg pools units with its embedder's share (SECOND_WEIGHTS; none for
    an embedder not listed): an entry a second text of which also matches gains."""
    assert service.ranker.second_weight == 0.0  # the fake embedder: the best unit alone
    monkeypatch.setitem(SECOND_WEIGHTS, "fake", 0.3)
    ranker = Ranker(service.data, service.ranker.embedder)
    assert ranker.second_weight == 0.3
    vector = ranker.embed([parse_query("nginx streaming broken")])[0][0]
    best = service.ranker.dense_scores(vector)
    pooled = ranker.dense_scores(vector)
    assert np.all(pooled >= best - 1e-6)
    assert np.any(pooled > best + 1e-6)


def test_english_function_words_are_no_evidence_for_the_confidence(service: FaqService) -> None:
    from faq.lexical import LexicalIndex

    lexical = LexicalIndex.build(["How do I reset my password?", "How do I bake bread?"])
    everything = lexical.scores("how do I")
    assert everything.max() > 0  # the ranking still reads them
    assert not lexical.scores("how do I", content_only=True).any()
    assert lexical.scores("how do I bake", content_only=True)[1] > 0
    ranker = service.ranker
    query = parse_query("how do I knit a sweater")
    legs = ranker.legs(query, ranker.embed([query])[0])
    assert not legs.content.any()  # nothing but function words is known to the corpus
    fused = legs.dense  # any fused scores: the lexical features come from `content`
    names = ranker.data.confidence.features
    x = dict(zip(names, legs.features(fused, ranker.data.fusion), strict=True))
    assert x["lexical_top"] == 0.0 and x["agree"] == 0.0


def test_a_question_the_keyword_leg_matches_nowhere_is_judged_by_the_dense_model(
    service: FaqService,
) -> None:
    model = service.data.confidence
    free = model.lexical_free
    assert free is not None and free.fitted
    # the dense-only model reads the dense leg and nothing else
    used = {name for name, w in zip(free.features, free.coef, strict=True) if w != 0.0}
    assert used and used <= {"dense_top", "dense_lead"}
    ranker = service.ranker
    cases = (
        ("kubernetes ingress certmanager", True),  # no word of it in any entry
        ("how do I knit a sweater", True),  # function words only: no content word matches
        ("nginx streaming", False),
    )
    for text, expect_free in cases:
        query = parse_query(text)
        legs = ranker.legs(query, ranker.embed([query])[0])
        assert (not legs.content.any()) is expect_free
        ranked = ranker.score(legs)
        judge = free if expect_free else model
        assert ranked.confidence == pytest.approx(judge.confidence(ranked.features))
        assert ranked.answered == (ranked.confidence >= judge.threshold)


def test_the_dense_only_model_is_stored_with_the_index(service: FaqService) -> None:
    model = service.data.confidence
    again = ConfidenceModel.from_meta(json.loads(json.dumps(model.as_meta())))
    assert again == model and again.lexical_free == model.lexical_free
    assert again.lexical_free is not None
    assert again.lexical_free.threshold == model.lexical_free.threshold  # type: ignore[union-attr]
    # an index written before it loads, without one: every question by the full model
    meta = model.as_meta()
    del meta["lexical_free"]
    assert ConfidenceModel.from_meta(meta).lexical_free is None
