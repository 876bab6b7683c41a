"""The shipped knowledge base and its gold questions: complete, independent, and answered well."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.config import Settings, load_settings
from faq.loader import load
from faq.validate import validate
from gold_rules import copies, entry_texts

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold").glob("*/*.jsonl"))  # calibration/ and test/
IDS_TABLE = Path(__file__).parent / "data" / "faq-entry-ids.md"


def canonical_ids() -> list[str]:
    rows = re.findall(r"^\|\s*\d+\s*\|\s*([a-z0-9-]+)\s*\|", IDS_TABLE.read_text("utf-8"), re.M)
    assert len(rows) == 30
    return rows


def shipped() -> Settings:
    return load_settings(ROOT / "faq.toml", env={})


def gold_lines() -> list[dict[str, object]]:
    return [json.loads(line) for path in GOLD for line in path.read_text("utf-8").splitlines()]


def test_the_thirty_ids_exist_in_every_language() -> None:
    settings = shipped()
    entries = load(settings.docs, settings.languages).entries
    for lang in ("ko", "en", "zh", "ja"):
        ids = sorted(e.id for e in entries if e.lang == lang)
        assert ids == sorted(canonical_ids()), lang


def test_the_knowledge_base_validates_clean() -> None:
    settings = shipped()
    report = validate(settings.docs, settings.languages, settings.default_language)
    assert report.problems == ()
    assert report.entries == 120


def test_every_entry_has_enough_alternate_questions_and_translations_are_stamped() -> None:
    settings = shipped()
    for entry in load(settings.docs, settings.languages).entries:
        assert len(entry.questions) >= 5, entry.path
        if entry.lang != "ko":
            assert entry.translated_from == "ko" and entry.source_hash, entry.path


def test_error_entries_list_the_strings_users_paste() -> None:
    settings = shipped()
    entries = {(e.lang, e.id): e for e in load(settings.docs, settings.languages).entries}
    for lang in ("ko", "en", "zh", "ja"):
        removechild = " ".join(entries[(lang, "removechild-error")].errors)
        assert "Failed to execute 'removeChild' on 'Node'" in removechild
        assert "You exceeded your current quota" in " ".join(
            entries[(lang, "quota-exceeded")].errors
        )
        assert "Loading CSS chunk" in " ".join(entries[(lang, "css-chunk-error")].errors)


def test_gold_set_size_and_shape() -> None:
    lines = gold_lines()
    ids = set(canonical_ids())
    real = [g for g in lines if g["expect"] is not None]
    off = [g for g in lines if g["expect"] is None]
    assert len(real) >= 360 and len(off) >= 40
    assert {g["expect"] for g in real} <= ids
    per = Counter((g["lang"], g["expect"]) for g in real if "qlang" not in g)
    for lang in ("ko", "en", "zh", "ja"):
        for entry_id in ids:
            assert per[(lang, entry_id)] >= 3, (lang, entry_id)
    cross = [g for g in real if g.get("qlang") and g["qlang"] != g["lang"]]
    assert len(cross) >= 40
    assert {g["lang"] for g in cross} == {"ko", "en", "zh", "ja"}


def test_gold_questions_are_not_copied_from_the_entries() -> None:
    """Not even near-copies: the similarity bound of `gold_rules` (tests/test_gold.py has the
    per-line report)."""
    settings = shipped()
    texts = entry_texts(load(settings.docs, settings.languages).entries)
    copied = [g["q"] for g in gold_lines() if any(copies(str(g["q"]), texts))]
    assert copied == []


@pytest.mark.slow
def test_shipped_knowledge_base_meets_the_targets(tmp_path: Path) -> None:
    """The real default embedder end to end: build, search, and `faq eval` against its gates."""
    runner = CliRunner()
    env = {
        "FAQ_DOCS_DIR": str(ROOT / "docs"),
        "FAQ_GOLD": str(ROOT / "tests" / "gold" / "calibration" / "*.jsonl"),
        "FAQ_INDEX_DIR": str(tmp_path / "index"),
        "FAQ_SITE_DIR": str(tmp_path / "site"),
    }
    base = ["--config", str(ROOT / "faq.toml")]
    built = runner.invoke(cli, [*base, "build", "--no-site", "-q"], env=env)
    assert built.exit_code == 0, built.output
    found = runner.invoke(
        cli, [*base, "search", "--json", "nginx 리버스 프록시 뒤에서 답변이 한 번에 와요"], env=env
    )
    assert found.exit_code == 0, found.output
    result = json.loads(found.output)
    assert result["lang"] == "ko" and result["answered"] is True
    assert result["results"][0]["id"] == "streaming-nginx"
    evaluated = runner.invoke(cli, [*base, "eval", "--json"], env=env)
    report = json.loads(evaluated.output)
    assert evaluated.exit_code == 0, report["failed"]
    part = report[report["gated"]]  # the test part (gold_test), else the in-sample one
    ours, keywords = part["search"], part["baseline"]
    assert ours["cross_lingual"]["recall@1"] >= 2 * keywords["cross_lingual"]["recall@1"]
