"""faq.markdown: code lines, headings, unclosed fences, links and shallow list nesting, from
markdown-it-py tokens with their line numbers."""

from __future__ import annotations

import markdown as python_markdown
import pytest

from faq import markdown
from faq.markdown import (
    classify,
    close_paragraph_tags,
    link_targets,
    shallow_blocks,
    unclosed_fence,
)


def headings(text: str) -> list[tuple[int, int, str]]:
    return [(line.number, *line.heading) for line in classify(text) if line.heading]


def code_lines(text: str) -> list[int]:
    return [line.number for line in classify(text) if line.in_code]


# -------------------------------------------------------------------------------- classify


def test_headings_outside_code_only() -> None:
    text = "# One\n\n```sh\n# comment\n## also code\n```\n\n## Two ##\n#hashtag\n####### seven"
    assert headings(text) == [(0, 1, "One"), (7, 2, "Two")]
    assert code_lines(text) == [2, 3, 4, 5]


def test_fence_lines_are_marked_open_and_close() -> None:
    lines = list(classify("a\n```py\nx\n```\nb"))
    assert [line.fence for line in lines] == [None, "open", None, "close", None]
    assert [line.in_code for line in lines] == [False, True, True, True, False]
    assert [line.number for line in lines] == [0, 1, 2, 3, 4]


def test_tilde_fence() -> None:
    text = "~~~\n# code\n~~~\n# heading"
    assert headings(text) == [(3, 1, "heading")]
    assert unclosed_fence(text) is None


def test_backticks_do_not_close_a_tilde_fence() -> None:
    text = "~~~\ncode\n```\n# still code"
    assert headings(text) == []
    assert unclosed_fence(text) == 0


def test_longer_closing_fence_closes() -> None:
    text = "```\ncode\n`````\n# after"
    assert headings(text) == [(3, 1, "after")]
    assert unclosed_fence(text) is None


def test_shorter_closing_fence_does_not_close() -> None:
    text = "````md\n```\n# nested example\n```\n````\n# after"
    assert headings(text) == [(5, 1, "after")]
    assert unclosed_fence(text) is None
    assert unclosed_fence("````\ncode\n```\n") == 0


def test_fence_with_info_string_does_not_close() -> None:
    assert unclosed_fence("```\na\n```python\nb") == 0


@pytest.mark.parametrize(
    "text",
    [
        "- item\n  ```sh\n  # comment\n  ```\n# h",
        "1. step\n   ```sh\n   # comment\n   ```\n# h",
        "- ```sh\n  # comment\n  ```\n# h",
        "> ```\n> # quoted code\n> ```\n# h",
    ],
    ids=["bullet", "numbered", "fence-on-bullet-line", "blockquote"],
)
def test_fence_in_a_container(text: str) -> None:
    assert headings(text) == [(text.count("\n"), 1, "h")]
    assert unclosed_fence(text) is None


def test_unclosed_fence_in_a_list_reports_its_line() -> None:
    assert unclosed_fence("intro\n\n1. step\n   ```sh\n   echo hi\n") == 3


@pytest.mark.parametrize(
    "text", ["use ```inline``` code", "```js foo```", "a ``` b"], ids=["mid", "start", "lone"]
)
def test_inline_backticks_are_not_fences(text: str) -> None:
    assert code_lines(text + "\n# real") == []
    assert headings(text + "\n# real") == [(1, 1, "real")]
    assert unclosed_fence(text) is None


def test_unclosed_fence_is_the_last_opening() -> None:
    text = "```\na\n```\n\n~~~\nb\n~~~\n\n```\nnever closed"
    assert unclosed_fence(text) == 8


def test_empty_text() -> None:
    assert list(classify("")) == []
    assert unclosed_fence("") is None
    assert shallow_blocks("") == []


def test_setext_headings_and_headings_in_containers_are_not_questions() -> None:
    text = "Title\n=====\n\n> # quoted\n\n- # in a list\n\n## Real"
    assert [(h.line, h.level, h.text) for h in markdown.headings(text)] == [(7, 2, "Real")]


def test_link_targets_in_order() -> None:
    text = "See [a](../usage/a.md#x), <https://x.example> and [b][ref].\n\n[ref]: b.md"
    assert link_targets(text) == ["../usage/a.md#x", "https://x.example", "b.md"]


# -------------------------------------------------------------------------- shallow_blocks


def shallow(text: str) -> list[tuple[int, str, int, int]]:
    return [(b.line, b.kind, b.indent, b.wanted) for b in shallow_blocks(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- a\n  - b\n- c", [(1, "list", 2, 4)]),
        ("1. a\n   - b\n2. c", [(1, "list", 3, 4)]),
        ("- a\n\n  more of a\n- b", [(2, "paragraph", 2, 4)]),
        ("- a:\n\n  ```sh\n  echo\n  ```\n\n- b", [(2, "code", 2, 4)]),
        ("- a\n    - b\n        - c\n\n      text", [(4, "paragraph", 6, 8)]),
    ],
    ids=["nested-2", "nested-3", "paragraph", "fence-after-blank", "second-level"],
)
def test_shallow_blocks_python_markdown_does_not_nest(
    text: str, found: list[tuple[int, str, int, int]]
) -> None:
    assert shallow(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "- a\n    - b\n- c",
        "- a\n\n    more of a\n- b",
        "- a:\n  ```sh\n  echo\n  ```\n- b",  # superfences keeps it in the item
        "- a\n  lazy continuation\n- b",
        "> - a\n>   - b",  # in a quote: not checked
        "text\n\n  indented paragraph",
    ],
    ids=["nested-4", "paragraph-4", "fence-no-blank", "lazy", "quote", "no-list"],
)
def test_blocks_the_site_nests_as_written_are_fine(text: str) -> None:
    assert shallow(text) == []


def test_deepen_shallow_blocks_nests_them_as_commonmark_does() -> None:
    from faq.markdown import deepen_shallow_blocks, tokens

    text = (
        "1. **Slow start**\n   Build it once.\n\n   - not in a loop\n   - not per request\n\n"
        "   Then reuse it.\n\n2. Second\n\n- a\n  - b\n    - c\n"
    )
    deeper = deepen_shallow_blocks(text)
    assert shallow_blocks(deeper) == []
    assert "\n    - not in a loop\n    - not per request\n\n    Then reuse it." in deeper
    assert deeper.endswith("- a\n    - b\n        - c\n")
    shape = [(t.type, t.level) for t in tokens(text)]
    assert [(t.type, t.level) for t in tokens(deeper)] == shape  # the same tree
    assert deepen_shallow_blocks("plain\n\n```\n  code\n```\n") == "plain\n\n```\n  code\n```\n"


def test_paragraph_tags_are_closed_inside_their_html_block() -> None:
    # "<p>" written for "</p>" under a README's logo: GitHub closes it, Python-Markdown took the
    # rest of the page for raw HTML
    page = (
        '<p align="center">\n  <img src="logo.png"/>\n<p>\n<br>\n\n'
        '<p align="center">\n  <a href="https://x.example">X</a>\n</p>\n\nWidget *frobs*.\n'
    )
    fixed = close_paragraph_tags(page)
    assert fixed == page.replace("<p>\n<br>", "</p><p>\n<br></p>")
    assert "<p>Widget <em>frobs</em>.</p>" in python_markdown.markdown(fixed)
    assert "<em>" not in python_markdown.markdown(page)  # the bug it mends
    for whole in (
        "<details><summary>Q</summary>\n\nA *b*.\n\n</details>\n",
        "<p>a</p>\n\n<p>b</p>\n",
    ):
        assert close_paragraph_tags(whole) == whole
