"""faq.evaluate, faq.baseline and `faq eval`: metrics on a hand-made run, gold reading errors,
the site-search tokenizers, and the test/in-sample report on a tiny knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus import write_corpus
from faq.baseline import KeywordBaseline, chinese_words, japanese_words, split_words
from faq.builder import build
from faq.cli import cli
from faq.config import Settings, load_settings
from faq.errors import FaqError
from faq.evaluate import Gold, Run, metrics, read_gold, reliability, report, run_ranker
from faq.service import FaqService


def hand_made_run() -> Run:
    """Five answerable questions (expected at ranks 1, 2, 4, absent, 1) and two off-topic."""
    gold = [
        Gold("q1", "en", "a"),
        Gold("q2", "en", "b", qlang="ko"),
        Gold("q3", "en", "c"),
        Gold("q4", "ko", "d"),
        Gold("q5", "ko", None),
        Gold("q6", "en", None),
        Gold("q7", "ko", "a"),
    ]
    ranked = [["a", "b", "c"], ["a", "b", "c"], ["a", "b", "d", "c"], ["a", "b"], ["a"], [], ["a"]]
    answered = [True, True, False, False, True, False, True]
    confidence: list[float | None] = [0.85, 0.55, 0.35, 0.15, 0.62, 0.05, 1.0]
    return Run(gold, ranked, [[0.0] * len(r) for r in ranked], answered, confidence)


def test_metrics_on_a_hand_made_run() -> None:
    run = hand_made_run()
    m = metrics(run, list(range(7)))
    assert m["questions"] == 5 and m["off_topic"] == 2
    assert m["recall@1"] == pytest.approx(2 / 5)
    assert m["recall@3"] == pytest.approx(3 / 5)
    assert m["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 4 + 0 + 1) / 5)
    assert m["answered"] == pytest.approx(3 / 5)
    assert m["answered_correct"] == pytest.approx(2 / 5)
    assert m["answered_questions"] == 3
    assert m["precision"] == pytest.approx(2 / 3)  # q2 answered with the wrong entry first
    assert m["precision_all"] == pytest.approx(2 / 4)  # and q5, off-topic, answered
    assert m["rejection"] == pytest.approx(1 / 2)


def test_metrics_of_a_subset_without_off_topic_or_answers() -> None:
    m = metrics(hand_made_run(), [2, 3])
    assert m["recall@1"] == 0.0 and m["answered"] == 0.0
    assert "precision" not in m and "rejection" not in m and "precision_all" not in m


def test_reliability_bins_count_and_share_right_first() -> None:
    bins = reliability(hand_made_run(), list(range(7)))
    got = [(b["low"], b["high"], b["count"], b["right"]) for b in bins]
    assert got == [
        (0.0, 0.1, 1, 0.0),  # q6, off-topic: never right
        (0.1, 0.2, 1, 0.0),
        (0.3, 0.4, 1, 0.0),
        (0.5, 0.6, 1, 0.0),  # q2: right entry second
        (0.6, 0.7, 1, 0.0),
        (0.8, 0.9, 1, 1.0),
        (0.9, 1.0, 1, 1.0),  # 1.0 falls in the last bin
    ]
    assert bins[-1]["mean_confidence"] == pytest.approx(1.0)
    assert reliability(Run([Gold("q", "en", "a")], [["a"]], [[]], [True], [None]), [0]) == []


def test_report_splits_languages_and_cross_lingual() -> None:
    r = report(hand_made_run(), ("en", "ko"))
    assert r["cross_lingual"]["questions"] == 1  # q2 asked in Korean of the English page
    assert r["languages"]["en"]["questions"] == 2 and r["languages"]["en"]["off_topic"] == 1
    assert r["languages"]["ko"]["recall@1"] == pytest.approx(1 / 2)
    assert sum(b["count"] for b in r["reliability"]) == 7


def test_lang_may_be_left_out_with_one_language(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"q": "how do I return the bike", "expect": "return"}\n', "utf-8")
    assert [(g.q, g.lang) for g in read_gold([path], ("ko",))] == [
        ("how do I return the bike", "ko")
    ]
    with pytest.raises(FaqError, match="'lang' must be one of en, ko"):
        read_gold([path], ("en", "ko"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"lang": "en", "expect": null}', "'q' must be a non-empty string"),
        ('{"q": "hi", "lang": "fr", "expect": null}', "'lang' must be one of en, ko"),
        ('{"q": "hi", "lang": "en"}', "'expect' must be an entry id or null"),
        ('{"q": "hi", "lang": "en", "expect": 3}', "'expect' must be an entry id or null"),
    ],
)
def test_gold_errors_name_path_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"q": "fine", "lang": "en", "expect": "a"}\n\n' + line + "\n", "utf-8")
    with pytest.raises(FaqError) as caught:
        read_gold([path], ("en", "ko"))
    assert str(caught.value).startswith(f"{path}:3: ")
    assert message in str(caught.value)


def test_chinese_is_segmented_into_words_not_one_token() -> None:
    tokens = chinese_words("请问Nginx怎么配置才能流式输出？")
    assert "nginx" in tokens and "配置" in tokens and "输出" in tokens
    assert all(len(t) <= 2 for t in tokens if not t.isascii())


def test_japanese_is_segmented_by_tinysegmenter() -> None:
    tokens = japanese_words("nginxの後ろでストリーミングが動かない")
    assert "nginx" in tokens and "ストリーミング" in tokens and "後ろ" in tokens


def test_korean_and_latin_split_on_spaces_and_punctuation() -> None:
    assert split_words("nginx 뒤에서 스트리밍이, 안 돼요?") == [
        "nginx",
        "뒤에서",
        "스트리밍이",
        "안",
        "돼요",
    ]
    assert split_words("Loading-Chunk 4871 failed.") == ["loading", "chunk", "4871", "failed"]


def test_keyword_baseline_searches_the_readers_language_only() -> None:
    baseline = KeywordBaseline(
        [
            ("streaming", "zh", "为什么没有流式输出", "<p>关闭 nginx 的代理缓冲</p>"),
            ("quota", "zh", "额度用完了怎么办", "<p>充值</p>"),
            ("streaming", "en", "No streaming output", "<p>Turn off proxy buffering</p>"),
        ]
    )
    ids, scores = baseline.rank("nginx 流式输出不工作", "zh")
    assert ids == ["streaming"] and scores[0] > 0
    assert baseline.rank("流式输出", "en") == ([], [])
    assert baseline.rank("anything", "fr") == ([], [])


# ------------------------------------------------------------------ faq eval on a tiny base

TEST_LINES = [
    {"q": "nginx streaming broken", "lang": "en", "expect": "streaming-nginx"},
    {"q": "out of credit", "lang": "en", "expect": "quota-exceeded"},
    {"q": "vercel 환경변수", "lang": "ko", "expect": "vercel-env-vars"},
    {"q": "nginx streaming for my radio station", "lang": "en", "expect": None},
]
CALIBRATION_LINES = [
    {"q": "replies arrive all at once", "lang": "en", "expect": "streaming-nginx"},
    {"q": "where are vercel variables", "lang": "en", "expect": "vercel-env-vars"},
    {"q": "recipe for pancakes", "lang": "en", "expect": None},
]


def write_lines(path: Path, lines: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines), "utf-8")


def tiny_kb(root: Path, *, test: bool = True, targets: str = "") -> Settings:
    write_corpus(root)
    write_lines(root / "gold" / "calibration" / "en.jsonl", CALIBRATION_LINES)
    if test:
        write_lines(root / "gold" / "test" / "en.jsonl", TEST_LINES)
    config = root / "faq.toml"
    text = config.read_text("utf-8").replace(
        'gold = ""',
        'gold = "gold/calibration/*.jsonl"\ngold_test = "gold/test/*.jsonl"\n' + targets,
    )
    config.write_text(text, "utf-8")
    settings = load_settings(config, env={})
    build(settings, site=False)
    return settings


LOW_TARGETS = (
    "min_recall_at_1 = 0.0\nmin_recall_at_3 = 0.0\nmin_lang_recall_at_1 = 0.0\n"
    "min_cross_recall_at_3 = 0.0\nmin_answered = 0.0\nmin_rejection = 0.0\n"
)


def eval_cli(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(settings.root / "faq.toml"), "eval", *args])
    return result.exit_code, result.output


def test_eval_reports_the_test_part_and_labels_the_calibration_part(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, targets=LOW_TARGETS)
    code, out = eval_cli(settings)
    assert code == 0, out
    assert "test part: " in out and str(tmp_path / "gold" / "test" / "en.jsonl") in out
    assert "faq: overall" in out and "keyword baseline: overall" in out
    assert "3+1" in out  # the test part: three answerable, one off-topic
    assert "in-sample: calibrated on these" in out
    assert "faq (in-sample: calibrated on these)" in out
    assert "2+1" in out  # the in-sample line counts the calibration part


def test_eval_json_keys_both_parts(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, targets=LOW_TARGETS)
    code, out = eval_cli(settings, "--json")
    assert code == 0, out
    result = json.loads(out)
    assert result["gated"] == "test" and result["failed"] == []
    assert result["test"]["in_sample"] is False and result["in_sample"]["in_sample"] is True
    assert result["test"]["search"]["overall"]["questions"] == 3
    assert result["in_sample"]["search"]["overall"]["questions"] == 2
    assert result["calibration"]["sources"].get("gold") == 3 and result["overlap"] == 0
    assert result["test"]["search"]["reliability"]
    assert "reliability" not in result["test"]["baseline"]  # BM25 scores are no confidence


def test_eval_gates_apply_to_the_test_part(tmp_path: Path) -> None:
    # the fake embedder answers the test part's near miss (nginx, streaming: rejection 0.0) but
    # rejects the calibration part's (in-sample rejection 1.0): only the test part counts
    targets = LOW_TARGETS.replace("min_rejection = 0.0", "min_rejection = 0.5")
    settings = tiny_kb(tmp_path, targets=targets)
    code, out = eval_cli(settings, "--json")
    result = json.loads(out)
    assert result["in_sample"]["search"]["overall"]["rejection"] == 1.0
    assert code == 1 and result["failed"] == ["rejection 0.000 < 0.50"]
    code, out = eval_cli(settings)
    assert code == 1 and "below target: rejection 0.000 < 0.50" in out


def test_eval_without_a_test_part_says_everything_is_in_sample(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, test=False, targets=LOW_TARGETS)
    code, out = eval_cli(settings)
    assert code == 0, out
    assert "no test part (`gold_test`): every figure below is in-sample" in out
    code, out = eval_cli(settings, "--json")
    assert json.loads(out)["gated"] == "in_sample" and json.loads(out)["test"] is None


def test_eval_warns_when_test_questions_are_in_the_calibration_part(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, targets=LOW_TARGETS)
    write_lines(tmp_path / "gold" / "test" / "en.jsonl", TEST_LINES + CALIBRATION_LINES[:1])
    code, out = eval_cli(settings)
    assert "1 test question(s) are also in the calibration part" in out


def test_given_calibration_files_count_as_in_sample(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, targets=LOW_TARGETS)
    code, out = eval_cli(settings, str(tmp_path / "gold" / "calibration" / "en.jsonl"), "--json")
    result = json.loads(out)
    assert result["test"] is None and result["in_sample"]["search"]["overall"]["questions"] == 2


def test_the_decision_is_the_one_faq_search_gives(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, targets=LOW_TARGETS)
    service = FaqService.open(settings)
    gold = read_gold([tmp_path / "gold" / "test" / "en.jsonl"], settings.languages)
    run = run_ranker(service.ranker, gold)
    for i, g in enumerate(gold):
        result = service.search(g.q, lang=g.lang)
        assert run.answered[i] == result.answered
        assert run.ranked[i][0] == result.results[0].id
        assert run.confidence[i] == pytest.approx(result.confidence)


def test_eval_warns_when_the_index_was_calibrated_on_other_gold(tmp_path: Path) -> None:
    settings = tiny_kb(tmp_path, targets=LOW_TARGETS)
    code, out = eval_cli(settings)
    assert code == 0 and "run `faq build` before" not in out
    # a gold question written after the build: the in-sample line is not what it says
    path = tmp_path / "gold" / "calibration" / "en.jsonl"
    line = {"q": "how do I knit a scarf", "lang": "en", "expect": None}
    path.write_text(path.read_text("utf-8") + json.dumps(line) + "\n", "utf-8")
    code, out = eval_cli(settings)
    assert "calibrated on 3 gold question(s), the calibration part has 4" in out
    code, out = eval_cli(settings, "--json")
    assert json.loads(out)["stale_calibration"] is True
    build(settings, site=False)
    code, out = eval_cli(settings, "--json")
    assert json.loads(out)["stale_calibration"] is False
