"""The README and the maintainers' page stay in step with the settings and the CLI."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from faq.cli import cli
from faq.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_0-9]+)`", table))
    fields = {f.name for f in dataclasses.fields(Settings)} - {"root"}
    assert fields - documented == set()


def test_every_command_is_in_the_readme_table() -> None:
    table = README.split("## The command line", 1)[1].split("\n## ", 1)[0]
    for name in cli.commands:
        assert f"`faq {name}" in table, name


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in README and re.search(r"^make test$", ci, re.M)
    assert "make serve" in README


def test_format_page_lists_every_front_matter_key() -> None:
    from faq.loader import ENTRY_KEYS

    page = (ROOT / "docs" / "en" / "format.md").read_text("utf-8")
    for key in ENTRY_KEYS:
        assert f"| `{key}` |" in page, key
