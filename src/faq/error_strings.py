"""The exact error messages an imported answer quotes, for its `errors:` list.

Taken from: a title that is an error message (`TypeError: x is not a function`) or quotes one
(in quotes or backticks; any quote when the title speaks of an error: `fails with "…"`); a
blockquoted `Error: …` line; the error lines of a code block right under a sentence that
announces an error ("I get this error", "报错", "에러", "エラー") or at the start of an answer
whose question is about an error; an inline code span that is an error line; and a log or
console line (`[proxychains] … timeout`, `Killed`, `exit code 137`, `connect ECONNREFUSED …`)
that is alone in a code block or blockquote right under a sentence saying that it is what the
user sees ("you see", "the log shows", "出现", "报", "表示され", "나오"), or a message in
Chinese, Japanese or Korean words of failure there (`대여 실패: …`, `无法连接…`): never a shell
command.
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
    r"fatal|panic|npm ERR(?=!)|E\d{0,5}|错误|錯誤|报错|오류|에러|エラー)\]?"
    # the message's code between the word and the colon: "ERROR 2002 (HY000): …" (MySQL),
    # "Error 1045: …", "エラー E1023: …"
    r"(?:\s+[A-Z]{0,3}\d{2,6}(?:\s*\([A-Z0-9]{1,10}\))?)?\s*[:：!]\s*\S"
)
# a sentence that announces the error quoted below it
ERROR_CUE = re.compile(
    r"error|exception|traceback|fails? with|报错|錯誤|错误|異常|异常|에러|오류|エラー|例外",
    re.IGNORECASE,
)
# a sentence that says the block below is what the user sees (en, zh, ja, ko)
SEE_CUE = re.compile(
    r"\byou(?:'ll| will| may| might)? (?:see|get)\b|\b(?:shows?|showing|prints?|printed|says|"
    r"appears?|displays?|outputs?)\b|\blogs?\b|\bmessage\b|出现|出現|报|報|显示|顯示|提示|日志|"
    r"日誌|输出|打印|看到|看見|看见|表示され|と出|出力|ログ|メッセージ|나오|나옵|나와|뜨|뜹|떠요|떴|표시|로그|메시지|"
    r"출력",
    re.IGNORECASE,
)
# what a log or console line looks like: "[tag] …", a timestamp, a level word, a signal's
# message, an errno name (ECONNREFUSED); or, in any case, an exit code or a failure word
_LOG_SHAPE = re.compile(
    r"^\[[^\]]{1,40}\]\s*\S|^\d{4}-\d\d-\d\d[T ]\d\d:\d\d|^\d\d:\d\d:\d\d\b|"
    r"^(?:INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|SEVERE|PANIC)\b|"
    r"^(?:Killed|Terminated|Aborted|Segmentation fault|Bus error|Illegal instruction)\b|"
    r"\bE[A-Z]{4,}\b"
)
_FAILURE = re.compile(
    r"\bexit(?:ed)? (?:code|status)\b|\bexited with\b|"
    r"\b(?:failed|failure|refused|denied|not found|timed out|timeout|unable|cannot|can't|"
    r"could not|couldn't|no such|unreachable|invalid|unknown|aborted|killed)\b",
    re.IGNORECASE,
)
# what a shell command looks like: a prompt, or a common program followed by arguments (a
# program's name followed by ":" is its message, as in "ssh: connect to host …")
_COMMAND = re.compile(
    r"^(?:[$#>%]|PS>|C:\\[^>]*>)\s|^(?:sudo|docker|docker-compose|podman|kubectl|helm|npm|npx|"
    r"yarn|pnpm|pip3?|python3?|node|git|curl|wget|ssh|scp|systemctl|journalctl|service|apt|"
    r"apt-get|dnf|yum|brew|cd|ls|cat|echo|export|set|make|go|cargo|rm|cp|mv|chmod|chown|mkdir|"
    r"tail|grep|ss|netstat|kill|pkill|ps)\s+[^:\s]|\s--?[A-Za-z][\w-]*(?:=|\s|$)"
)
# a code block's language when its content is program output, not code or a command
_OUTPUT_INFO = {"", "text", "txt", "log", "plain", "plaintext", "output", "console"}
_QUOTED = re.compile(r"""[“"「『`]([^”"」』`]{4,})[”"」』`]""")
# right after a quote in a title, a verb saying the program shows it: 「…」と表示されます, 「…」が
# 出る, "…"가 떠요, "…"라고 나와요, "…"이 표시돼요, 出现"…" is ERROR_CUE/SEE_CUE's
_SHOWN_AFTER = re.compile(
    r"^\s*(?:と|って|が|라고|이라고|가|이|는|은)?\s*(?:表示|出(?:る|ます|た|て)|で(?:る|ます)|"
    r"떠|뜨|뜬|떴|나와|나오|나옵|나왔|표시|appears?|shows? up|pops? up)"
)
# a failure in Japanese, Korean or Chinese words, for a quote shown that is not in English
_FAILURE_CJK = re.compile(
    r"失敗|できません|できない|見つかりません|無効|拒否|エラー|실패|없습니다|수 없|오류|에러|거부|"
    r"찾을 수|失败|无法|無法|错误|錯誤|拒绝|拒絕|超时|超時|不存在"
)


def _clean(text: str) -> str:
    return " ".join(text.strip().strip("`").split())[:MAX_ERROR_CHARS]


def is_error_line(text: str) -> bool:
    """Whether `text` reads as an error message a program prints."""
    return bool(ERROR_LINE.match(_clean(text)))


def is_log_line(text: str) -> bool:
    """Whether `text` reads as a line a program prints (an error line, or a log or console line
    as `_LOG_SHAPE` and `_FAILURE` describe it) and not as a shell command."""
    line = _clean(text)
    if not line or len(line) >= MAX_ERROR_CHARS:
        return False
    if is_error_line(line):
        return True
    if _COMMAND.search(line):
        return False
    return bool(_LOG_SHAPE.search(line) or _FAILURE.search(line))


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
        # denied"`, `"TLS handshake error: bad certificate"`, `同步时报错 “401 Unauthorized”`;
        # and a quoted program line that is the whole title or has a few words
        # (`"Failed to decrypt vault: authentication tag mismatch"`), not a quoted word
        quote = m.group(1)
        whole = m.group(0) == raw_title.strip()
        shown = bool(_SHOWN_AFTER.match(raw_title[m.end() :]))
        if (
            is_error_line(quote)
            or title_cues
            or (is_log_line(quote) and (whole or len(quote.split()) > 2))
            or (shown and (is_log_line(quote) or bool(_FAILURE_CJK.search(quote))))
        ):
            found.append(quote)
    tokens = MarkdownIt("commonmark").parse(body)
    found.extend(_from_tokens(tokens, title_cues, title))
    out: list[str] = []
    seen: set[str] = set()
    for item in (_clean(text) for text in found):
        key = norm_key(item)
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _from_tokens(tokens: list[Any], title_cues: bool, title: str = "") -> list[str]:
    found: list[str] = []
    quote_depth = 0
    quoted: list[str] = []  # the lines of the top-level blockquote being read
    previous_text = ""  # the top-level paragraph right before a code block or blockquote
    blocks_before = 0  # top-level blocks before this token
    for token in tokens:
        if token.type == "blockquote_open":
            quote_depth += 1
            if token.level == 0:
                quoted = []
        elif token.type == "blockquote_close":
            quote_depth -= 1
            if token.level == 0:
                found.extend(_seen_line(previous_text, quoted))
                previous_text = ""
        elif token.type == "inline":
            if quote_depth:
                quoted.extend(line for line in token.content.splitlines() if line.strip())
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
            elif token.type == "code_block" or token.info.strip().lower() in _OUTPUT_INFO:
                # an answer that opens with the block: the title announces it ("Server logs …")
                before = previous_text or (title if blocks_before == 0 else "")
                found.extend(_seen_line(before, lines))
            previous_text = ""
        if token.level == 0 and token.nesting >= 0:
            blocks_before += 1
    return found


def _seen_line(before: str, lines: list[str]) -> list[str]:
    """The one line of a code block or blockquote, when the paragraph `before` it says it is
    what the user sees and it reads as a program's output (`is_log_line`)."""
    if len(lines) == 1 and SEE_CUE.search(before) and _is_shown_line(lines[0]):
        return [lines[0]]
    return []


def _is_shown_line(text: str) -> bool:
    """Whether a line the user is told they see reads as a program's message: a log line, or
    a message in Chinese, Japanese or Korean words of failure (`결제 실패: 카드 승인이
    거절되었습니다`, `无法连接服务器`), which `_FAILURE`'s English words never match."""
    if is_log_line(text):
        return True
    line = _clean(text)
    return bool(line) and not _COMMAND.search(line) and bool(_FAILURE_CJK.search(line))
