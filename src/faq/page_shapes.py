"""A FAQ page read as a Markdown tree (markdown-it-py): its question-like blocks, in order.

Recognised: ATX and setext headings; a question written as a quoted heading line
(`"## NotFoundError: …"`); `Q:` / `Q1:` / `**Q:**` / `问：` lines; `<details><summary>` blocks
and mkdocs-material's collapsible `??? question "…"` blocks;
on a page with none of these as questions, a bold line that asks (`**How do I …?**`) and a list
item that asks: `1. **How do I …?**` / `- **…?**` (its answer on the same line, indented in the
item, or in the paragraphs after the list), or a plain `1. How do I …?` when every item of its
list asks and has an answer. Under a heading that names a FAQ ("FAQ", "常见问题", "よくある質問",
"자주 묻는 질문", FAQ_HEADING), the items of the first list whose first line is a bold label and
nothing else (`1. **Slow start**` over its answer) are questions on any page, when there are
two or more: problems stated, not asked.
Which of them are questions and which are sections is decided by `faq.import_plan`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import yaml

from faq.loader import split_front_matter
from faq.markdown import parser

INNER_LEVEL = 7  # Q-lines and <details> blocks sit below every heading level
QUOTED_HEADING = re.compile(r"""^\s*(?P<quote>["“'])\s*(?P<hashes>#{1,6})\s+(?P<text>.+)$""")
# "Q1: …", "**Q:** …", "**Q: …**", "Q. …", "问：…", "質問：…", "질문: …", and the letter alone
# emphasised before the colon: "**Q**: …", "***Q***: …" (bold italic, as mkdocs pages write it)
# (a single `*` or `_` only right before the letter: "* Q: …" is a list item, and after the colon
# "Q: *this* …" is the question's own emphasis)
_OPEN = r"(?:\*\*\s*|__\s*|\*{1,3}(?=\S)|_{1,3}(?=\S))?"
_EMPH = r"(?:\*{1,3}|_{1,3})?"
_AFTER = r"(?:\*{2,3}|_{2,3})?"
Q_PREFIX = re.compile(
    rf"^\s*{_OPEN}(?:Q\d*|问|問|質問|질문)\s*{_EMPH}\s*(?:[:：]|[.．)](?=\s))\s*{_AFTER}\s*"
)
A_PREFIX = re.compile(
    rf"^\s*{_OPEN}(?:A\d*|答|回答|답변|답)\s*{_EMPH}\s*(?:[:：]|[.．)](?=\s))\s*{_AFTER}[ \t]*"
)
# "3. How do I …?", "3、如何…", "三、同步问题" (Chinese numerals number sections)
_NUMBERED = re.compile(r"^(?:\d{1,3}(?:[.)．]\s+|、\s*)|[一二三四五六七八九十]{1,3}、\s*)")
# "## Title {#anchor}", "## Title {: #anchor }" (Python-Markdown's attr_list, as mkdocs writes it)
_ATTR_LIST = re.compile(r"\s*\{:?\s*[#.][^}]*\}\s*$")
_DETAILS_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)
_DETAILS_ANY = re.compile(r"<(/?)details\b[^>]*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(?P<text>.*?)</summary>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# pymdownx.details: `??? type "Title"` / `???+ type "Title"` (https://facelessuser.github.io/
# pymdown-extensions/extensions/details/)
_COLLAPSIBLE = re.compile(r'^\?\?\?\+?[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+"(?P<title>[^"]+)"[ \t]*$')
_LEADING_BREAK = re.compile(r"\A\s*(?:<br\s*/?>\s*)+", re.IGNORECASE)
# "**How do I install it?**" alone on the first line of a paragraph: a question of a page that
# writes its questions in bold, when it has no other kind (see read_page)
_BOLD_LINE = re.compile(r"^\s*(?P<mark>\*\*|__)(?P<text>[^*_].*?)(?P=mark)\s*$")
MIN_BOLD_QUESTIONS = 2
# a list item's marker and the spaces after it: the item's content starts after them
_ITEM_MARKER = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ ]{1,4}|$)")
# a bold question at the start of a list item, and the rest of its line
_BOLD_START = re.compile(r"^(?P<mark>\*\*|__)(?P<text>[^*_].*?)(?P=mark)(?P<rest>.*)$")
# top-level blocks that can be the answer of the list item above them
# a heading that names a FAQ section, in the languages of the import trials' pages; its title
# is searched, so "❓ 常见问题" and "FAQ (Frequently Asked Questions)" match too
FAQ_HEADING = re.compile(
    r"\bF\.?A\.?Q\.?s?\b|\bQ\s?&\s?A\b|frequently asked|common (?:questions|issues|problems)"
    r"|troubleshooting|常见问题|常見問題|常见问答|问题解答|疑难解答|よくある(?:ご)?質問|トラブルシューティング"
    r"|자주\s*(?:묻는|하는)\s*질문|문제\s*해결",
    re.IGNORECASE,
)
_ANSWER_BLOCKS = {"paragraph_open", "fence", "code_block", "blockquote_open", "table_open"}


