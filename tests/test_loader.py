"""faq.loader: files → entries, with line numbers; problems instead of exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.loader import (
    MAX_FILE_BYTES,
    display_path,
    entry_files,
    load,
    parse_entry,
    read_text,
    split_front_matter,
)
from faq.models import Entry, Problem, content_hash

ENTRY = """---
id: streaming-nginx
section: deployment
title: Why no streaming?
questions:
  - replies come all at once
  - nginx streaming
errors: ["Loading chunk 1 failed"]
tags: [nginx]
related: [proxy]
translated_from: ko
source_hash: "3f1c9a0b7d2e4c55"
---

If you run **nginx**, add:

```nginx
proxy_buffering off;
```
"""


def parse(
    tmp_path: Path, text: str | bytes, name: str = "docs/en/deployment/x.md"
) -> tuple[Entry | None, list[Problem]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return parse_entry(path, "en", name)


def test_parse_a_full_entry(tmp_path: Path) -> None:
    entry, problems = parse(tmp_path, ENTRY)
    assert problems == []
    assert isinstance(entry, Entry)
    assert (entry.id, entry.lang, entry.section) == ("streaming-nginx", "en", "deployment")
    assert entry.title == "Why no streaming?"
    assert entry.questions == ("replies come all at once", "nginx streaming")
    assert entry.errors == ("Loading chunk 1 failed",)
    assert (entry.tags, entry.related) == (("nginx",), ("proxy",))
    assert (entry.translated_from, entry.source_hash) == ("ko", "3f1c9a0b7d2e4c55")
    assert entry.body.startswith("If you run **nginx**")
    assert entry.body.endswith("```")
    assert entry.path == "docs/en/deployment/x.md"


def test_line_numbers_of_keys_items_and_body(tmp_path: Path) -> None:
    entry, _problems = parse(tmp_path, ENTRY)
    assert entry is not None
    assert [entry.line(k) for k in ("id", "section", "title", "questions")] == [2, 3, 4, 5]
    assert [entry.line("questions[0]"), entry.line("questions[1]")] == [6, 7]
    assert entry.line("related[0]") == 10
    assert entry.line("source_hash") == 12
    assert entry.line("no-such-key") == 1
    assert entry.body_line == 15  # the first non-blank line after the front matter


def test_entries_are_frozen_and_hashable(tmp_path: Path) -> None:
    entry, _problems = parse(tmp_path, ENTRY)
    assert entry is not None
    with pytest.raises(AttributeError):
        entry.id = "other"  # type: ignore[misc]
    assert hash(entry) == hash(entry)


def test_scalars_are_coerced_where_harmless(tmp_path: Path) -> None:
    text = "---\nid: 404\nsection: usage\ntitle: t\nquestions: only one\ntags:\n---\n\nx\n"
    entry, problems = parse(tmp_path, text)
    assert problems == []
    assert entry is not None
    assert entry.id == "404"
    assert entry.questions == ("only one",)
    assert entry.tags == ()


def test_wrong_types_are_problems_not_exceptions(tmp_path: Path) -> None:
    text = "---\nid: x\nsection: usage\ntitle: [a, b]\nrelated: [1, 2]\n---\n\nx\n"
    entry, problems = parse(tmp_path, text)
    assert entry is None
    assert {(p.line, p.rule) for p in problems} >= {(4, "type"), (5, "type")}


def test_missing_section_falls_back_to_the_folder(tmp_path: Path) -> None:
    entry, problems = parse(tmp_path, "---\nid: x\ntitle: t\n---\n\nx\n")
    assert entry is not None and entry.section == "deployment"
    assert [p.rule for p in problems] == ["missing-section"]


def test_translation_without_hash_has_none(tmp_path: Path) -> None:
    entry, _problems = parse(
        tmp_path, "---\nid: x\nsection: s\ntitle: t\ntranslated_from: ko\n---\nx"
    )
    assert entry is not None
    assert (entry.translated_from, entry.source_hash) == ("ko", None)


def test_content_hash_ignores_trailing_whitespace_not_words() -> None:
    assert content_hash("T", "a  \nb\n\n") == content_hash(" T ", "\n\na\nb")
    assert content_hash("T", "a\nb") != content_hash("T", "a\nc")
    assert content_hash("T", "a") != content_hash("U", "a")
    assert len(content_hash("T", "a")) == 16


# ---------------------------------------------------------------------------- split / read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\na: 1\n---\nbody\n", ("a: 1\n", "body\n", 4)),
        ("---\na: 1\n...\nbody", ("a: 1\n", "body", 4)),
        ("---  \n---\n", ("", "", 3)),
        ("---\r\na: 1\r\n---\r\nbody\r\n", ("a: 1\r\n", "body\r\n", 4)),
        ("no front matter\n---\n", None),
        ("---\nnever closed\n", None),
        ("", None),
    ],
)
def test_split_front_matter(text: str, expected: tuple[str, str, int] | None) -> None:
    assert split_front_matter(text) == expected


def test_read_text_problems(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    assert read_text(big, "big.md")[1].rule == "file-size"  # type: ignore[union-attr]
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"abc\x00def")
    assert read_text(binary, "bin.md")[1].rule == "binary"  # type: ignore[union-attr]
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"line 1\nline 2 caf\xe9\n")
    text, problem = read_text(latin, "latin.md")
    assert text is None and problem is not None
    assert (problem.rule, problem.line) == ("encoding", 2)
    missing = read_text(tmp_path / "missing.md", "missing.md")[1]
    assert missing is not None and missing.rule == "io"


def test_read_text_strips_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeffhello".encode())
    assert read_text(path, "bom.md") == ("hello", None)


# ----------------------------------------------------------------------- files and folders


def test_entry_files_skip_section_pages_and_hidden_folders(tmp_path: Path) -> None:
    for name in [
        "en/usage/a.md",
        "en/usage/index.md",
        "en/index.md",
        "en/format.md",
        "en/_drafts/b.md",
        "en/.git/c.md",
        "en/usage/deeper/d.md",
        "en/usage/notes.txt",
        "en/deployment/e.md",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in entry_files(tmp_path, "en")] == [
        "en/deployment/e.md",
        "en/usage/a.md",
    ]
    assert entry_files(tmp_path, "ko") == []


def test_load_collects_entries_and_problems(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for lang, name, text in [
        ("en", "usage/good.md", "---\nid: good\nsection: usage\ntitle: t\n---\n\nx\n"),
        ("en", "usage/bad.md", "no front matter"),
        ("ko", "usage/good.md", "---\nid: good\nsection: usage\ntitle: t\n---\n\nx\n"),
        ("zh", "usage/ignored.md", "not configured"),
    ]:
        path = docs / lang / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    result = load(docs, ("en", "ko"))
    assert result.files == 3
    assert [(e.lang, e.id) for e in result.entries] == [("en", "good"), ("ko", "good")]
    assert [p.rule for p in result.problems] == ["front-matter"]
    assert result.languages == ("en", "ko")


def test_display_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "docs/a.md") == "docs/a.md"
    assert display_path(tmp_path / "docs/a.md", tmp_path / "docs") == "a.md"
    assert display_path(Path("/elsewhere/a.md")) == "/elsewhere/a.md"
