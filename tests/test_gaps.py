"""Content gaps on a synthetic query log in four languages with planted topics (real embedder)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from faq.build import build
from faq.config import load_settings
from faq.gaps import Signal, cluster, find_gaps, same_topic_similarity
from faq.service import FaqService

ROOT = Path(__file__).resolve().parents[1]

# A topic the knowledge base lacks: a dark theme.
DARK = [
    ("en", "how do I switch the interface to a dark theme"),
    ("en", "is there a night mode for the chat page?"),
    ("ko", "화면을 어두운 테마로 바꿀 수 있나요?"),
    ("zh", "界面能不能切换成暗色主题"),
    ("ja", "画面をダークテーマに切り替える方法は？"),
]
# Another one it lacks: exporting a conversation as PDF.
PDF = [
    ("en", "save a whole conversation as a PDF file"),
    ("zh", "怎样把整段对话导出成 PDF 文件"),
    ("ja", "会話全体をPDFとして保存したい"),
    ("ko", "대화 내용을 PDF로 내보내고 싶어요"),
]
# A near miss of streaming-nginx, asked in words its alternate questions don't use.
NEAR = [
    ("en", "the reply pops up in one go when I put my reverse proxy in front"),
    ("zh", "套了反向代理以后回复是一整段一起蹦出来的"),
    ("ko", "리버스 프록시를 앞에 두면 답변이 한 덩어리로 나와요"),
]


def signals() -> list[Signal]:
    out = [Signal(q, lang, "unanswered") for lang, q in DARK]
    out += [Signal(q, lang, "unanswered") for lang, q in DARK[:3]]  # asked again, other readers
    out += [Signal(q, lang, "missing") for lang, q in PDF]
    out += [Signal(q, lang, "unanswered") for lang, q in NEAR]
    out.append(Signal(NEAR[0][1], "en", "helpful", "streaming-nginx"))  # it did answer them
    out.append(Signal("what's a good recipe for kimchi stew", "en", "unanswered"))
    return out


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> FaqService:
    tmp = tmp_path_factory.mktemp("gaps")
    settings = load_settings(
        ROOT / "faq.toml",
        overrides={"index_dir": str(tmp / "index"), "site_dir": str(tmp / "site"), "gold": ""},
    )
    build(settings, site=False)
    return FaqService.open(settings)


def topic_of(topics: list, questions: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """The topic holding most of `questions`, and how many of them it holds."""
    wanted = {q for _lang, q in questions}
    best = max(topics, key=lambda t: len(wanted & {q for _l, q in t.questions}))
    return best, len(wanted & {q for _l, q in best.questions})


@pytest.mark.slow
def test_planted_topics_are_found_ranked_and_given_the_right_suggestion(
    service: FaqService,
) -> None:
    topics = find_gaps(signals(), service)
    dark, n_dark = topic_of(topics, DARK)
    pdf, n_pdf = topic_of(topics, PDF)
    near, n_near = topic_of(topics, NEAR)
    assert n_dark >= 4 and n_pdf >= 3 and n_near >= 2  # most of each planted topic together
    assert len({id(dark), id(pdf), id(near)}) == 3  # and the three kept apart
    assert dark.readers > pdf.readers and topics.index(dark) < topics.index(pdf)  # largest first
    assert [t.readers for t in topics] == sorted((t.readers for t in topics), reverse=True)
    assert dark.suggestion == "new-entry" and pdf.suggestion == "new-entry"
    assert near.suggestion == "add-questions" and near.nearest == "streaming-nginx"
    assert set(dark.languages) == {"en", "ko", "zh", "ja"}
    assert 1 <= len(dark.examples) <= 5
    kimchi = [t for t in topics if any("kimchi" in q for _l, q in t.questions)]
    assert kimchi and kimchi[0].readers == 1 and kimchi[0].suggestion == "new-entry"


@pytest.mark.slow
def test_a_down_voted_close_answer_is_to_be_reviewed(service: FaqService) -> None:
    asked = "streaming breaks behind nginx even with proxy_buffering off"
    log = [Signal(asked, "en", "unhelpful", "streaming-nginx")] * 2
    [topic] = find_gaps(log, service)
    assert topic.nearest == "streaming-nginx"
    assert topic.suggestion == "review-entry" and topic.unhelpful_votes == 2


def test_clustering_and_the_threshold_on_hand_made_vectors() -> None:
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    near_a = np.array([0.95, 0.31, 0.0])
    vectors = np.stack([a, b, near_a, a]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert cluster(vectors, 0.8) == [[0, 2, 3], [1]]
    assert cluster(vectors[:1], 0.8) == [[0]] and cluster(vectors[:0], 0.8) == []
    # different entries 0 and 1 are orthogonal: the bound is clipped at its floor
    assert same_topic_similarity(vectors, [0, 1, 0, 0]) == pytest.approx(0.3)
    assert same_topic_similarity(vectors, [0, 0, 0, 0]) == 0.5


def test_no_signals_no_topics(service: FaqService) -> None:
    assert find_gaps([], service) == []
    helpful_only = [Signal("x y z", "en", "helpful", "streaming-nginx")]
    assert find_gaps(helpful_only, service) == []
