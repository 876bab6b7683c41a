"""When a gold question counts as a copy of an entry text or of another gold question.

One definition, used by `tests/test_gold.py` (the bound every gold line must keep) and by
`tests/gold/split.py` (the off-topic clusters and the cross-part check).

The measure is `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()` (Python's
"gestalt pattern matching", Ratcliff/Obershelp: 2·matched characters / total characters) on
`faq.text.norm_key` of both texts (NFKC, case-folded, whitespace runs collapsed). Characters, not
words, so that it means the same in Chinese, Japanese and Korean as in English.

A gold question is a copy of an entry text (title, alternate question or error string, of any entry
in any language) when:

- its ratio to that text is above `BOUND` (0.75); or
- it contains a whole title (trailing punctuation and quotes stripped); or
- it contains an error string without adding real context: a user who pastes an exact error
  writes around it, so a question may contain an error string only when the rest of it is at
  least `ERROR_CONTEXT` (2) times the error's length, in words: `words(q) >= 3 * words(error)`.
  A word is a run of letters or digits (Korean words included: Korean is written with spaces), or
  one Han or kana character (Chinese and Japanese have no spaces; one character carries about what
  one word does), so the rule means the same for a Chinese user pasting an English error as for an
  English one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from faq.models import Entry
from faq.text import HAN, KANA, norm_key

BOUND = 0.75  # the highest allowed ratio between a gold question and any entry text
ERROR_CONTEXT = 2  # other characters around a pasted error, in multiples of its length
_IDEOGRAPHIC = HAN.pattern[1:-1] + KANA.pattern[1:-1]  # the character ranges, without brackets
_WORD = re.compile(f"[{_IDEOGRAPHIC}]|[^\\W_{_IDEOGRAPHIC}]+")
_EDGE = " ?？.。!！…\"'“”「」『』"


def ratio(a: str, b: str) -> float:
    """Similarity of two already-normalised texts, 0..1 (`difflib` ratio, no autojunk)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def above(a: str, b: str, bound: float = BOUND) -> bool:
    """Whether two normalised texts are more similar than `bound`.

    Two cheap upper bounds of the ratio are tried first (as `SequenceMatcher.real_quick_ratio`
    and `quick_ratio` do: by length, then by shared characters), since most pairs are far apart.
    """
    total = len(a) + len(b)
    if not total or 2 * min(len(a), len(b)) <= bound * total:
        return False
    if 2 * sum((Counter(a) & Counter(b)).values()) <= bound * total:
        return False
    return ratio(a, b) > bound


def words(text: str) -> int:
    """How many words `text` has: letter-or-digit runs, and each Han or kana character alone."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Text:
    """One entry text a gold question must not copy."""

    kind: str  # "title", "question" or "error"
    key: str  # norm_key of the text
    where: str  # "<lang>/<id>"


def entry_texts(entries: Iterable[Entry]) -> list[Text]:
    """Every title, alternate question and error string, normalised, without duplicates."""
    seen: dict[tuple[str, str], Text] = {}
    for e in entries:
        where = f"{e.lang}/{e.id}"
        for kind, texts in (("title", (e.title,)), ("question", e.questions), ("error", e.errors)):
            for text in texts:
                key = norm_key(text)
                seen.setdefault((kind, key), Text(kind, key, where))
    return list(seen.values())


def copies(question: str, texts: list[Text]) -> Iterator[str]:
    """Why `question` counts as a copy of some entry text: one line per reason (none: fine)."""
    q = norm_key(question)
    for t in texts:
        if t.kind == "title":
            core = t.key.strip(_EDGE)
            if core and core in q:
                yield f"contains the title of {t.where}: {t.key!r}"
                continue
        if t.kind == "error" and t.key in q:
            if words(q) < (1 + ERROR_CONTEXT) * words(t.key):
                yield f"pastes the error of {t.where} with too little context: {t.key!r}"
            continue
        if above(q, t.key):
            yield f"{ratio(q, t.key):.2f} like the {t.kind} of {t.where}: {t.key!r}"


def similar_pairs(
    left: list[str], right: list[str], bound: float = BOUND
) -> Iterator[tuple[int, int, float]]:
    """`(i, j, ratio)` for every `left[i]`, `right[j]` (normalised texts) above `bound`.

    The same cheap upper bounds as `above`, with each text's character counts computed once.
    """
    counts = [Counter(b) for b in right]
    for i, a in enumerate(left):
        mine = Counter(a)
        for j, b in enumerate(right):
            total = len(a) + len(b)
            if not total or 2 * min(len(a), len(b)) <= bound * total:
                continue
            if 2 * sum((mine & counts[j]).values()) <= bound * total:
                continue
            r = ratio(a, b)
            if r > bound:
                yield i, j, r