@dataclass
class Node:
    """One question-like block of the page."""

    kind: str  # "heading", "quoted", "qline", "details" or "bold"
    level: int  # 1-6 for headings, INNER_LEVEL for Q-lines and <details>
    title: str  # plain text, prefixes removed
    raw: str  # the text as written (matched against id maps)
    line: int  # 0-based first line
    content_start: int  # 0-based line where the block's own content starts
    q_form: bool = False  # written as "Q: …": the answer may start with "A: …"
    body: str | None = None  # <details>: the answer inside the block
    # list items: the page's lines as the answer reads them (the item's indentation removed, the
    # question cut from its first line); applied when the page's questions are list items
    edits: dict[int, str] = field(default_factory=dict)


@dataclass
class Page:
    """The page: its lines (front matter blanked), front matter, nodes, and layout facts."""

    lines: list[str]
    meta: dict[str, Any]
    nodes: list[Node] = field(default_factory=list)
    rules: set[int] = field(default_factory=set)  # 0-based lines of top-level `---` rules
    code: set[int] = field(default_factory=set)  # 0-based lines inside code blocks


def plain_inline(text: str) -> str:
    """Inline Markdown → plain text: emphasis, tags and images dropped (a title's badges and
    icons: `# widget [![npm](…)](…)` is "widget"), links → their text."""
    tokens = parser(tables=True).parseInline(text)
    out: list[str] = []
    for token in tokens[0].children or [] if tokens else []:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return " ".join(_ATTR_LIST.sub("", "".join(out)).split())


def read_page(text: str) -> Page:
    """Parse `text`; never raises (a bad front matter block is read as no front matter)."""
    meta: dict[str, Any] = {}
    parts = split_front_matter(text)
    if parts is not None:
        raw, _body, body_line = parts
        try:
            loaded = yaml.safe_load(raw)
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            meta = loaded
            # blank the front matter out, so that line numbers stay those of the file
            text = "\n" * (body_line - 1) + "".join(text.splitlines(True)[body_line - 1 :])
    lines = text.splitlines()
    page = Page(lines, meta)
    tokens = parser(tables=True).parse(text)
    bold: list[Node] = []  # bold lines and list items that ask: questions when nothing else is
    skip_until = -1
    closed = (-1, 0)  # (line, column) where the last <details> block read ends
    faq_heading = False  # the last heading names a FAQ section, and no list came after it yet
    faq_items = 0  # questions read from lists under it
    for i, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        start, end = token.map
        if start < skip_until and not (token.type == "html_block" and end > skip_until):
            continue
        if token.type in ("fence", "code_block"):
            page.code.update(range(start, end))
        elif token.type == "hr":
            page.rules.add(start)
        elif token.type == "heading_open":
            raw = tokens[i + 1].content
            title, q_form = _strip_q(raw)
            faq_heading = len(title) <= 60 and FAQ_HEADING.search(title) is not None
            faq_items = 0
            page.nodes.append(
                Node("heading", int(token.tag[1]), title, raw, start, end, q_form=q_form)
            )
        elif token.type == "paragraph_open" and (collapsible := _collapsible(lines, start)):
            page.nodes.append(collapsible)
            skip_until = collapsible.content_start
        elif token.type == "paragraph_open":
            found = _paragraph_nodes(lines, start, end)
            page.nodes.extend(found)
            if not found and (question := _bold_question(lines[start], start)) is not None:
                bold.append(question)
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            # under a FAQ heading, its first list of bold labels, and a numbered list that
            # goes on with it after an answer's paragraph ("4." after "1."-"3."), are questions
            # whatever the rest of the page is; another list there is part of an answer
            start_at = int(token.attrs.get("start", 1) or 1)
            goes_on = faq_items > 0 and token.type == "ordered_list_open"
            goes_on = goes_on and start_at == faq_items + 1
            labels = MIN_BOLD_QUESTIONS if faq_heading else 1 if goes_on else 0
            found = _list_questions(tokens, i, lines, labels=labels)
            if len(found) >= MIN_BOLD_QUESTIONS if faq_heading else found and faq_items:
                for node in found:
                    for number, line in node.edits.items():
                        page.lines[number] = line
                page.nodes.extend(found)
                faq_items += len(found)
            else:
                bold.extend(found)
            faq_heading = False
        elif token.type == "html_block" and _DETAILS_OPEN.search(token.content):
            # one HTML block may close a <details> and open the next ("</details>" and
            # "<details><summary>…" on consecutive lines or on one, as GitHub READMEs have them)
            for n in range(start, end):
                for opening in _DETAILS_OPEN.finditer(lines[n]):
                    if (n, opening.start()) < closed:
                        continue
                    block = _details(lines, n, opening.start())
                    if block is not None:
                        page.nodes.append(block[0])
                        skip_until, closed = block[0].content_start, block[1]
    if len(bold) >= MIN_BOLD_QUESTIONS and not any(
        node.kind != "heading" or node.title.rstrip().endswith(("?", "？")) for node in page.nodes
    ):
        # the page's questions are bold lines or list items (its headings, if any, are
        # sections); on a page with question headings, Q-lines or <details>, a bold "Why?" or a
        # list of questions is part of an answer
        for node in bold:
            for number, line in node.edits.items():
                page.lines[number] = line
        page.nodes = sorted(page.nodes + bold, key=lambda node: node.line)
    return page


