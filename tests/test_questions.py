"""`faq questions add`: the entry file changes by the added lines only."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.errors import NotFoundError, QueryError
from faq.loader import parse_entry
from faq.questions import add_questions, find_entry_file

BLOCK = """---
id: streaming-nginx            # stable slug
section: deployment
title: "Why does my deployment show no streaming output?"
questions:
  - replies appear all at once   # seen often
  - 'nginx: streaming'

errors: []
tags: [nginx, streaming]
---

The answer.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "docs" / "en" / "deployment" / "streaming-nginx.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    return path


def only_added(before: str, after: str) -> list[str]:
    """The lines of `after` that are not in `before`, checking that nothing else changed."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = [line for line in b if line not in a]
    assert [line for line in b if line not in added] == a
    return added


def test_a_block_list_gets_one_line_and_nothing_else_changes(tmp_path: Path) -> None:
    path = write(tmp_path, BLOCK)
    result = add_questions(path, ["answers come in one piece behind a proxy: why?"])
    after = path.read_text("utf-8")
    assert only_added(BLOCK, after) == ["  - 'answers come in one piece behind a proxy: why?'\n"]
    assert result.added == ("answers come in one piece behind a proxy: why?",)
    entry, problems = parse_entry(path, "en", "x.md")
    assert entry is not None and not problems
    assert entry.questions[-1] == "answers come in one piece behind a proxy: why?"


def test_duplicates_and_the_title_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, BLOCK)
    result = add_questions(
        path, ["Replies  appear all at once", "why does my deployment show no streaming output?"]
    )
    assert result.added == () and len(result.skipped) == 2
    assert path.read_text("utf-8") == BLOCK


@pytest.mark.parametrize(
    ("before", "expected_line"),
    [
        ("questions: []\n", "questions: [streaming stops]\n"),
        ("questions: [a, b]\n", "questions: [a, b, streaming stops]\n"),
        ("questions:\n", "questions: [streaming stops]\n"),
    ],
)
def test_flow_and_empty_lists(tmp_path: Path, before: str, expected_line: str) -> None:
    text = f"---\nid: streaming-nginx\ntitle: T\n{before}tags: [x]\n---\n\nA.\n"
    path = write(tmp_path, text)
    add_questions(path, ["streaming stops"])
    assert path.read_text("utf-8") == text.replace(before, expected_line)


def test_a_file_without_questions_gets_the_key(tmp_path: Path) -> None:
    text = "---\nid: streaming-nginx\ntitle: T\n---\n\nA.\n"
    path = write(tmp_path, text)
    add_questions(path, ["한국어 질문: 스트리밍이 안 돼요"])
    after = path.read_text("utf-8")
    assert only_added(text, after) == ["questions:\n", "  - '한국어 질문: 스트리밍이 안 돼요'\n"]


def test_bad_questions_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, BLOCK)
    with pytest.raises(QueryError):
        add_questions(path, ["  \t "])
    with pytest.raises(QueryError):
        add_questions(path, ["\u200b\ufeff\u202e"])  # zero-width and bidi only: empty
    with pytest.raises(QueryError):
        add_questions(path, ["x" * 1001])
    assert path.read_text("utf-8") == BLOCK


def test_find_entry_file(tmp_path: Path) -> None:
    path = write(tmp_path, BLOCK)
    assert find_entry_file(tmp_path / "docs", "streaming-nginx", "en") == path
    with pytest.raises(NotFoundError):
        find_entry_file(tmp_path / "docs", "nope", "en")


def test_every_shipped_entry_round_trips(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "docs"
    files = sorted(root.glob("*/*/*.md"))
    files = [p for p in files if p.name != "index.md"]
    assert len(files) >= 120
    for source in files:
        path = tmp_path / source.relative_to(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text("utf-8")
        path.write_text(text, "utf-8")
        add_questions(path, ["a question nobody wrote before: #42?"])
        added = only_added(text, path.read_text("utf-8"))
        assert len(added) == 1 or added[0].startswith("questions")
        assert "a question nobody wrote before: #42?" in added[-1]


def test_the_command_adds_and_says_to_rebuild(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from faq.cli import cli

    path = write(tmp_path, BLOCK)
    (tmp_path / "faq.toml").write_text('languages = ["en"]\n', "utf-8")
    runner = CliRunner()
    args = ["--config", str(tmp_path / "faq.toml"), "questions", "add", "streaming-nginx"]
    result = runner.invoke(cli, [*args, "why no typing effect", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "faq build" in result.stderr
    assert "- why no typing effect\n" in path.read_text("utf-8")
    missing = runner.invoke(cli, [*args[:-1], "nope", "x", "--lang", "en"])
    assert missing.exit_code == 1 and "no entry 'nope' in en" in missing.stderr
