"""Readable ASCII ids for imported entries and sections: whole words, romanised, at most 64.

Latin text is transliterated (python-slugify / text-unidecode); Chinese reads as pinyin, as
text-unidecode spells it; Korean in the Revised Romanization of Korean (2000), letter by letter,
with a final consonant linked to a following vowel and no other sound change
("도움을 받을 수 있나요" → "doumeul badeul su itnayo"). Japanese is romanised in Hepburn by
pykakasi when the optional `faq[ja]` extra is installed (pykakasi is GPL-3, so never required).
Without it, the Latin and katakana words are kept (kana romanised here, in Hepburn), kanji and
hiragana, which need a dictionary to read, are left out, and six hex digits of the title's
SHA-256 end the id, so that it stays short, stable and distinct. See docs/en/format.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from functools import cache

from faq.text import HAN_CHARS, HIRAGANA_CHARS, ID_PATTERN, KANA, KATAKANA_CHARS, MAX_ID_LENGTH

# a version number is one word: "v4.13.1" must not be cut into "v4-13" nor end an id as "-1"
_VERSION = re.compile(r"\b(v?\d+(?:\.\d+)+)\b", re.IGNORECASE)
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")  # "can't" → "cant", not "can-t"
_SMALL_Y = {"ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ャ": "ya", "ュ": "yu", "ョ": "yo"}
_SMALL_TSU = "っッ"
_LONG = "ー"
_MIDDLE_DOT = "・"


def slug_words(text: str) -> list[str]:
    """The words of `text` as lower-case ASCII slugs; a version number stays one word."""
    from slugify import slugify

    words: list[str] = []
    for i, piece in enumerate(_VERSION.split(_APOSTROPHE.sub("", text))):
        if i % 2:  # a version number: its parts joined, kept together when truncating
            words.append("-".join(re.findall(r"[a-z0-9]+", piece.lower())))
        elif piece.strip():
            words.extend(w for w in slugify(piece).split("-") if w)
    return words


def fit_words(words: list[str], limit: int = MAX_ID_LENGTH) -> str:
    """Whole words joined by '-', in order, up to the last that fits in `limit` characters."""
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def slug(text: str, *, fallback: str, japanese: bool | None = None) -> str:
    """An id-shaped slug of `text` (see the module docstring), or `fallback` when none results.

    `japanese`: romanise as Japanese (default: when the text has kana).
    """
    text = unicodedata.normalize("NFKC", text)
    if japanese is None:
        japanese = bool(KANA.search(text))  # a kanji-only title reads as Chinese unless told
    suffix = ""
    text = HANGUL_SYLLABLES.sub(lambda m: " " + romanise_korean(m.group(0)) + " ", text)
    if japanese:
        text, dropped = romanise_japanese(text)
        if dropped:
            suffix = hashlib.sha256(dropped.encode("utf-8")).hexdigest()[:6]
    else:
        # text-unidecode spells a Han character with a space after it, none before it: a Latin
        # word or number right before Chinese would run into its first syllable ("PyPI安装" →
        # "pypian-zhuang")
        text = _HAN_RUN.sub(lambda m: " " + m.group(0) + " ", text)
    words = slug_words(text)
    value = fit_words(words, MAX_ID_LENGTH - (len(suffix) + 1 if suffix else 0))
    value = f"{value}-{suffix}" if value and suffix else value or suffix
    return value if value and ID_PATTERN.match(value) else fallback


HANGUL_SYLLABLES = re.compile("[\uac00-\ud7a3]+")
_HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
# Revised Romanization: initial consonants, vowels, final consonants (as a coda, and as the
# onset of a following syllable that starts with a vowel: 받을 → badeul, not bateul)
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_CODAS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p h".split()
_LINKED = "- g kk ks n nj nh d r lg lm lb ls lt lp lh m b ps s ss - j ch k t p -".split()


def romanise_korean(text: str) -> str:
    """Hangul syllables → the Revised Romanization (see the module docstring)."""
    out: list[str] = []
    syllables = [ord(c) - 0xAC00 for c in text]
    for i, code in enumerate(syllables):
        initial, vowel, final = code // 588, (code % 588) // 28, code % 28
        onset = _INITIALS[initial]
        if onset == "r" and i and syllables[i - 1] % 28 == 8:  # ㄹ after ㄹ: 알림 → allim
            onset = "l"
        out.append(("" if onset == "-" else onset) + _VOWELS[vowel])
        if final:
            next_is_vowel = i + 1 < len(syllables) and syllables[i + 1] // 588 == 11  # ㅇ
            coda = _LINKED[final] if next_is_vowel else _CODAS[final]
            out.append("" if coda == "-" else coda)
    return "".join(out)


def romanise_japanese(text: str) -> tuple[str, str]:
    """(romanised text, what was left out: "" or the text): pykakasi when installed, else the
    Latin words and the katakana words (loanwords: the content words of most technical
    questions), romanised; kanji and hiragana are left out (see the module docstring)."""
    kakasi = _kakasi()
    if kakasi is not None:
        return kakasi(text), ""
    kept = " ".join(_romanise_kana(run) for run in _KEPT.findall(text))
    return kept, text if _LEFT_OUT.search(text) else ""


_KATAKANA_RUN = f"[{KATAKANA_CHARS}]+"
_KEPT = re.compile(f"{_KATAKANA_RUN}|[^{HIRAGANA_CHARS}{KATAKANA_CHARS}{HAN_CHARS}]+")
_LEFT_OUT = re.compile(f"[{HIRAGANA_CHARS}{HAN_CHARS}]")
# text-unidecode spells kana in Kunrei-shiki; Hepburn is what readers of ids expect
_HEPBURN = {"si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji", "di": "ji", "du": "zu"}
_SMALL_VOWELS = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}


def unread_japanese(titles: list[str]) -> int:
    """How many of `titles` lose kanji or hiragana in their id because pykakasi (the `faq[ja]`
    extra) is not installed: 0 when it is."""
    if _kakasi() is not None:
        return 0
    return sum(1 for title in titles if _LEFT_OUT.search(title))


@cache
def _kakasi() -> Callable[[str], str] | None:
    try:
        import pykakasi  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    converter = pykakasi.kakasi()  # type: ignore[no-untyped-call,unused-ignore]

    def convert(text: str) -> str:
        return " ".join(str(item["hepburn"]) for item in converter.convert(text))

    return convert


def _romanise_kana(text: str) -> str:
    """Kana → Hepburn, character by character (text-unidecode spells each kana; small kana, the
    sokuon and the long-vowel mark are joined to their neighbours here)."""
    from text_unidecode import unidecode

    out: list[str] = []
    double_next = False
    for char in text:
        if not KANA.match(char) or char == _MIDDLE_DOT:
            # the middle dot separates words (アカウント・ログイン → akaunto roguin)
            out.append(" " if char == _MIDDLE_DOT else char)
            double_next = False
            continue
        if char in _SMALL_TSU:
            double_next = True
            continue
        if char == _LONG:
            if out and out[-1][-1:] in ("a", "e", "i", "o", "u"):
                out[-1] += out[-1][-1]
            continue
        if char in _SMALL_Y and out and out[-1].endswith("i") and len(out[-1]) > 1:
            stem = out[-1][:-1]
            # shi+ya → sha, chi+ya → cha, ji+ya → ja; ki+ya → kya
            out[-1] = stem + (
                _SMALL_Y[char][1:] if stem.endswith(("sh", "ch", "j")) else _SMALL_Y[char]
            )
            continue
        if char in _SMALL_VOWELS and out and out[-1] == "u":
            out[-1] = "w" + _SMALL_VOWELS[char]  # ウィ → wi, ウェ → we, ウォ → wo
            continue
        if char in _SMALL_VOWELS and out and out[-1][-1:] in ("u", "i", "e"):
            out[-1] = out[-1][:-1] + _SMALL_VOWELS[char]  # フォ → fo, ティ → ti
            continue
        roman = unidecode(char).strip()
        roman = _HEPBURN.get(roman, roman)
        if double_next and roman[:1].isalpha() and roman[:1] not in "aeiou":
            roman = ("t" if roman.startswith("ch") else roman[0]) + roman
        double_next = False
        out.append(roman)
    return "".join(out)
