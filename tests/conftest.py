"""Shared fixtures: an isolated environment, a CLI runner, and a tiny knowledge base in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from faq.loader import parse_entry
from faq.models import content_hash

DATA = Path(__file__).parent / "data"

MakeEntry = Callable[..., Path]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FAQ_* setting of the developer's shell leaks in; messages are in English."""
    for name in list(os.environ):
        if name.startswith("FAQ_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_page() -> Path:
    """A copy of the flat Korean FAQ page the shipped knowledge base was imported from."""
    return DATA / "seed-faq-ko.md"


@pytest.fixture
def seed_ids() -> Path:
    """A copy of the canonical id map of the seed (a Markdown table: #, id, section, heading)."""
    return DATA / "faq-entry-ids.md"


def entry_text(meta: dict[str, Any], body: str) -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{body}\n"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A knowledge base folder with a faq.toml (ko source, en translation) and a home page per
    language, no entry yet; cwd is there."""
    root = tmp_path / "kb"
    (root / "docs").mkdir(parents=True)
    for lang in ("ko", "en"):
        (root / "docs" / lang).mkdir()
        (root / "docs" / lang / "index.md").write_text("---\ntitle: FAQ\n---\n", "utf-8")
    (root / "faq.toml").write_text(
        'docs_dir = "docs"\nlanguages = ["ko", "en"]\ndefault_language = "ko"\n', "utf-8"
    )
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def make_entry(kb: Path) -> MakeEntry:
    """Write one entry file under kb/docs; `translate=True` stamps it from the ko entry's text."""

    def make(
        lang: str,
        section: str,
        entry_id: str,
        *,
        title: str | None = None,
        body: str = "An answer.",
        file_name: str | None = None,
        translate: bool = False,
        **meta: Any,
    ) -> Path:
        data: dict[str, Any] = {"id": entry_id, "section": section, "title": title or entry_id}
        data.update(meta)
        if translate:
            source = kb / "docs" / "ko" / section / f"{entry_id}.md"
            parsed, _problems = parse_entry(source, "ko", str(source))
            assert parsed is not None
            data["translated_from"] = "ko"
            data["source_hash"] = content_hash(parsed.title, parsed.body)
        path = kb / "docs" / lang / section / (file_name or f"{entry_id}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(data, body), "utf-8")
        return path

    return make


@pytest.fixture
def valid_kb(kb: Path, make_entry: MakeEntry) -> Path:
    """Two entries in ko and their up-to-date en translations: `faq validate` finds nothing."""
    make_entry(
        "ko", "usage", "alpha", title="알파는 무엇인가요?", body="알파 답변.", related=["beta"]
    )
    make_entry("ko", "deployment", "beta", title="베타 배포", body="베타 답변.")
    make_entry("en", "usage", "alpha", title="What is alpha?", body="Alpha.", translate=True)
    make_entry("en", "deployment", "beta", title="Deploying beta", body="Beta.", translate=True)
    return kb