def _list_questions(
    tokens: list[Any], start: int, lines: list[str], *, labels: int = 0
) -> list[Node]:
    """The items of the top-level list opened at `tokens[start]` that are questions: those that
    open with a bold question, and, in a list where at least half of the bold-led items ask,
    the items whose whole first line is bold ("**The proxy returns 404**": a problem stated, not
    asked); or, when no item is bold-led, all of them when each is a plain question. Each must
    have an answer: the rest of its line, more text in the item, or, for the list's last item,
    the blocks after the list. With `labels` (a list under a FAQ heading), all of its bold-led
    items with an answer, when there are at least `labels` of them, even if none asks."""
    level = tokens[start].level
    items: list[tuple[Any, Any, int]] = []  # (list_item_open, first inline or None, blocks)
    end = start + 1
    while end < len(tokens) and not (tokens[end].level == level and tokens[end].nesting < 0):
        token = tokens[end]
        if token.type == "list_item_open" and token.level == level + 1:
            items.append((token, None, 0))
        elif items and token.level == level + 2 and token.nesting >= 0:
            item, first, blocks = items[-1]
            if blocks == 0 and token.type == "paragraph_open":
                first = tokens[end + 1]
            items[-1] = (item, first, blocks + 1)
        end += 1
    after = tokens[end + 1] if end + 1 < len(tokens) else None
    answer_after = after is not None and after.type in _ANSWER_BLOCKS
    bold: list[tuple[Node, bool]] = []  # (item, whether it asks)
    plain: list[Node] = []
    for n, (item, first, blocks) in enumerate(items):
        if first is None or item.map is None or first.map is None:
            continue
        last = n == len(items) - 1
        text = first.content
        m = _BOLD_START.match(text.split("\n", 1)[0])
        if m is not None:
            title, _q_form = _strip_q(m.group("text"))
            rest = m.group("rest").strip()
            own = bool(rest) or "\n" in text or blocks > 1 or (last and answer_after)
            asks = title.rstrip().endswith(("?", "？"))
            if (asks or not rest) and own and not _is_link(first):
                node = Node("item", INNER_LEVEL, title, m.group("text").strip(), item.map[0], 0)
                bold.append((_item_answer(node, lines, item.map, first.map[1], rest), asks))
            continue
        title, _q_form = _strip_q(" ".join(text.split()))
        own = blocks > 1 or (last and answer_after)
        if title.rstrip().endswith(("?", "？")) and own and not _is_link(first):
            node = Node("item", INNER_LEVEL, title, text.strip(), item.map[0], first.map[1])
            plain.append(_item_answer(node, lines, item.map, first.map[1], None))
        else:
            plain = []  # one item that is not an answered question: a plain list
            break
    asking = sum(asks for _node, asks in bold)
    if bold:
        if labels and len(bold) >= labels:
            return [node for node, _asks in bold]
        return [node for node, asks in bold if asks or 2 * asking >= len(bold)] if asking else []
    return plain if len(plain) == len(items) else []


def _is_link(inline: Any) -> bool:
    """Whether a paragraph is a link and nothing else (a table of contents' item), emphasis
    aside: not a question."""
    kept = [
        child
        for child in inline.children or []
        if not child.type.startswith(("strong_", "em_"))
        and not (child.type in ("text", "softbreak") and not child.content.strip())
    ]
    return bool(kept) and kept[0].type == "link_open" and kept[-1].type == "link_close"


