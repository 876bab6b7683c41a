"""Which imported answers are not answers: text that is (almost) only links, images or badges,
licence notices and release notes; and whether a section's own text answers something itself
(stands_alone). `faq import` leaves non-answers out unless told to keep them.

A whole README imported as a FAQ brings its sponsors' logos, its table of contents, its list of
related projects and its licence line along; as entries they answer nothing, and a long list of
sponsor links matches off-topic questions on a word ("best"). The rules look at the text, and at
a section's name only for its versions and dates, so that they hold in any language:

- **links and images**: the share of the answer's characters (spaces aside) that are link or image
  markup — a link's text and target, an image's alt text and source, an HTML tag or comment, a
  bare URL — is at least `LINK_SHARE` (code counts as text), and one of its blocks (paragraph,
  list item, table cell, HTML block) holds links or images and no words: a sentence around a
  link with a long target ("Please see [docs/module.md](docs/module.md)") is an answer.
- **release notes**: a title that is a version or a date and nothing else (`1.3.0 (2026-09-11)`,
  `[2.0.0] - 2024-01-10`, `v4`), or an answer that is a list of at least `RELEASE_ITEMS` items,
  `RELEASE_SHARE` of which open with a date or a version (a "News" or "Changelog" section):
  what changed when answers no question, and its version numbers and "added …" lines match
  off-topic questions. Read from the versions and dates, which are the same in any language.
- **licence notice**: a short answer (at most `LICENCE_NOTICE_CHARS` characters of visible text)
  that names a licence by its SPDX identifier (MIT, Apache-2.0, GPL-3.0, …) or carries a
  copyright line (`© 2024`, `Copyright (c) 2024`), or any answer that quotes a licence's
  warranty disclaimer (`WITHOUT WARRANTY OF ANY KIND`, as MIT, BSD, Apache and GPL texts do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from faq.markdown import parser
from faq.text import display_width

__all__ = [
    "LICENCE_NOTICE_CHARS",
    "LINK_SHARE",
    "RELEASE_ITEMS",
    "RELEASE_SHARE",
    "NotAnAnswer",
    "link_share",
    "not_an_answer",
    "stands_alone",
]

# Measured on the READMEs of this project's import trials (not a published figure): sponsors
# and backers 0.92–0.99, tables of contents and lists of related projects or examples 0.95–1.0;
# answers 0–0.76, except a lone sentence pointing to a long link target (0.80–0.90), which the
# rule's second condition, a block without words, keeps.
LINK_SHARE = 0.8
LICENCE_NOTICE_CHARS = 300

# SPDX identifiers (https://spdx.org/licenses/) of the licences projects use most, and the
# names READMEs write them with ("Apache License 2.0", "GPLv3"); bounded by ASCII only, since
# Chinese and Japanese write them between words without spaces ("采用MIT许可证")
_SPDX = re.compile(
    r"(?<![A-Za-z0-9-])(?:MIT|ISC|0BSD|BSD(?:-[234]-Clause)?|[AL]?GPL(?:-?v?[23](?:\.[01])?)?"
    r"|MPL(?:-2\.0)?|EPL(?:-[12]\.0)?|Apache(?:-2\.0| License)|Unlicense|WTFPL|CC0(?:-1\.0)?"
    r"|CC-BY(?:-[A-Z]{2})*(?:-\d\.\d)?|Zlib|BSL-1\.0|MulanPSL(?:-2\.0)?)(?![A-Za-z0-9-])"
)
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*(?:19|20)\d\d|\bcopyright\s+(?:\(c\)\s*)?(?:19|20)\d\d", re.IGNORECASE
)
# the warranty disclaimer of MIT, BSD and Apache ("WITHOUT WARRANTIES OR CONDITIONS"), GPL
# ("WITHOUT ANY WARRANTY"): written in capitals by the licences themselves
_DISCLAIMER = re.compile(r"WITHOUT (?:ANY )?WARRANT(?:Y|IES)")
_TAG = re.compile(r"<!--.*?-->|<[^>\n]+>", re.DOTALL)
_URL = re.compile(r"\bhttps?://\S+")
# release notes: a list of at least RELEASE_ITEMS items, RELEASE_SHARE of them dated or versioned
RELEASE_ITEMS, RELEASE_SHARE = 3, 0.8
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{4}[-/.年]\s?\d{1,2}(?:[-/.月]\s?\d{1,2}日?)?"  # 2026-09-11, 2026.9, 2026年9月11日
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # Feb 16, 2026
    rf"|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"  # 16 Feb 2026
)
_VERSION = r"v?\d+(?:\.\d+){0,3}(?:[-.]?(?:alpha|beta|rc|a|b|dev|post)\.?\d*)?"
_RELEASE_TITLE = re.compile(
    rf"^\W*\[?(?:{_VERSION}|{_DATE})\]?(?:\W+(?:{_DATE}|{_VERSION}))?\W*$", re.IGNORECASE
)
_DATED = re.compile(rf"^[\W_]*(?:{_DATE}|v?\d+\.\d+(?:\.\d+)*\b)", re.IGNORECASE)
# a sentence's end: Latin punctuation before a space or the end, or CJK punctuation anywhere
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")
# blocks that make a text an answer of its own (code, a list of steps, a table)
_ANSWER_BLOCKS = frozenset(
    {"fence", "code_block", "bullet_list_open", "ordered_list_open", "table_open"}
)
# a section's text narrower than this (terminal columns of its visible text, spaces aside: a
# Chinese or Japanese character counts two) introduces its questions rather than answering
# one ("Questions about installing. See below.")
LEAD_IN_COLUMNS = 40
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class NotAnAnswer:
    """Why an answer is left out: `kind` "links" (with the share of link/image markup, 0–1),
    "licence" or "releases"."""

    kind: Literal["links", "licence", "releases"]
    share: float = 0.0


def _chars(text: str) -> int:
    return sum(not c.isspace() for c in text)


def _split_markup(text: str, pattern: re.Pattern[str]) -> tuple[int, int]:
    """(markup characters, other characters) of `text`, markup being `pattern`'s matches."""
    markup = sum(_chars(m.group(0)) for m in pattern.finditer(text))
    return markup, _chars(text) - markup


