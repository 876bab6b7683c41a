"""Line wrapping by display width for help texts in Chinese, Japanese and Korean."""

from __future__ import annotations

import unicodedata

# Kinsoku: never at the start of a line / never at the end of a line.
_NO_BREAK_BEFORE = frozenset(
    "、。，．,.）)」』】〕〉》：:；;！!？?…ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
)
_NO_BREAK_AFTER = frozenset("（(「『【〔〈《")
_HANGUL = (("\uac00", "\ud7a3"), ("\u1100", "\u11ff"), ("\u3130", "\u318f"))  # syllables, jamo


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _is_hangul(char: str) -> bool:
    return any(lo <= char <= hi for lo, hi in _HANGUL)


def _breaks_anywhere(char: str) -> bool:
    """Chinese and Japanese lines may break between any two characters; Korean ones at spaces."""
    return _is_wide(char) and not _is_hangul(char)


def has_wide(text: str) -> bool:
    """Whether `text` has characters two columns wide (so that len() is not its width)."""
    return any(_is_wide(c) for c in text)


def display_width(text: str) -> int:
    """Terminal columns of `text`: two per wide character."""
    return sum(2 if _is_wide(c) else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces (`code` is one), and " " where the text has whitespace."""
    out: list[str] = []
    code = False
    for char in text:
        if char == "`":
            code = not code
        elif code and out and out[-1] != " ":
            out[-1] += " " if char.isspace() else char
            continue
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if out and out[-1] != " ":
            last = out[-1][-1]
            joined = (
                char in _NO_BREAK_BEFORE
                or last in _NO_BREAK_AFTER
                or not (_breaks_anywhere(char) or _breaks_anywhere(last))
            )
            if joined:
                out[-1] += char
                continue
        out.append(char)
    return out


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` columns (a longer unbreakable piece gets a line)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if token == " ":
            if line:
                line += " "
            continue
        if line.strip() and display_width(line + token) > width:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines
