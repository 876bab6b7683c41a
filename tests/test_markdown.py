"""faq.markdown: which lines are code, which are headings, unclosed fences, plain text."""

from __future__ import annotations

import pytest

from faq.markdown import classify, plain_text, unclosed_fence


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
    assert plain_text("") == ""


# ------------------------------------------------------------------------------ plain_text


def test_plain_text_drops_markup_and_keeps_words() -> None:
    markdown = (
        "# Title\n\n"
        "Some **bold**, _it_ and [a link](https://x.example) and `code`.\n\n"
        "```py\nprint(1)\n```\n\n"
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"
        "> quoted\n- item\n1. step\n![alt text](x.png)"
    )
    assert plain_text(markdown).splitlines() == [
        "Title",
        "Some bold, it and a link and code.",
        "print(1)",
        "a b",
        "1 2",
        "quoted",
        "item",
        "step",
        "alt text",
    ]


def test_plain_text_keeps_hashes_inside_code() -> None:
    text = "```nginx\n# no cache\nproxy_cache off;  # off\n```"
    assert plain_text(text) == "# no cache\nproxy_cache off; # off"


def test_plain_text_collapses_whitespace() -> None:
    assert plain_text("a   b\t\tc  \n\n\n  d  ") == "a b c\nd"