def _inline(children: list[Any]) -> tuple[int, int, str, bool]:
    """(markup, text characters, visible text, whether it is links and images only) of an
    inline token's children."""
    markup = text = depth = 0
    visible: list[str] = []
    prose: list[str] = []  # the text outside links, bare URLs aside
    for child in children:
        if child.type == "link_open":
            depth += 1
            markup += _chars(str(child.attrs.get("href", "")))
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "image":
            markup += _chars(str(child.attrs.get("src", ""))) + _chars(child.content)
        elif child.type == "html_inline":
            markup += _chars(child.content)
        elif child.type in ("text", "code_inline"):
            visible.append(child.content)
            if depth:
                markup += _chars(child.content)
            elif child.type == "text":
                urls, other = _split_markup(child.content, _URL)
                markup, text = markup + urls, text + other
                prose.append(_URL.sub(" ", child.content))
            else:
                text += _chars(child.content)
                prose.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            visible.append(" ")
    return markup, text, "".join(visible), bool(markup) and not _WORD.search("".join(prose))


def _measure(body: str) -> tuple[int, int, str, bool]:
    """(markup characters, text characters, visible text, whether a block of it — a paragraph,
    list item, table cell or HTML block — holds links or images and no words) of a Markdown
    answer."""
    markup = text = 0
    visible: list[str] = []
    bare = False
    for token in parser(tables=True).parse(body):
        if token.type in ("fence", "code_block"):
            text += _chars(token.content)
            visible.append(token.content)
        elif token.type == "html_block":
            tags, other = _split_markup(token.content, _TAG)
            markup, text = markup + tags, text + other
            visible.append(_TAG.sub(" ", token.content))
            bare = bare or (bool(tags) and not _WORD.search(_TAG.sub(" ", token.content)))
        elif token.type == "inline":
            m, t, v, links_only = _inline(token.children or [])
            markup, text, bare = markup + m, text + t, bare or links_only
            visible.append(v)
    return markup, text, " ".join(visible), bare


def link_share(body: str) -> float:
    """The share (0–1) of the characters of Markdown `body`, spaces aside, that are link or
    image markup (see the module docstring); 0.0 for an empty body."""
    markup, text, _visible, _bare = _measure(body)
    return markup / (markup + text) if markup + text else 0.0


def _release_notes(title: str, body: str) -> bool:
    if title and _RELEASE_TITLE.match(title.strip()):
        return True
    tokens = parser(tables=True).parse(body)
    # each top-level item's opening text, its marker off (an item that opens with code: "")
    items = [
        tokens[i + 2].content if i + 2 < len(tokens) and tokens[i + 2].type == "inline" else ""
        for i, token in enumerate(tokens)
        if token.type == "list_item_open" and token.level == 1
    ]
    if len(items) < RELEASE_ITEMS:
        return False
    dated = sum(bool(_DATED.match(text)) for text in items)
    return dated >= RELEASE_SHARE * len(items)


def not_an_answer(body: str, title: str = "") -> NotAnAnswer | None:
    """Why Markdown `body` (under `title`, when given) is not an answer (see the module
    docstring), or None when it is one."""
    if _release_notes(title, body):
        return NotAnAnswer("releases")
    markup, text, visible, bare = _measure(body)
    if not markup + text:
        return None
    share = markup / (markup + text)
    if share >= LINK_SHARE and bare:
        return NotAnAnswer("links", share)
    if _DISCLAIMER.search(visible) or (
        _chars(visible) <= LICENCE_NOTICE_CHARS
        and (_SPDX.search(visible) or _COPYRIGHT.search(visible))
    ):
        return NotAnAnswer("licence", share)
    return None


def stands_alone(body: str) -> bool:
    """Whether a section's own text (before its questions) answers something itself and should
    be searchable as an entry: it is an answer (not_an_answer) and holds a code block, a list
    or a table, or at least two sentences and LEAD_IN_COLUMNS columns of visible text. A
    one-sentence lead-in ("Questions about installing:", "API 服务提供了以下接口：") is not."""
    if not body.strip() or not_an_answer(body) is not None:
        return False
    tokens = parser(tables=True).parse(body)
    if any(token.type in _ANSWER_BLOCKS for token in tokens):
        return True
    _markup, _text, visible, _bare = _measure(body)
    width = display_width("".join(visible.split()))
    return width >= LEAD_IN_COLUMNS and len(_SENTENCE_END.findall(visible.strip())) >= 2
