"""Text facts shared by every module: normalisation, scripts, cleaning, and the input limits.

One place for each rule, so that the loader, the validator, the importer, the ranking and the
API agree on what "the same text" is and on how long a question may be.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 1000  # a question, after cleaning (API, CLI, feedback)
MAX_COMMENT_CHARS = 2000  # a feedback comment, after cleaning
MAX_K = 20  # results per query, at most
# A long, issue-style question is embedded as a few segments (faq.query): at most this many
# texts and characters per query, so that one query costs at most ~8 short embeddings (the
# model's cost grows with the text; the answer hardly does).
MAX_SEGMENTS = 8
MAX_EMBED_CHARS = 2000
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # an entry id: lower-case slug
MAX_ID_LENGTH = 64

# Han (CJK unified ideographs, extension A, compatibility), kana and Hangul (syllables and jamo)
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HIRAGANA_CHARS = "\u3040-\u309f"
KATAKANA_CHARS = "\u30a0-\u30ff"
HANGUL_CHARS = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
CJK_CHARS = HANGUL_CHARS + HIRAGANA_CHARS + KATAKANA_CHARS + HAN_CHARS
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
HANGUL = re.compile(f"[{HANGUL_CHARS}]")
KANA = re.compile(f"[{HIRAGANA_CHARS}{KATAKANA_CHARS}]")
HAN = re.compile(f"[{HAN_CHARS}]")


def fold(text: str) -> str:
    """NFKC and case-folded: full-width forms, ligatures and case no longer differ."""
    return unicodedata.normalize("NFKC", text).casefold()


def norm_key(text: str) -> str:
    """`fold` with whitespace runs made one space and trimmed: the key under which two texts
    count as the same (duplicate questions, error strings, id-map headings)."""
    return " ".join(fold(text).split())


_CLEAN = {"Cc": "", "Cs": "\ufffd"}
# Bidirectional embeddings, overrides and isolates, and the marks: they can make text read in
# an operator's terminal differently from what it is (CVE-2021-42574, "Trojan Source").
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Invisible characters with no job in a question: zero-width space, word joiner, BOM, soft
# hyphen, Mongolian vowel separator. (ZWJ and ZWNJ stay: emoji sequences and Persian need them.)
INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e")
_DROP = BIDI_CONTROLS | INVISIBLE


def clean_text(text: str) -> str:
    """Text as faq takes it in (questions, comments): control characters, bidi controls and
    zero-width characters dropped, unpaired surrogates (undecodable bytes of a command line)
    replaced, whitespace runs made one space; "" when nothing visible is left."""
    if not text.isprintable():
        text = "".join(
            " " if c.isspace() else _CLEAN.get(unicodedata.category(c), c)
            for c in text
            if c not in _DROP
        )
        if all(unicodedata.category(c) == "Cf" or c.isspace() for c in text):
            return ""
    return " ".join(text.split())


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width (CJK) characters take two
    (Unicode East Asian Width W and F)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit_columns(text: str, columns: int) -> str:
    """`text` cut (ending in "…") or padded with spaces to exactly `columns` terminal columns
    (one less when a wide character would straddle the edge)."""
    if display_width(text) > columns:
        cut = ""
        for char in text:
            if display_width(cut + char) > columns - 1:
                break
            cut += char
        text = cut + "…"
    return text + " " * (columns - display_width(text))


def terminal_safe(text: str) -> str:
    """`text` for an operator's terminal: bidi controls, zero-width characters and control
    characters other than newline and tab removed (stored text may predate clean_text)."""
    return "".join(
        c
        for c in text
        if c not in _DROP and (c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    )


def clean_question(text: str) -> str:
    """A reader's question as faq takes it in (search, alternate questions): `clean_text`, then
    QueryError when nothing is left or when it is over MAX_QUERY_CHARS."""
    from faq.errors import QueryError
    from faq.i18n import _

    cleaned = clean_text(text)
    if not cleaned:
        raise QueryError(_("the question is empty"))
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(
            _("the question is too long ({length} characters, at most {max})").format(
                length=len(cleaned), max=MAX_QUERY_CHARS
            )
        )
    return cleaned
