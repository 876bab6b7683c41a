"""A FAQ page's question-like blocks (faq.page_shapes) as parts of an import: which is a
question, a section or the page title, and where each one's own text ends.

A heading with text of its own is a question, one with only deeper headings (or no text at all)
a section, and one with deeper headings and text that answers something itself
(faq.boilerplate.stands_alone) both a section and its first entry; a question whose sub-headings
don't ask ("### On Linux") takes them into its answer. faq.import_plan turns the parts into entries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from faq.boilerplate import stands_alone
from faq.markdown import parser
from faq.page_shapes import Node, Page, strip_answer_prefix
from faq.text import CJK_RUN

# variants of one answer (_variants): one-word titles of at most this many characters, each over
# code and at most this many characters of prose (spaces aside): an install command per tool
VARIANT_TITLE_CHARS, VARIANT_PROSE_CHARS = 16, 40

__all__ = [
    "Part",
    "answer_body",
    "asks",
    "closing_remark",
    "has_text",
    "looks_like_question",
    "page_parts",
    "text_of",
]


@dataclass
class Part:
    """A node of the page as the plan sees it: a question, a section, or the page title."""

    node: Node
    end: int  # 0-based line where its own text ends (exclusive)
    role: str = "question"  # "question", "section", "title" or "absorbed"
    container: bool = False  # a section that holds deeper headings


def looks_like_question(node: Node) -> bool:
    return node.q_form or node.kind != "heading" or asks(node)


def asks(node: Node) -> bool:
    """Written as a question: "Q: …" or ending with a question mark."""
    return node.q_form or node.title.rstrip().endswith(("?", "？"))


def text_of(page: Page, start: int, end: int) -> str:
    return "\n".join(page.lines[start:end]).strip("\n")


def has_text(page: Page, start: int, end: int) -> bool:
    return any(page.lines[n].strip() and n not in page.rules for n in range(start, end))


def page_parts(page: Page) -> list[Part]:
    """Each node with the extent of its own text and its role."""
    nodes = page.nodes
    parts = [
        Part(n, nodes[i + 1].line if i + 1 < len(nodes) else len(page.lines))
        for i, n in enumerate(nodes)
    ]
    for i, part in enumerate(parts):
        if part.role == "absorbed":
            continue
        node = part.node
        own = node.body.strip() != "" if node.body is not None else None
        if own is None:
            own = has_text(page, node.content_start, part.end)
        kids = []
        for later in parts[i + 1 :]:
            if later.node.level <= node.level:
                break
            kids.append(later)
        if node.q_form and not own and not kids:
            # "Q: How to migrate?" over "### Build system", "### Environments": the question's
            # answer is the headings under it, up to the next heading of its own section's level
            kids = _headings_under_q(parts, i)
            own = bool(kids)
        first = i == 0 and node.kind == "heading" and node.level == 1
        if first and (kids or not own) and len(nodes) > 1:
            part.role = "title"
        elif first and len(nodes) == 1 and not looks_like_question(node):
            part.role = "title"  # "# FAQ" over text and nothing else: a page without questions
        elif not kids:
            part.role = "question" if own else "section"
        elif (
            own and looks_like_question(node) and not any(looks_like_question(k.node) for k in kids)
        ) or _variants(page, kids):
            # a question whose answer has sub-headings ("### On Linux", "### On macOS"), or a
            # heading over short variants of one answer ("### npm", "### yarn", "### pnpm")
            for kid in kids:
                kid.role = "absorbed"
            part.end = kids[-1].end
        else:
            part.role, part.container = "section", True
    # a section whose own text answers something itself (an "Installation" section with the
    # command above its questions) is also an entry, first in it, so that the text is searchable
    out: list[Part] = []
    for part in parts:
        out.append(part)
        text = text_of(page, part.node.content_start, part.end)
        if part.role == "section" and part.container and stands_alone(text):
            out.append(Part(replace(part.node, level=part.node.level + 1), part.end))
            part.end = part.node.content_start
    return out


def _variants(page: Page, kids: list[Part]) -> bool:
    """Whether `kids` are variants of one answer rather than questions: at least two headings
    without headings under them, none asking, each named in one Latin word (VARIANT_TITLE_CHARS
    at most) over a code block and little else (VARIANT_PROSE_CHARS): `npm`, `yarn` and `pnpm`
    over their install commands, `Linux` and `macOS` over theirs. As entries of their own, a
    one-word title answers every question that names it ("npm install fails with EACCES" →
    `npm`). A title of two words or in Chinese, Japanese or Korean ("Login fails", "登录失败")
    may be a problem stated, and a word over prose an option described (`timeout`): they stay
    questions."""
    if len(kids) < 2:
        return False
    for n, kid in enumerate(kids):
        node = kid.node
        deeper = n + 1 < len(kids) and kids[n + 1].node.level > node.level
        title = node.title.strip()
        text = text_of(page, node.content_start, kid.end)
        blocks = parser().parse(text)
        prose = "".join(t.content for t in blocks if t.type == "inline")
        if (
            node.kind != "heading"
            or deeper
            or looks_like_question(node)
            or len(title) > VARIANT_TITLE_CHARS
            or len(title.split()) > 1
            or CJK_RUN.search(title)
            or not any(t.type in ("fence", "code_block") for t in blocks)
            or len("".join(prose.split())) > VARIANT_PROSE_CHARS
        ):
            return False
    return True


def _headings_under_q(parts: list[Part], i: int) -> list[Part]:
    """The heading parts right after the answerless Q-line `parts[i]`, deeper than the heading
    it sits under (all of them on a page without one); none when one of them asks itself."""
    above = next(
        (p.node.level for p in reversed(parts[:i]) if p.node.kind == "heading"),
        0,
    )
    kids: list[Part] = []
    for later in parts[i + 1 :]:
        if later.node.kind != "heading" or later.node.level <= above:
            break
        kids.append(later)
    return [] if any(looks_like_question(k.node) for k in kids) else kids


def answer_body(page: Page, part: Part) -> str:
    node = part.node
    if node.body is not None:
        body = node.body
    else:
        end = part.end
        while end > node.content_start and not page.lines[end - 1].strip():
            end -= 1
        while end > node.content_start and (end - 1) in page.rules:  # a "---" separator
            end -= 1
            while end > node.content_start and not page.lines[end - 1].strip():
                end -= 1
        body = text_of(page, node.content_start, end)
    return strip_answer_prefix(body) if node.q_form else body


def closing_remark(page: Page, part: Part) -> tuple[int, str]:
    """(where the last answer ends, the page's closing remark): the text after a top-level `---`
    rule in the last answer, if any."""
    rules = [n for n in sorted(page.rules) if part.node.content_start <= n < part.end]
    if not rules:
        return part.end, ""
    remark = text_of(page, rules[-1] + 1, part.end).strip()
    return rules[-1], remark
