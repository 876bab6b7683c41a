"""A FAQ page → the plan of an import: entries, sections, the home page's text (nothing written).

faq.page_shapes finds the question-like blocks and faq.page_parts tells questions from sections;
here they become entries (ids, sections, answers, error strings) and section and home pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from faq.boilerplate import NotAnAnswer, not_an_answer
from faq.content_tabs import flatten_content_tabs
from faq.error_strings import extract_errors
from faq.errors import ImporterError
from faq.i18n import N_, _, gettext
from faq.id_map import IdRule, match_rule, read_id_map
from faq.markdown import close_paragraph_tags, deepen_shallow_blocks, parser
from faq.page_parts import (
    Part,
    answer_body,
    asks,
    closing_remark,
    has_text,
    page_parts,
    text_of,
)
from faq.page_shapes import Node, Page, plain_inline, read_page
from faq.ref_links import carry_references, page_definitions
from faq.slugs import slug, unread_japanese
from faq.text import KANA, norm_key

__all__ = [
    "DEFAULT_SECTION",
    "IdRule",
    "ImportPlan",
    "ImportedEntry",
    "ImportedSection",
    "LeftOut",
    "plan_import",
    "read_id_map",
]

DEFAULT_SECTION = "general"
# an opening paragraph at least this long says what the page is (_opens_with_prose)
PROSE_CHARS = 60
GENERAL = N_("General")  # the title of the section of questions that come before any section


_TOLD_APART = re.compile(r"\s*\((.*)\)$")  # a section title's "(parent)" (see _new_section)


@dataclass(frozen=True)
class ImportedEntry:
    """One question of the page, as it will be written."""

    id: str
    section: str
    title: str
    body: str
    line: int  # 1-based line of the question in the source
    errors: tuple[str, ...] = ()  # the error messages the question and answer quote


@dataclass(frozen=True)
class ImportedSection:
    slug: str
    title: str
    intro: str
    line: int


@dataclass(frozen=True)
class LeftOut:
    """A question of the page left out as not an answer (see faq.boilerplate)."""

    title: str
    line: int  # 1-based line of the question in the source
    reason: NotAnAnswer


@dataclass
class ImportPlan:
    """What an import would write."""

    entries: list[ImportedEntry] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)  # not answers (unless keep_all)
    sections: list[ImportedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""  # the page's title: front matter `title`, else its first `#` heading
    intro: str = ""  # the text before the first question or section (home page)
    outro: str = ""  # a closing remark after the last `---`-separated answer (home page)


def plan_import(
    text: str,
    rules: list[IdRule] | None = None,
    *,
    lang: str | None = None,
    keep_all: bool = False,
) -> ImportPlan:
    """Split a FAQ page into sections and entries (nothing is written).

    A question whose answer is not one (links and images only, a licence notice: see
    faq.boilerplate) goes to `plan.left_out` instead, unless `keep_all`, its title asks ("?",
    "Q:") or the id map names it. Raises ImporterError when the page has no question, or when
    every question was left out.
    """
    page = read_page(text)
    parts = page_parts(page)
    plan = ImportPlan()
    plan.title = str(page.meta.get("title") or "").strip()
    first_line = parts[0].node.line if parts else len(page.lines)
    intro = [text_of(page, 0, first_line).strip()]
    questions = [p for p in parts if p.role == "question"]
    if not questions:
        raise ImporterError(
            _(
                "no questions found: nothing to import (write each question as a heading,"
                " a 'Q:' line or a <details><summary> block)"
            )
        )
    # the page's closing remark, after a `---` rule that ends the last answer
    last = questions[-1]
    last.end, plan.outro = closing_remark(page, last)
    definitions = page_definitions(page.lines)

    japanese = lang == "ja" if lang else None
    unused = list(rules or [])
    derived_ja: list[str] = []  # Japanese titles whose id is derived, not pinned by the map
    default = ImportedSection(DEFAULT_SECTION, "", "", 1)
    stack: list[tuple[int, bool, ImportedSection]] = []
    used_ids: set[str] = set()
    used_sections: dict[str, ImportedSection] = {}
    stray: dict[str, list[str]] = {}
    # a title that several questions share ("debug" under three option lists) is told apart by
    # its section's: "debug (Config)", so that a reader can tell the search results apart
    shared = Counter(norm_key(p.node.title) for p in parts if p.role == "question")
    for part in parts:
        node = part.node
        if part.role == "title":
            plan.title = plan.title or node.title
            intro.append(text_of(page, node.content_start, part.end).strip())
            continue
        if part.role == "absorbed":
            continue
        if part.role == "section" and node.kind != "heading":
            # a Q-line (or <details>, bold question) with no text, the headings under it asking
            # questions of their own: nothing answers it
            plan.warnings.append(
                _("line {line}: question {title!r} has no answer: left out").format(
                    line=node.line + 1, title=node.title
                )
            )
            continue
        if part.role == "section":
            while stack and stack[-1][0] >= node.level:
                stack.pop()
            section = _new_section(node, page, part, stack, plan.sections, japanese)
            plan.sections.append(section)
            stack.append((node.level, part.container, section))
            continue
        while stack and (
            stack[-1][0] > node.level or (stack[-1][0] == node.level and stack[-1][1])
        ):
            stack.pop()
        section = stack[-1][2] if stack else default
        title = node.title
        if shared[norm_key(title)] > 1 and section.title:
            # a section told apart itself ("Options (Parse)") reads "debug (Options, Parse)"
            title = "{} ({})".format(node.title, _TOLD_APART.sub(r", \1", section.title))
        rule = match_rule(node.raw, unused) or match_rule(node.title, unused) if rules else None
        body = answer_body(page, part)
        body = close_paragraph_tags(deepen_shallow_blocks(flatten_content_tabs(body)))
        if rule is None and not keep_all and not asks(node):
            reason = not_an_answer(body, node.title)
            if reason is not None:
                plan.left_out.append(LeftOut(node.title, node.line + 1, reason))
                _keep_section_text(page, part, section, used_sections, stray)
                continue
        carried = carry_references(body, definitions)
        body = carried.text
        for link in carried.undefined:
            plan.warnings.append(
                _(
                    "line {line}: reference link {link!r} is defined nowhere on the page: written"
                    " as plain text"
                ).format(line=node.line + 1, link=link)
            )
        if rules and rule is None:
            plan.warnings.append(
                _(
                    "line {line}: heading {title!r} matches no id in the map; imported with a"
                    " derived id"
                ).format(line=node.line + 1, title=node.title)
            )
        if rule is not None:
            unused.remove(rule)
            entry_id = rule.id
            entry_section = rule.section or section.slug
        else:
            fallback = f"entry-{len(plan.entries) + 1}"
            entry_id = slug(title, fallback=fallback, japanese=japanese)
            if japanese or (japanese is None and KANA.search(node.title)):
                derived_ja.append(node.title)
            entry_section = section.slug
        base, n = entry_id, 2
        while entry_id in used_ids:
            entry_id, n = f"{base}-{n}", n + 1
        used_ids.add(entry_id)
        used_sections.setdefault(entry_section, section)
        if node.body is not None and has_text(page, node.content_start, part.end):
            # text between two <details> blocks belongs to no question: keep it on the section page
            stray.setdefault(entry_section, []).append(text_of(page, node.content_start, part.end))
        if not body.strip():
            plan.warnings.append(
                _("line {line}: question {title!r} has no answer").format(
                    line=node.line + 1, title=node.title
                )
            )
        errors = tuple(extract_errors(node.title, node.raw, body))
        plan.entries.append(
            ImportedEntry(entry_id, entry_section, title, body, node.line + 1, errors)
        )
    if not plan.entries:
        raise ImporterError(
            _(
                "every question of the page was left out as not an answer (links or images"
                " only, a licence notice, release notes): --keep-all imports them"
            )
        )
    for rule in unused:
        plan.warnings.append(_("id {id!r} of the map matched no heading").format(id=rule.id))
    if count := unread_japanese(derived_ja):
        plan.warnings.append(
            _(
                "{count} Japanese title(s) have ids without their kanji and hiragana (a short"
                " hash instead): `pip install 'faq[ja]'` romanises them, or --ids pins them"
            ).format(count=count)
        )
    plan.intro = close_paragraph_tags("\n\n".join(t for t in intro if t))
    if not plan.title and not _opens_with_prose(page, first_line):
        # a README of several `#` sections ("# widget", "# Installation", …): its first `#`
        # heading is a question, and still the page's name; not when the page said what it is
        # before it ("Widget is a tool that …" over "# News"): the caller's title then
        plan.title = next(
            (p.node.title for p in parts if p.node.kind == "heading" and p.node.level == 1), ""
        )
    _keep_sections_with_text(plan.sections, used_sections)
    # a section named by the map takes the title and intro of the page section it came from
    plan.sections = [
        ImportedSection(
            slug_,
            page_section.title or _section_title(slug_, lang),
            "\n\n".join(t for t in (page_section.intro, *stray.get(slug_, [])) if t.strip()),
            page_section.line,
        )
        for slug_, page_section in used_sections.items()
    ]
    return plan


def _opens_with_prose(page: Page, end: int) -> bool:
    """Whether the page's lines before `end` hold a paragraph of its own words: at least
    PROSE_CHARS of text, not badges or links to its translations, not a licence notice."""
    tokens = parser(tables=True).parse("\n".join(page.lines[:end]))
    return any(
        len(plain_inline(inline.content)) >= PROSE_CHARS and not_an_answer(inline.content) is None
        for block, inline in zip(tokens, tokens[1:], strict=False)
        if block.type == "paragraph_open" and block.level == 0
    )


def _new_section(
    node: Node,
    page: Page,
    part: Part,
    stack: list[tuple[int, bool, ImportedSection]],
    sections: list[ImportedSection],
    japanese: bool | None,
) -> ImportedSection:
    """The section a heading opens. A title that an earlier section has ("Options" under both
    "Parse" and "Config") is told apart by the enclosing section's: "Options (Parse)",
    `parse-options`, and a `-2` where that is not enough."""
    title = node.title
    fallback = f"section-{len(sections) + 1}"
    slug_ = slug(title, fallback=fallback, japanese=japanese)
    taken = {s.slug for s in sections}
    if slug_ in taken and stack:
        parent = stack[-1][2].title
        title = f"{node.title} ({parent})"
        slug_ = slug(f"{parent} {node.title}", fallback=fallback, japanese=japanese)
    base, n = slug_, 2
    while slug_ in taken:
        slug_, n = f"{base}-{n}", n + 1
    intro = text_of(page, node.content_start, part.end)
    intro = close_paragraph_tags(deepen_shallow_blocks(flatten_content_tabs(intro)))
    return ImportedSection(slug_, title, intro, node.line + 1)


def _keep_sections_with_text(
    sections: list[ImportedSection], used: dict[str, ImportedSection]
) -> None:
    """Add to `used` the sections of the page that have text of their own but no entry (their
    questions all sit in deeper sections), where they stand in the page, so that their text
    is not lost."""
    kept = list(used.items())
    for section in sections:
        if not section.intro.strip() or any(s is section for s in used.values()):
            continue
        at = next((i for i, (_k, s) in enumerate(kept) if s.line > section.line), len(kept))
        kept.insert(at, (section.slug, section))
    used.clear()
    used.update(kept)


def _keep_section_text(
    page: Page,
    part: Part,
    section: ImportedSection,
    used: dict[str, ImportedSection],
    stray: dict[str, list[str]],
) -> None:
    """A question left out does not take the text after its <details> block (which belongs to
    the section) with it: the section page keeps it."""
    node = part.node
    if node.body is not None and has_text(page, node.content_start, part.end):
        stray.setdefault(section.slug, []).append(text_of(page, node.content_start, part.end))
        used.setdefault(section.slug, section)


def _section_title(slug_: str, lang: str | None) -> str:
    if slug_ == DEFAULT_SECTION:
        return gettext(GENERAL, lang or "en")
    return slug_
