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
# texts and characters per query, so that one query costs at most ~8 short embeddings.
MAX_SEGMENTS = 8
MAX_EMBED_CHARS = 2000
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # an entry id: lower-case slug
MAX_ID_LENGTH = 64

# Han (CJK unified ideographs, extension A, compatibility), kana and Hangul (syllables and jamo)
CJK_CHARS = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """NFKC and case-folded: full-width forms, ligatures and case no longer differ."""
    return unicodedata.normalize("NFKC", text).casefold()


def norm_key(text: str) -> str:
    """`fold` with whitespace runs made one space and trimmed: the key under which two texts
    count as the same (duplicate questions, error strings, id-map headings)."""
    return " ".join(fold(text).split())


_CLEAN = {"Cc": "", "Cs": "\ufffd"}


def clean_text(text: str) -> str:
    """Text as faq takes it in (questions, comments): control characters dropped, unpaired
    surrogates (undecodable bytes of a command line) replaced, whitespace runs made one space."""
    if not text.isprintable():
        text = "".join(
            _CLEAN.get(unicodedata.category(c), c) if not c.isspace() else " " for c in text
        )
    return " ".join(text.split())
