"""The exact error messages an imported answer quotes, for its `errors:` list.

Taken from: a title that is an error message (`TypeError: x is not a function`) or quotes one
(in quotes or backticks; any quote when the title speaks of an error: `fails with "…"`); a
blockquoted `Error: …` line; the error lines of a code block right under a sentence that
announces an error ("I get this error", "报错", "에러", "エラー") or at the start of an answer
whose question is about an error; an inline code span that is an error line.
"""

from __future__ import annotations

import re
from typing import Any

from faq.text import norm_key

MAX_ERROR_CHARS = 300
MAX_PER_BLOCK = 3
# a line that is an error message: "TypeError: …", "Error: …", "ERROR …:", "npm ERR! …",
# "E: Unable to locate package", "fatal: …", "panic: …", "错误：…", "오류: …", "エラー：…"
ERROR_LINE = re.compile(
    r"^(?:Uncaught\s+|\[)?(?:[A-Za-z_][\w.$]*(?:Error|Exception)|ERROR|Error|error|FATAL|Fatal|"
    r"fatal|panic|npm ERR!|E\d{0,5}|错误|錯誤|报错|오류|에러|エラー)\]?\s*[:：!]\s*\S"
)
# a sentence that announces the error quoted below it
ERROR_CUE = re.compile(
    r"error|exception|traceback|fails? with|报错|錯誤|错误|異常|异常|에러|오류|エラー|例外",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"""[“"「『`]([^”"」』`]{4,})[”"」』`]""")


def _clean(text: str) -> str:
    return " ".join(text.strip().strip("`").split())[:MAX_ERROR_CHARS]


def is_error_line(text: str) -> bool:
    """Whether `text` reads as an error message a program prints."""
    return bool(ERROR_LINE.match(_clean(text)))


def extract_errors(title: str, raw_title: str, body: str) -> list[str]:
    """The error strings that the question (`title`, `raw_title` as written) and its Markdown
    answer quote, in order, without duplicates."""
    from markdown_it import MarkdownIt

    found: list[str] = []
    title_cues = bool(ERROR_CUE.search(title))
    if is_error_line(title):
        found.append(title)
    for m in _QUOTED.finditer(raw_title):
        # what a question about an error quotes is the message: `fails with "permission
        # denied"`, `"TLS handshake error: bad certificate"`, `同步时报错 “401 Unauthorized”`
        if is_error_line(m.group(1)) or title_cues:
            found.append(m.group(1))
    tokens = MarkdownIt("commonmark").parse(body)
    found.extend(_from_tokens(tokens, title_cues))
    out: list[str] = []
    seen: set[str] = set()
    for item in (_clean(text) for text in found):
        key = norm_key(item)
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _from_tokens(tokens: list[Any], title_cues: bool) -> list[str]:
    found: list[str] = []
    quote_depth = 0
    previous_text = ""  # the last top-level paragraph before a code block
    blocks_before = 0  # top-level blocks before this token
    for token in tokens:
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline":
            if quote_depth:
                found.extend(line for line in token.content.splitlines() if is_error_line(line))
            found.extend(
                child.content
                for child in token.children or []
                if child.type == "code_inline" and is_error_line(child.content)
            )
            if token.level == 1:
                previous_text = token.content
        elif token.type in ("fence", "code_block"):
            lines = [line for line in token.content.splitlines() if line.strip()]
            errors = [line for line in lines if is_error_line(line)]
            # "I get this error:" then the code block; or a question about an error whose
            # answer opens with the output
            if ERROR_CUE.search(previous_text) or (title_cues and blocks_before == 0):
                found.extend((errors or (lines if len(lines) == 1 else []))[:MAX_PER_BLOCK])
            previous_text = ""
        if token.level == 0 and token.nesting >= 0:
            blocks_before += 1
    return found
