"""Issue-style input: template noise dropped, pasted errors kept, segments capped."""

from __future__ import annotations

from pathlib import Path

from corpus import write_corpus
from faq.build import build
from faq.query import parse_query
from faq.service import FaqService
from faq.text import MAX_EMBED_CHARS, MAX_SEGMENTS

ISSUE = """[Bug] The page stays blank after the update

**Describe the bug**
After updating, the chat page stays blank. Reloading does not help.

**To Reproduce**
1. Open the site
2. Send a message

**Expected behavior**
The reply shows up.

- OS: macOS 14.2
- Browser: Chrome 120
| Version | v2.9.1 |
|---|---|

TypeError: fetch failed
    at node:internal/deps/undici (index.js:12:3)
"""


def test_template_noise_is_dropped_in_every_language() -> None:
    q = parse_query(ISSUE)
    for noise in ("[Bug]", "Describe the bug", "To Reproduce", "Expected behavior", "macOS 14.2"):
        assert noise not in q.text
    assert "Chrome 120" not in q.text and "v2.9.1" not in q.text
    assert q.text.startswith("The page stays blank after the update")
    zh = parse_query("【BUG】页面空白\n### 问题描述\n更新后页面一直空白\n### 复现步骤\n打开网站")
    assert "BUG" not in zh.text and "问题描述" not in zh.text and "复现步骤" not in zh.text
    assert "更新后页面一直空白" in zh.text
    ko = parse_query(
        "[버그] 화면이 하얗게 나와요\n**버그 설명**\n업데이트 후 빈 화면\n**재현 방법**\n접속"
    )
    assert "버그 설명" not in ko.text and "재현 방법" not in ko.text and "[버그]" not in ko.text
    ja = parse_query(
        "[バグ] 画面が真っ白\n## 再現手順\nサイトを開く\n## 期待される動作\n返信が出る"
    )
    assert "再現手順" not in ja.text and "期待される動作" not in ja.text and "[バグ]" not in ja.text


def test_pasted_error_lines_are_kept_for_the_lexical_legs() -> None:
    q = parse_query(ISSUE)
    assert "TypeError: fetch failed" in q.text
    assert any("TypeError: fetch failed" in e for e in q.errors)
    assert q.segments[0] == q.text or q.text.startswith(q.segments[0])
    assert any("fetch failed" in s for s in q.segments)


def test_a_short_question_stays_one_embedding() -> None:
    for short in ("nginx streaming broken", "답변이 한꺼번에 나와요", "[Bug] 出现乱码"):
        q = parse_query(short)
        assert len(q.segments) == 1 and not q.long
    assert parse_query("[Bug] 出现乱码").text == "出现乱码"


def test_segments_are_capped() -> None:
    long = " ".join(f"Sentence number {i} says something about the deployment." for i in range(60))
    q = parse_query("Why does it fail?\n" + long)
    assert 1 < len(q.segments) <= MAX_SEGMENTS
    assert sum(len(s) for s in q.segments) <= MAX_EMBED_CHARS
    assert q.segments[1] == "Why does it fail?"  # the title line right after the whole


def test_an_issue_with_a_pasted_error_string_finds_its_entry(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    service = FaqService.open(settings)
    issue = (
        "[Bug] chat stopped working\n**Describe the bug**\nEvery message fails since this "
        "morning.\nError: You exceeded your current quota, please check your plan and billing "
        "details.\n- OS: Windows 11\n- Browser: Edge"
    )
    result = service.search(issue)
    assert result.results[0].id == "quota-exceeded"
