"""Answers that are not answers (links and images only, licence notices): the rule, and what
`faq import` does with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.boilerplate import LINK_SHARE, link_share, not_an_answer
from faq.cli import cli
from faq.errors import ImporterError
from faq.import_plan import plan_import
from faq.importer import import_page

LOGOS = "\n".join(
    f'<a href="https://sponsor{n}.example"><img src="https://cdn.example/s{n}.png"></a>'
    for n in range(6)
)
# a README of our own: a question, a table of contents, sponsors, a licence line
README = f"""# Widget

- [Install](#install)
- [Sponsors](#sponsors)

## Install

Run `pip install widget` and restart the shell.

## Sponsors

Thanks to our sponsors!

{LOGOS}

## Licence

MIT © 2024 The Widget authors
"""


def test_link_share_counts_link_and_image_markup_not_code() -> None:
    assert link_share("") == 0.0
    assert link_share("Restart the server.") == 0.0
    assert link_share("[docs](https://x.example/docs)") == 1.0
    assert link_share("![logo](logo.png)") == 1.0
    assert link_share('<a href="https://x.example"><img src="a.png"></a>') == 1.0
    # code is text, even when it quotes a URL
    assert link_share("```\ncurl https://x.example/install.sh\n```") == 0.0
    assert 0.3 < link_share("Read it at https://x.example/a first.") < 0.8


@pytest.mark.parametrize(
    "body",
    [
        "- [Install](#install)\n- [Usage](#usage)\n- [FAQ](#faq)",  # a table of contents
        LOGOS,  # sponsors' logos
        # a line of thanks over a picture of the backers (targets as long as real ones are)
        "Thanks to all our backers!\n\n"
        "[![backers](https://funding.example/widget/backers.svg?width=890)]"
        "(https://funding.example/widget#backers)",
        "| logo | name |\n|---|---|\n| ![a](https://x.example/a.png) | [A](https://a.example) |",
        "[![build](https://ci.example/badge.svg)](https://ci.example) "
        "[![npm](https://npm.example/v.svg)](https://npm.example)",
    ],
)
def test_links_and_images_only_are_not_answers(body: str) -> None:
    reason = not_an_answer(body)
    assert reason is not None and reason.kind == "links" and reason.share >= LINK_SHARE


@pytest.mark.parametrize(
    "body",
    [
        "Use [the helper](https://x.example/helper/tree/main/packages/helper).",
        "Please see [docs/module.md](docs/module.md#using-it-as-a-module).",
        "Restart it:\n\n```\nsystemctl restart widget\n```\n\nThen [check the log](#logs).",
        "Set `WIDGET_HOME` before starting it; the default is `~/.widget`.",
    ],
)
def test_answers_with_links_in_sentences_are_answers(body: str) -> None:
    assert not_an_answer(body) is None


@pytest.mark.parametrize(
    "body",
    [
        "MIT",
        "Released under the Apache-2.0 licence.",
        "本项目采用MIT许可证，详见 [LICENSE](LICENSE) 文件。",
        "© 2024 The Widget authors",
        "Copyright (c) 2021 Someone",
        "Licensed to you (c) 2022 by Someone.",
        "GPLv3 のもとで公開しています。",
        "Permission is granted…\n\nTHE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND. "
        + "More words of a long licence text. " * 20,
    ],
)
def test_licence_notices_are_not_answers(body: str) -> None:
    reason = not_an_answer(body)
    assert reason is not None and reason.kind == "licence"


def test_licence_words_in_a_longer_answer_or_inside_words_do_not_count() -> None:
    assert not_an_answer("Submit the form to the committee.") is None  # "mit" inside words
    assert not_an_answer("Our IDs use the BSDF format.") is None
    long_answer = "The MIT-licensed core runs anywhere. " + "Configure it in widget.toml. " * 12
    assert not_an_answer(long_answer) is None


@pytest.mark.parametrize(
    "title",
    [
        "1.3.0 (2026-09-11)",
        "[2.0.0] - 2024-01-10",
        "v4",
        "2.1.0rc1",
        "2026年9月11日",
        "Feb 16, 2026",
    ],
)
def test_a_version_or_date_heading_is_release_notes(title: str) -> None:
    reason = not_an_answer("- Added `send()`.\n- Fixed retries.", title)
    assert reason is not None and reason.kind == "releases"


@pytest.mark.parametrize(
    "body",
    [
        "* 🔥 Feb 16, 2026: Released 3.5.\n* Jan 27, 2026: A benchmark.\n* Sep 23, 2025: A demo.",
        "- 2026-09-11 1.3.0 released\n- 2026-08-14: 1.2.1\n- 2026.08.11 first release",
        "- **v2.1.0**: faster\n- **v2.0.0**: new API\n- **v1.9.2**: fixes\n- v1.9.1\n- later: more",
    ],
)
def test_a_list_of_dated_items_is_release_notes(body: str) -> None:
    reason = not_an_answer(body, "News")
    assert reason is not None and reason.kind == "releases"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Python 3.10 on Windows", "Install it from python.org."),
        ("Install", "1. Download 2.0 from the site.\n2. Run it.\n3. Restart."),
        ("Versions", "- 2.x: supported\n- Run `widget --version` to see yours.\n- Ask us."),
        ("Upgrading", "From 1.x, run `widget migrate` once.\n\n- 2024-01-10: 2.0 out"),
    ],
)
def test_versions_and_dates_in_an_answer_are_an_answer(title: str, body: str) -> None:
    assert not_an_answer(body, title) is None


def test_plan_leaves_out_non_answers_and_says_where() -> None:
    plan = plan_import(README, lang="en")
    assert [e.id for e in plan.entries] == ["install"]
    assert [(o.title, o.line, o.reason.kind) for o in plan.left_out] == [
        ("Sponsors", 10, "links"),
        ("Licence", 21, "licence"),
    ]
    kept = plan_import(README, lang="en", keep_all=True)
    assert [e.id for e in kept.entries] == ["install", "sponsors", "licence"]
    assert kept.left_out == []


def test_a_question_that_asks_or_an_id_map_names_is_always_kept(tmp_path: Path) -> None:
    text = "## Where are the docs?\n\n- [Guide](https://x.example/g)\n\n## Licence\n\nMIT\n"
    plan = plan_import(text, lang="en")
    assert [e.title for e in plan.entries] == ["Where are the docs?"]
    qline = plan_import("Q: Which licence?\nA: MIT\n\n## Notes\n\nSee below.\n", lang="en")
    assert [e.title for e in qline.entries] == ["Which licence?", "Notes"]
    ids = tmp_path / "ids.tsv"
    ids.write_text("Licence\tlicence\n", "utf-8")
    report = import_page(_write(tmp_path, text), "en", tmp_path / "out", id_map=ids)
    assert [e.id for e in report.plan.entries] == ["where-are-the-docs", "licence"]


def test_a_page_of_non_answers_only_is_a_clear_error() -> None:
    with pytest.raises(ImporterError, match="--keep-all"):
        plan_import("## Sponsors\n\n" + LOGOS + "\n", lang="en")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "README.md"
    path.write_text(text, "utf-8")
    return path


def test_cli_lists_what_it_left_out_and_keep_all_imports_it(tmp_path: Path) -> None:
    source = _write(tmp_path, README)
    out = tmp_path / "docs"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(source), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "left out line 10 'Sponsors': links and images make up 96% of its text" in result.stderr
    assert "left out line 21 'Licence': a licence notice" in result.stderr
    assert "2 section(s) left out as not answers (--keep-all imports them)" in result.stderr
    assert sorted(p.name for p in (out / "en" / "general").glob("*.md")) == [
        "index.md",
        "install.md",
    ]
    result = runner.invoke(
        cli,
        ["import", str(source), "--lang", "en", "--out", str(out), "--keep-all", "--force"],
    )
    assert result.exit_code == 0, result.output
    assert "left out" not in result.stderr
    assert (out / "en" / "general" / "sponsors.md").exists()


def test_help_and_readme_give_the_rule_with_its_threshold() -> None:
    percent = f"{round(100 * LINK_SHARE)} per cent"
    help_text = " ".join(CliRunner().invoke(cli, ["import", "--help"]).output.split())
    assert f"at least {percent} link or image markup" in help_text
    assert "--keep-all" in help_text
    readme = Path(__file__).parents[1] / "README.md"
    text = " ".join(readme.read_text("utf-8").split())
    assert re.search(f"at least {percent} (?:of )?link or image markup", text)


def test_leaving_a_question_out_keeps_its_sections_text() -> None:
    text = (
        "## Command line\n\nRun `widget serve` to start it.\n\n"
        "<details><summary>the demo video</summary>\n\nhttps://video.example/widget/demo-1234\n\n"
        "</details>\n\nThen open the page it prints.\n\n## Tuning\n\nSet `WORKERS=4`.\n"
    )
    plan = plan_import(text, lang="en")
    assert [o.title for o in plan.left_out] == ["the demo video"]
    assert [e.id for e in plan.entries] == ["tuning"]
    (section,) = [s for s in plan.sections if s.slug == "command-line"]
    assert "Run `widget serve`" in section.intro and "Then open the page" in section.intro
