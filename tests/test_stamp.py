"""faq.stamp and `faq stamp`: record the source hash, so validate can tell a stale translation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.config import load_settings
from faq.errors import FaqError
from faq.loader import parse_entry
from faq.stamp import stamp_translations
from faq.validate import validate

if TYPE_CHECKING:
    from conftest import MakeEntry


def problems() -> list[tuple[str, str, str]]:
    report = validate(Path("docs"), ("ko", "en"), "ko")
    return [(p.path, p.rule, p.severity) for p in report.problems]


def source_hash(path: Path) -> str | None:
    entry, _problems = parse_entry(path, path.parts[-3], str(path))
    assert entry is not None
    return entry.source_hash


def content_hash(path: Path) -> str:
    entry, _problems = parse_entry(path, path.parts[-3], str(path))
    assert entry is not None
    return entry.content_hash


@pytest.fixture
def unstamped(kb: Path, make_entry: MakeEntry) -> tuple[Path, Path]:
    """A ko entry and its en translation that has translated_from but no source_hash yet."""
    source = make_entry("ko", "usage", "alpha", title="알파?", body="알파 답변.")
    target = make_entry("en", "usage", "alpha", title="Alpha?", body="Alpha.", translated_from="ko")
    return source, target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_stamp_writes_the_source_hash(runner: CliRunner, unstamped: tuple[Path, Path]) -> None:
    source, target = unstamped
    assert problems() == [("docs/en/usage/alpha.md", "stale", "warning")]
    before = target.read_text("utf-8")

    result = runner.invoke(cli, ["stamp"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"stamped {target.resolve()}"
    assert "1 translation(s) stamped" in result.stderr

    assert source_hash(target) == content_hash(source)
    after = target.read_text("utf-8")
    assert f'source_hash: "{content_hash(source)}"\n---\n' in after
    # nothing else changed: the other lines are kept as they were
    assert [line for line in after.splitlines() if not line.startswith("source_hash")] == (
        before.splitlines()
    )
    assert problems() == []


def test_after_editing_the_source_validate_warns_stale(
    runner: CliRunner, unstamped: tuple[Path, Path]
) -> None:
    source, target = unstamped
    runner.invoke(cli, ["stamp"])
    edit(source, "알파 답변.", "새로운 답변.")
    assert problems() == [("docs/en/usage/alpha.md", "stale", "warning")]
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert "warning: stale translation" in result.stdout

    # bringing the translation up to date, then stamping it by name, clears the warning
    result = runner.invoke(cli, ["stamp", "docs/en/usage/alpha.md"])
    assert result.exit_code == 0, result.output
    assert source_hash(target) == content_hash(source)
    assert problems() == []


def test_stamp_without_paths_leaves_stamped_translations_alone(
    runner: CliRunner, unstamped: tuple[Path, Path]
) -> None:
    source, target = unstamped
    runner.invoke(cli, ["stamp"])
    edit(source, "알파 답변.", "새로운 답변.")
    stamped = target.read_text("utf-8")
    result = runner.invoke(cli, ["stamp"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 translation(s) stamped" in result.stderr
    assert target.read_text("utf-8") == stamped  # stale stays stale until someone checks it


def test_restamp_replaces_the_old_hash_once(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "alpha", body="new text")
    target = make_entry(
        "en", "usage", "alpha", translated_from="ko", source_hash="0123456789abcdef"
    )
    changed = stamp_translations(load_settings(), [target])
    assert changed == [target.resolve()]
    text = target.read_text("utf-8")
    assert text.count("source_hash:") == 1
    assert "0123456789abcdef" not in text
    assert stamp_translations(load_settings(), [target]) == []  # already up to date


def test_hash_ignores_source_hash_lines_in_the_answer(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "alpha")
    target = make_entry(
        "en", "usage", "alpha", translated_from="ko", body="source_hash: keep me\n\nAnswer."
    )
    stamp_translations(load_settings(), [])
    assert "\nsource_hash: keep me\n" in target.read_text("utf-8")


def test_stamping_a_non_translation_is_an_error(
    runner: CliRunner, unstamped: tuple[Path, Path]
) -> None:
    source, _target = unstamped
    result = runner.invoke(cli, ["stamp", str(source)])
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and "not a translation" in line


def test_stamping_without_a_source_entry_is_an_error(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "other")
    target = make_entry("en", "usage", "orphan", translated_from="ko")
    with pytest.raises(FaqError, match="source entry 'orphan' not found in ko"):
        stamp_translations(load_settings(), [target])