def _item_answer(
    node: Node, lines: list[str], span: list[int], paragraph_end: int, rest: str | None
) -> Node:
    """`node` with its answer's lines: after the question (`rest`: the rest of a bold
    question's line, None for a plain question whose answer starts at `content_start`), the
    item's lines (`span`) without the indentation of its content, and the other lines of its
    first paragraph (up to `paragraph_end`) without any: a paragraph's indentation means
    nothing, and in a top-level answer four spaces would make it a code block."""
    first = node.line
    marker = _ITEM_MARKER.match(lines[first])
    indent = len(marker.group(0)) if marker else 0
    if rest is not None:
        node.content_start = first if rest else first + 1
        if rest:
            node.edits[first] = rest
    for number in range(max(node.content_start, first + 1), span[1]):
        line = lines[number]
        if number < paragraph_end:
            node.edits[number] = line.lstrip()
            continue
        strip = min(indent, len(line) - len(line.lstrip(" ")))
        if strip:
            node.edits[number] = line[strip:]
    return node


def _bold_question(line: str, number: int) -> Node | None:
    m = _BOLD_LINE.match(line)
    if m is None:
        return None
    title, _q_form = _strip_q(m.group("text"))
    if not title.rstrip().endswith(("?", "？")):
        return None
    return Node("bold", INNER_LEVEL, title, m.group("text").strip(), number, number + 1)


def _strip_q(raw: str) -> tuple[str, bool]:
    m = Q_PREFIX.match(raw)
    title = plain_inline(_unbold(raw[m.end() :]) if m else raw)
    return _NUMBERED.sub("", title), m is not None


def _unbold(text: str) -> str:
    """ "How?**" of "**Q: How?**": the bold opened with the prefix closes at the end."""
    for mark in ("***", "___", "**", "__"):
        if text.rstrip().endswith(mark) and text.count(mark) == 1:
            return text.rstrip()[: -len(mark)]
    return text


def _paragraph_nodes(lines: list[str], start: int, end: int) -> list[Node]:
    """Quoted heading lines and Q-lines that open a question inside one paragraph."""
    first = lines[start]
    quoted = QUOTED_HEADING.match(first)
    if quoted:
        title = quoted.group("quote") + quoted.group("text").strip()
        return [Node("quoted", len(quoted.group("hashes")), title, title, start, start + 1)]
    nodes: list[Node] = []
    number = start
    while number < end:
        m = Q_PREFIX.match(lines[number])
        if not m:
            number += 1
            continue
        first_line = number
        question = [lines[number][m.end() :]]
        number += 1
        while number < end and not A_PREFIX.match(lines[number]):
            if Q_PREFIX.match(lines[number]):
                break
            question.append(lines[number])
            number += 1
        raw = _unbold(" ".join(part.strip() for part in question))
        nodes.append(
            Node("qline", INNER_LEVEL, plain_inline(raw), raw, first_line, number, q_form=True)
        )
    return nodes


def _details(lines: list[str], start: int, column: int = 0) -> tuple[Node, tuple[int, int]] | None:
    """A <details><summary>Q</summary>A</details> block opening on line `start` at `column`
    (0-based), wherever it ends; with the (line, column) just after its closing tag."""
    text = "\n".join(lines[start:])
    opened = _DETAILS_OPEN.match(text, column)
    summary = _SUMMARY.search(text, opened.end()) if opened else None
    if opened is None or summary is None or text[opened.end() : summary.start()].strip():
        return None
    depth, close = 1, None
    for m in _DETAILS_ANY.finditer(text, summary.end()):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            close = m
            break
    if close is None:
        return None
    # a line break GitHub READMEs put after the summary is layout, not the answer
    body = _LEADING_BREAK.sub("", text[summary.end() : close.start()].strip("\n"))
    body = textwrap.dedent(body.strip("\n")).strip()
    raw = _TAG.sub("", summary.group("text"))
    title, q_form = _strip_q(" ".join(raw.split()))
    close_line = start + text[: close.end()].count("\n")
    close_column = close.end() - (text.rfind("\n", 0, close.end()) + 1)
    node = Node(
        "details", INNER_LEVEL, title, raw.strip(), start, close_line + 1, q_form=q_form, body=body
    )
    return node, (close_line, close_column)


def _collapsible(lines: list[str], start: int) -> Node | None:
    """A mkdocs-material collapsible block from line `start`, `??? question "How do I …?"` (or
    `???+`, open) over its answer indented by four spaces: a question like a <details> block,
    its title the quoted one. A block without a title, and `!!!` admonitions, are text."""
    m = _COLLAPSIBLE.match(lines[start])
    if m is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    body = textwrap.dedent("\n".join(lines[start + 1 : end])).strip()
    raw = m.group("title")
    title, q_form = _strip_q(" ".join(raw.split()))
    return Node("details", INNER_LEVEL, title, raw, start, end, q_form=q_form, body=body)


def strip_answer_prefix(body: str) -> str:
    """An answer without its leading "A:" / "**A1:**" / "答：" prefix."""
    return A_PREFIX.sub("", body.lstrip("\n"), count=1)
