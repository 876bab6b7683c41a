"""Issue-style input → a query: template noise dropped, pasted errors kept, segments to embed.

Users paste bug reports: "[Bug] title", template headings ("Describe the bug", "复现步骤"),
environment tables, a paragraph of context and log lines. The lexical and error-string legs
read the whole text minus the template noise; the dense leg embeds a few segments (the whole,
the title line, each sentence) so that one long paragraph does not drown the question. A short
question stays one segment: one embedding, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faq.text import MAX_EMBED_CHARS, MAX_SEGMENTS, clean_text

SHORT_CHARS = 24  # up to this length (or in one sentence) a question is embedded whole
MIN_SEGMENT_CHARS = 6  # shorter sentences are merged into their neighbour

# "[Bug]", "【BUG】", "[Feature Request]", "[功能建议]", "[버그]", "[バグ]" …: issue-template tags
_TAG = re.compile(
    r"[\[【［(（]\s*(?:bug|bugs|feature(?:\s+request)?|feat|question|help|issue|enhancement|"
    r"request|rfc|docs?|问题|問題|功能|功能建议|需求|求助|提问|建议|bug反馈|버그|기능|질문|"
    r"요청|バグ|機能|質問|要望|不具合)\s*[\]】］)）]\s*:?",
    re.IGNORECASE,
)
# template headings and prompts, in en / zh / ko / ja: distinctive enough to drop anywhere
_PHRASES = (
    "describe the bug|bug description|describe the feature|to reproduce|steps to reproduce|"
    "reproduction steps|expected behaviou?r|actual behaviou?r|current behaviou?r|"
    "additional context|additional information|please complete the following information|"
    "描述问题|问题描述|描述 bug|复现步骤|复现方法|如何复现|重现步骤|预期行为|预期结果|期望行为|"
    "期望结果|实际行为|实际结果|补充信息|附加信息|問題描述|復現步驟|預期行為|補充資訊|"
    "버그 설명|문제 설명|재현 방법|재현 단계|예상 동작|기대 동작|기대 결과|실제 동작|"
    "バグの説明|問題の説明|再現手順|期待される動作|期待する動作|実際の動作"
)
_PHRASE = re.compile(
    rf"(?:^|(?<=\s))(?:#+\s*)?\**\s*(?:{_PHRASES})\s*\**\s*[:：]?(?=\s|$)", re.IGNORECASE
)
# generic words that are template headings only as a whole line: "**Screenshots**", "环境:"
_WORDS = (
    "screenshots?|deployment|desktop|smartphone|environment|other|"
    "截图|其他信息|部署方式|运行环境|环境信息|环境|스크린샷|추가 정보|추가 내용|환경|"
    "スクリーンショット|追加情報|補足|環境"
)
_WORD_LINE = re.compile(rf"^\s*(?:#+\s*)?\**\s*(?:{_WORDS})\s*\**\s*[:：]?\s*$", re.IGNORECASE)
# environment lines: "- OS: macOS 14", "Browser: Chrome 120", "| Version | v2.9.1 |"
_ENV_KEYS = (
    r"os|browser|version|device|platform|node(?:\.js)?|python|docker|"
    r"系统|操作系统|浏览器|版本|版本号|设备|系統|瀏覽器|버전|브라우저|운영체제|기기|"
    r"バージョン|ブラウザ|端末"
)
_ENV_LINE = re.compile(rf"^\s*[-*|]?\s*(?:{_ENV_KEYS})\s*[:：|]\s*[^\n]*$", re.IGNORECASE)
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
_HEADING_LINE = re.compile(r"^\s*#{1,6}\s+")
# a pasted error or log line: an exception name, an error code, JSON, a stack frame, a prompt
_ERROR_LINE = re.compile(
    r"(?:[A-Z][A-Za-z]+(?:Error|Exception)\b|\bE[A-Z]{3,}\b|\bUND_ERR|\bat\s+\S+\s*\(|"
    r"\b[45]\d\d\b|^\s*[\[{]|\b(?:error|failed|traceback|warn(?:ing)?)\b\s*[:\[])",
)
# sentence ends; a space between two Han/kana characters also separates a title from its
# context (Chinese and Japanese put no spaces between words; Korean does, so not Hangul)
_SENTENCE = re.compile(
    r"(?<=[.!?;])\s+|(?<=[。！？；!?])|(?<=[\u3000-\u9fff\uff00-\uffef])\s+"
    r"(?=[\u3000-\u9fff\uff00-\uffef])"
)


@dataclass(frozen=True)
class Query:
    """A question ready for the ranking.

    `text`: the question minus template noise, one line (the lexical and error-string legs);
    `segments`: the texts to embed, the whole `text` first (at most MAX_SEGMENTS, together
    at most MAX_EMBED_CHARS characters); `errors`: the pasted error and log lines found.
    """

    text: str
    segments: tuple[str, ...]
    errors: tuple[str, ...] = ()

    @property
    def long(self) -> bool:
        return len(self.segments) > 1


def strip_template(raw: str) -> list[str]:
    """The lines of `raw` without issue-template tags, headings and environment lines."""
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _ENV_LINE.match(line) or _TABLE_RULE.match(line) or _WORD_LINE.match(line):
            continue
        line = _HEADING_LINE.sub("", line)
        line = _TAG.sub(" ", line)
        line = _PHRASE.sub(" ", line)
        line = clean_text(line).strip(" -*>|:：")
        if line:
            lines.append(line)
    return lines


def sentences(line: str) -> list[str]:
    """`line` split into sentences; very short pieces joined to the previous one."""
    out: list[str] = []
    for piece in _SENTENCE.split(line):
        piece = piece.strip()
        if not piece:
            continue
        if out and len(piece) < MIN_SEGMENT_CHARS:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def parse_query(raw: str) -> Query:
    """The `Query` for what a user typed or pasted (any length; the caller checks limits)."""
    lines = strip_template(raw)
    text = " ".join(lines) or clean_text(raw)
    pieces: list[str] = []
    for line in lines:
        pieces.extend(sentences(line))
    if len(text) <= SHORT_CHARS or len(pieces) <= 1:
        return Query(text=text, segments=(text,))
    errors = tuple(line for line in lines if _ERROR_LINE.search(line))
    # the whole first, then the title and the prose, then the pasted errors
    prose = [p for p in pieces if not _ERROR_LINE.search(p)]
    logs = [p for p in pieces if _ERROR_LINE.search(p)]
    candidates = [text[: MAX_EMBED_CHARS // 2], *prose, *logs]
    segments: list[str] = []
    budget = MAX_EMBED_CHARS
    for piece in candidates:
        piece = piece[:budget]
        if not piece or piece in segments:
            continue
        segments.append(piece)
        budget -= len(piece)
        if budget <= 0 or len(segments) >= MAX_SEGMENTS:
            break
    if len(segments) == 2 and segments[1] == text:  # one sentence: one embedding
        segments = segments[:1]
    return Query(text=text, segments=tuple(segments), errors=errors)
