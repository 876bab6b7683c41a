"""Questions written as list items (issue #11): `1. **How …?**`, `- **…?**`, plain `1. How …?`;
what is taken, and the lists that stay part of an answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.errors import ImporterError
from faq.import_plan import ImportPlan, plan_import
from faq.page_shapes import Q_PREFIX


def shape(plan: ImportPlan) -> list[tuple[str, str, str, str]]:
    return [(e.section, e.id, e.title, e.body) for e in plan.entries]


BOLD_NUMBERED = """\
# Frob FAQ

Answers to what people ask.

1. **How do I install Frob?**

   Run the installer, then check it:

   ```sh
   frob --version
   ```

2. **Does it work on Windows?** Yes, since 2.0.
   The MSI is on the releases page.

3. **Why is it slow on first start?**

It builds its cache once. Later starts take a second.

Turn the cache off with `--no-cache`.

4. **Can I sync two machines?**
   No, not yet.
"""


def test_bold_numbered_items_with_answers_in_and_after_the_item() -> None:
    plan = plan_import(BOLD_NUMBERED)
    assert plan.title == "Frob FAQ" and plan.intro == "Answers to what people ask."
    assert shape(plan) == [
        (
            "general",
            "how-do-i-install-frob",
            "How do I install Frob?",
            "Run the installer, then check it:\n\n```sh\nfrob --version\n```",
        ),
        (
            "general",
            "does-it-work-on-windows",
            "Does it work on Windows?",
            "Yes, since 2.0.\nThe MSI is on the releases page.",
        ),
        (
            "general",
            "why-is-it-slow-on-first-start",
            "Why is it slow on first start?",
            "It builds its cache once. Later starts take a second.\n\n"
            "Turn the cache off with `--no-cache`.",
        ),
        ("general", "can-i-sync-two-machines", "Can I sync two machines?", "No, not yet."),
    ]


def test_bullet_items_under_sections_until_the_next_heading() -> None:
    text = (
        "# FAQ\n\n## Install\n\n- **How do I install it?**\n\n"
        "Download it, then:\n\n1. unpack it;\n2. run `frob`.\n\n"
        "- __Is there a Docker image?__\n    Yes: `frob/frob`.\n\n"
        "## Usage\n\n* **How do I stop it?** Press `q`.\n* **Where are the logs?** In `~/.frob`.\n"
    )
    assert shape(plan_import(text)) == [
        (
            "install",
            "how-do-i-install-it",
            "How do I install it?",
            "Download it, then:\n\n1. unpack it;\n2. run `frob`.",
        ),
        ("install", "is-there-a-docker-image", "Is there a Docker image?", "Yes: `frob/frob`."),
        ("usage", "how-do-i-stop-it", "How do I stop it?", "Press `q`."),
        ("usage", "where-are-the-logs", "Where are the logs?", "In `~/.frob`."),
    ]


def test_plain_numbered_questions_when_every_item_asks_and_has_an_answer() -> None:
    inside = (
        "# FAQ\n\n1. How do I install it?\n\n   Run `pip install frob`.\n\n"
        "2. Is it free?\n\n   Yes.\n"
    )
    assert [(e.title, e.body) for e in plan_import(inside).entries] == [
        ("How do I install it?", "Run `pip install frob`."),
        ("Is it free?", "Yes."),
    ]
    after = "# FAQ\n\n1. How do I install it?\n\nRun it.\n\n2. 免费吗？\n\n免费。\n"
    assert [(e.title, e.body) for e in plan_import(after).entries] == [
        ("How do I install it?", "Run it."),
        ("免费吗？", "免费。"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a list of questions with no answers under them (the page's "questions we get")
        "# FAQ\n\nWe get asked:\n\n1. How do I install it?\n2. Is it free?\n\nBoth below.\n",
        # one item of the list does not ask
        "# FAQ\n\n1. How do I install it?\n\n   Run it.\n\n2. Licence\n\n   MIT.\n",
        # a table of contents: links, not questions
        "# FAQ\n\n- [How do I install it?](#install)\n- [Is it free?](#free)\n\nText.\n",
        "# FAQ\n\n- **[How do I install it?](#install)**\n\n  x\n\n- **[Is it free?](#free)** y\n",
    ],
    ids=["no-answers", "not-every-item-asks", "table-of-contents", "bold-table-of-contents"],
)
def test_plain_lists_that_are_not_questions(text: str) -> None:
    with pytest.raises(ImporterError, match="no questions found"):
        plan_import(text)


def test_lists_inside_answers_stay_there() -> None:
    text = (
        "## How do I install it?\n\nCheck first:\n\n1. Is Python 3.10 there?\n\n"
        "   Run `python -V`.\n\n2. **Is pip recent?**\n\n   Run `pip -V`.\n\n"
        "## Is it free?\n\nYes.\n"
    )
    entries = plan_import(text).entries
    assert [e.title for e in entries] == ["How do I install it?", "Is it free?"]
    # the item's paragraph moved to 4 columns, which the site needs to keep it in the item
    assert "1. Is Python 3.10 there?\n\n    Run `python -V`." in entries[0].body
    assert "2. **Is pip recent?**" in entries[0].body


def test_a_question_with_a_link_in_it_is_still_a_question() -> None:
    text = "- **How do I use [the CLI](cli.md)?**\n\n  Run it.\n\n- **Is it free?** Yes.\n"
    assert [e.title for e in plan_import(text).entries] == [
        "How do I use the CLI?",
        "Is it free?",
    ]


def test_a_stated_problem_among_bold_questions_is_a_question_too() -> None:
    text = (
        "# FAQ\n\n1. **How do I install it?**\n\n   Run it.\n\n"
        "2. **The proxy returns 404**\n\n   Check the host name.\n\n"
        "3. **Is it free?**\n\n   Yes, and:\n\n"
        "- **Linux**\n\n  apt install frob\n\n- **macOS**: brew install frob\n"
    )
    entries = plan_import(text).entries
    assert [e.title for e in entries] == [
        "How do I install it?",
        "The proxy returns 404",
        "Is it free?",
    ]
    # a list of bold labels under an answer: none asks, so none is a question
    assert entries[2].body.endswith(
        "- **Linux**\n\n    apt install frob\n\n- **macOS**: brew install frob"
    )


def test_one_bold_item_is_not_enough_to_tell() -> None:
    with pytest.raises(ImporterError, match="no questions found"):
        plan_import("# FAQ\n\n- **Is it free?** Yes.\n")


def test_a_list_item_page_imports_and_validates(tmp_path: Path, runner: CliRunner) -> None:
    page = tmp_path / "FAQ.md"
    page.write_text(BOLD_NUMBERED, "utf-8")
    out = tmp_path / "docs"
    result = runner.invoke(cli, ["import", str(page), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = (out / "en/general/how-do-i-install-frob.md").read_text("utf-8")
    assert "```sh\nfrob --version\n```" in written and "   frob" not in written
    assert sorted(p.name for p in (out / "en/general").glob("*.md")) == [
        "can-i-sync-two-machines.md",
        "does-it-work-on-windows.md",
        "how-do-i-install-frob.md",
        "index.md",
        "why-is-it-slow-on-first-start.md",
    ]


def test_badges_and_icons_are_not_part_of_a_title() -> None:
    text = (
        "# widget [![npm](https://badge.example/v.svg)](https://npm.example/widget) "
        "![ci](https://ci.example/b.svg)\n\nIntro.\n\n"
        "## ![i](icon.png) How do I start it?\n\nRun it.\n"
    )
    plan = plan_import(text)
    assert plan.title == "widget"
    assert [e.title for e in plan.entries] == ["How do I start it?"]


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("***Q***: How?", "How?"),
        ("*Q*: How?", "How?"),
        ("__Q__: How?", "How?"),
        ("**Q:** How?", "How?"),
        ("Q: *this* one?", "*this* one?"),  # the question's own emphasis stays
        ("* Q: How?", None),  # a list item, not a Q-line
    ],
)
def test_q_prefix_with_the_letter_emphasised(line: str, rest: str | None) -> None:
    m = Q_PREFIX.match(line)
    assert (line[m.end() :] if m else None) == rest
