"""faq.links: `faq validate` reports what the strict site build refuses, at path:line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from click.testing import CliRunner

from faq.cli import cli

if TYPE_CHECKING:
    from conftest import MakeEntry


def test_broken_relative_link_is_an_error_at_its_line(
    runner: CliRunner, valid_kb: Path, make_entry: MakeEntry
) -> None:
    make_entry(
        "ko",
        "usage",
        "gamma",
        body="First line.\n\nSee [the commands](Commands.md#reset) and [alpha](alpha.md).\n\n"
        "![shot](img/a.png) [web](https://example.org/x.md) [top](#top) [dir](../usage/)",
    )
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "warning" not in line]
    assert lines == [
        "docs/ko/usage/gamma.md:9: broken link 'Commands.md#reset': no such page in the"
        " knowledge base",
        "docs/ko/usage/gamma.md:11: broken image 'img/a.png': no such file in the knowledge base",
    ]


def test_missing_home_page_of_the_default_language_is_an_error(
    runner: CliRunner, valid_kb: Path
) -> None:
    (valid_kb / "docs/en/index.md").unlink()  # a translation falls back to the default's
    assert runner.invoke(cli, ["validate", "docs"]).exit_code == 0
    (valid_kb / "docs/ko/index.md").unlink()
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 1
    assert result.stdout.startswith("docs/ko/index.md:1: missing home page")
    # an index without a site needs no home page
    assert runner.invoke(cli, ["build", "--no-site", "--embedder", "fake"]).exit_code == 0


def test_a_translation_may_link_to_a_page_only_the_default_language_has(
    runner: CliRunner, valid_kb: Path, make_entry: MakeEntry
) -> None:
    (valid_kb / "docs/ko/guide.md").write_text("# 안내\n", "utf-8")
    (valid_kb / "docs/en/index.md").write_text("See [the guide](guide.md).\n", "utf-8")
    assert runner.invoke(cli, ["validate", "docs"]).exit_code == 0


def test_rewriting_changes_the_target_not_a_text_that_reads_the_same() -> None:
    from faq.links import rewrite_links

    def change(href: str, image: bool) -> str:
        return "https://x.example/" + href

    text = "See [NEWS.md](NEWS.md) and ![NEWS.md](NEWS.md).\n\n[NEWS.md]: NEWS.md"
    assert rewrite_links(text, change) == (
        "See [NEWS.md](https://x.example/NEWS.md) and ![NEWS.md](https://x.example/NEWS.md)."
        "\n\n[NEWS.md]: https://x.example/NEWS.md"
    )
