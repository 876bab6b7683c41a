"""faq.wrap: help text wrapped by display width, with Chinese, Japanese and Korean line breaks."""

from __future__ import annotations

import pytest

from faq.wrap import display_width, has_wide, wrap


def test_display_width() -> None:
    assert display_width("faq") == 3
    assert display_width("항목") == 4
    assert display_width("条目 id") == 7
    assert has_wide("エントリ") and not has_wide("entry — …")


@pytest.mark.parametrize("width", [10, 17, 24, 40])
def test_lines_fit_the_width(width: int) -> None:
    text = (
        "在索引中搜索 QUERY（可用任何语言），并以读者的语言（--lang，否则为查询的语言）"
        "输出最佳条目。"
    )
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_japanese_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    lines = wrap("エントリがありません。最も近いエントリ（候補）を表示します。", 20)
    assert len(lines) > 1
    for line in lines[1:]:
        assert line[0] not in "。、）」"
    for line in lines[:-1]:
        assert line[-1] not in "（「"


def test_korean_breaks_at_spaces_only() -> None:
    lines = wrap("지식 베이스를 검사하고 문제마다 path:line을 출력합니다.", 20)
    assert lines == ["지식 베이스를", "검사하고 문제마다", "path:line을", "출력합니다."]


def test_a_longer_piece_gets_its_own_line() -> None:
    assert wrap("a very-long-option-name b", 10) == ["a", "very-long-option-name", "b"]
    assert wrap("", 10) == []


def test_code_in_backticks_stays_on_one_line() -> None:
    lines = wrap("はサイトを作成し、`faq serve` はその両方を配信します。", 12)
    assert any("`faq serve`" in line for line in lines), lines
