"""faq.page_parts: which block of a page is a question, a section or the title, and where each
one's own text ends."""

from __future__ import annotations

import pytest

from faq.page_parts import answer_body, page_parts
from faq.page_shapes import read_page


def roles(text: str) -> list[tuple[str, str]]:
    return [(p.node.title, p.role) for p in page_parts(read_page(text))]


def test_headings_with_text_are_questions_and_those_over_deeper_ones_sections() -> None:
    text = "# FAQ\n\nIntro.\n\n## Billing\n\n### Is it free?\n\nYes.\n\n### Refunds?\n\nNo.\n"
    assert roles(text) == [
        ("FAQ", "title"),
        ("Billing", "section"),
        ("Is it free?", "question"),
        ("Refunds?", "question"),
    ]


def test_a_question_takes_sub_headings_that_do_not_ask_into_its_answer() -> None:
    text = (
        "## How do I install it?\n\nPick your system.\n\n"
        "### On Linux\n\napt.\n\n### On macOS\n\nbrew.\n"
    )
    page = read_page(text)
    parts = page_parts(page)
    assert [(p.node.title, p.role) for p in parts] == [
        ("How do I install it?", "question"),
        ("On Linux", "absorbed"),
        ("On macOS", "absorbed"),
    ]
    assert answer_body(page, parts[0]).endswith("### On macOS\n\nbrew.")


def test_a_section_whose_text_answers_is_also_a_question_with_that_text() -> None:
    text = "## Install\n\n```sh\npip install widget\n```\n\n### Why does pip fail?\n\nUpgrade it.\n"
    page = read_page(text)
    parts = page_parts(page)
    assert [(p.node.title, p.role) for p in parts] == [
        ("Install", "section"),
        ("Install", "question"),
        ("Why does pip fail?", "question"),
    ]
    assert answer_body(page, parts[0]) == ""  # the section page keeps no copy
    assert answer_body(page, parts[1]) == "```sh\npip install widget\n```"


def test_one_word_headings_over_short_texts_are_variants_of_one_answer() -> None:
    text = (
        "## Install\n\n### npm\n\n```sh\nnpm i widget\n```\n\n"
        "### yarn\n\n```sh\nyarn add widget\n```"
        "\n\n## Usage\n\nCall `widget()`.\n"
    )
    page = read_page(text)
    parts = page_parts(page)
    assert [(p.node.title, p.role) for p in parts] == [
        ("Install", "question"),
        ("npm", "absorbed"),
        ("yarn", "absorbed"),
        ("Usage", "question"),
    ]
    assert answer_body(page, parts[0]).endswith("### yarn\n\n```sh\nyarn add widget\n```")


@pytest.mark.parametrize(
    "kids",
    [
        ("Login fails", "App crashes"),  # problems stated: questions
        ("登录失败", "闪退"),
        ("npm", "Billing rules"),
    ],
)
def test_stated_problems_under_a_section_stay_questions(kids: tuple[str, str]) -> None:
    text = f"## Account\n\n### {kids[0]}\n\nReset it.\n\n### {kids[1]}\n\nUpdate it.\n"
    assert roles(text) == [("Account", "section"), (kids[0], "question"), (kids[1], "question")]
