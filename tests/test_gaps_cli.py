"""`faq gaps` on a query log written through the real stores (tiny knowledge base, fake
embedder): the report, its JSON, `--apply` and the `faq eval` change it makes, the messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus import write_corpus
from faq.builder import build
from faq.cli import cli
from faq.config import Settings
from faq.db import Database
from faq.feedback import FeedbackStore
from faq.i18n import gettext
from faq.querylog import QueryLog
from faq.service import FaqService

NEAR_EN = "the answer shows up in one piece behind my reverse proxy"
NEAR_KO = "프록시 뒤에서 답이 한 덩어리로 와요"
DARK = "dark theme for the chat"


@pytest.fixture
def kb(tmp_path: Path) -> Settings:
    settings = write_corpus(tmp_path / "kb").replace(site_dir=str(tmp_path / "site"))
    with (settings.root / "faq.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'log_queries = true\nsite_dir = "{settings.site}"\n')
    settings = settings.replace(log_queries=True)
    build(settings, site=False)
    return settings


def fill_log(settings: Settings) -> None:
    """Readers' searches and feedback, through the query log and the feedback store."""
    service = FaqService.open(settings)
    database = Database.from_settings(settings)
    log = QueryLog(database)
    asked = [(NEAR_EN, "en")] * 3 + [(NEAR_KO, "ko")] * 2 + [(DARK, "en")] * 4
    for question, lang in asked:
        result = service.search(question, lang=lang)
        assert not result.answered  # the planted questions are gaps for this knowledge base
        log.record(result, None, "build-1", log.new_search_id())
    assert log.flush()
    log.close()
    store = FeedbackStore(database)
    # readers who asked it that way opened streaming-nginx and found it helpful
    store.add(NEAR_EN, entry_id="streaming-nginx", helpful=True, lang="en")
    store.add(NEAR_KO, entry_id="streaming-nginx", helpful=True, lang="ko")
    store.add(DARK, kind="missing-answer", lang="en")
    database.dispose()


def run(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--config", str(settings.root / "faq.toml"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_gaps_json_finds_ranks_and_suggests(runner: CliRunner, kb: Settings) -> None:
    fill_log(kb)
    code, out, err = run(runner, kb, "gaps", "--json", "--since", "1d")
    assert code == 0, err
    report = json.loads(out)
    topics = report["topics"]
    assert [t["readers"] for t in topics] == [5, 3, 2]  # dark 4 + 1 report; en 3; ko 2
    dark, near_en, near_ko = topics
    assert dark["examples"] == [DARK] and dark["suggestion"] == "new-entry"
    assert dark["kinds"] == {"unanswered": 4, "missing": 1}
    for topic, lang in ((near_en, "en"), (near_ko, "ko")):
        assert topic["nearest"] == "streaming-nginx" and topic["suggestion"] == "add-questions"
        assert topic["languages"] == {lang: topic["readers"]} and topic["helpful_votes"] == 1
        assert topic["advice"] == "add these as alternate questions of streaming-nginx"
    assert near_ko["title"] == "nginx 뒤에서 스트리밍이 안 되는 이유는?"
    code, out, _err = run(runner, kb, "gaps", "--json", "--lang", "ko")
    assert [t["examples"] for t in json.loads(out)["topics"]] == [[NEAR_KO]]


def test_gaps_text_report(runner: CliRunner, kb: Settings) -> None:
    fill_log(kb)
    code, out, _err = run(runner, kb, "gaps")
    assert code == 0
    assert "3 topics from" in out and "1. 5 readers (en 5)" in out
    assert "→ a new entry is needed" in out
    assert "nearest entry: streaming-nginx – Why is there no streaming output" in out
    assert "→ add these as alternate questions of streaming-nginx" in out
    code, out, _err = run(runner, kb, "--locale", "ko", "gaps")
    assert gettext("a new entry is needed", "ko") in out != "a new entry is needed"


def recall_at_1(runner: CliRunner, settings: Settings, gold: Path) -> float:
    code, out, err = run(runner, settings, "eval", str(gold), "--json")
    assert out, err
    value = json.loads(out)["test"]["search"]["overall"]["recall@1"]
    assert isinstance(value, float)
    return value


def test_apply_writes_the_questions_and_eval_improves(
    runner: CliRunner, kb: Settings, tmp_path: Path
) -> None:
    fill_log(kb)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"q": NEAR_EN, "lang": "en", "expect": "streaming-nginx"})
        + "\n"
        + json.dumps({"q": NEAR_KO, "lang": "ko", "expect": "streaming-nginx"}, ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    before = recall_at_1(runner, kb, gold)
    en = kb.docs / "en" / "deployment" / "streaming-nginx.md"
    ko = kb.docs / "ko" / "deployment" / "streaming-nginx.md"
    texts = {p: p.read_text("utf-8") for p in (en, ko)}
    code, _out, err = run(runner, kb, "gaps", "--apply")
    assert code == 0, err
    assert "faq build" in err
    for path, question in ((en, NEAR_EN), (ko, NEAR_KO)):
        after = path.read_text("utf-8")
        added = [line for line in after.splitlines() if line not in texts[path].splitlines()]
        assert added == [f"- {question}"]  # each question into its own language's file
    assert not (kb.docs / "en" / "general" / "dark-mode.md").exists()  # new entries: by hand
    build(kb, site=False)
    after = recall_at_1(runner, kb, gold)
    assert before == 0.0 and after == 1.0
    code, _out, err = run(runner, kb, "gaps", "--apply")  # again: nothing new to add
    assert "faq build" not in err


def test_nothing_logged_says_how_to_turn_it_on(runner: CliRunner, kb: Settings) -> None:
    toml = kb.root / "faq.toml"
    toml.write_text(toml.read_text("utf-8").replace("log_queries = true", ""), "utf-8")
    code, out, _err = run(runner, kb, "gaps")
    assert code == 0 and "log_queries = true" in out and "FAQ_LOG_QUERIES=1" in out


@pytest.mark.parametrize("since", ["3x", "30", "0d"])
def test_a_bad_period_is_one_line(runner: CliRunner, kb: Settings, since: str) -> None:
    code, out, err = run(runner, kb, "gaps", "--since", since)
    assert code != 0 and "12h, 30d, 2w" in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1
