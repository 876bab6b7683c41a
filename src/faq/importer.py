"""`faq import`: write an import plan as entry files, section pages and the language's home page.

The plan comes from faq.import_plan. Links into the original site (relative links, which would
break the strict site build) are rewritten to absolute URLs with `base_url`, else written as
plain text and reported; links to a question of the same page (`#how-do-i-reset`) point to its
entry. Placeholders that `faq init` wrote are replaced.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

import yaml

from faq.errors import ImporterError
from faq.i18n import _, format_percent
from faq.import_plan import (
    DEFAULT_SECTION,
    IdRule,
    ImportedEntry,
    ImportedSection,
    ImportPlan,
    LeftOut,
    plan_import,
    read_id_map,
)
from faq.links import absolute, is_page_anchor, is_relative, rewrite_links
from faq.markdown import link_targets
from faq.ref_links import carry_references
from faq.text import display_width, fit_columns

__all__ = [
    "DEFAULT_SECTION",
    "PLACEHOLDER",
    "IdRule",
    "ImportPlan",
    "ImportReport",
    "ImportedEntry",
    "ImportedSection",
    "LeftOut",
    "import_page",
    "left_out_notes",
    "plan_import",
    "plan_table",
    "read_id_map",
    "render_entry",
]

RST_SUFFIXES = (".rst", ".rest")  # reStructuredText: a Sphinx FAQ page, a Python README
# the first line of a page that `faq init` wrote as a stand-in; `faq import` replaces such pages
PLACEHOLDER = (
    "<!-- faq init: a placeholder that faq import replaces; delete this line to keep it -->"
)


@dataclass
class ImportReport:
    """What an import wrote (or would write), kept, removed, and what to tell the user."""

    plan: ImportPlan
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # placeholders of `faq init`
    warnings: list[str] = field(default_factory=list)


def render_entry(entry: ImportedEntry) -> str:
    """The file text of one imported entry."""
    meta = {
        "id": entry.id,
        "section": entry.section,
        "title": entry.title,
        "questions": [],
        "errors": list(entry.errors),
        "tags": [],
        "related": [],
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{entry.body.strip()}\n"


def _render_page(title: str, *texts: str) -> str:
    front = yaml.safe_dump({"title": title}, allow_unicode=True, width=1000)
    body = "\n\n".join(t.strip() for t in texts if t.strip())
    return f"---\n{front}---\n" + (f"\n{body}\n" if body else "")


def _contents(text: str, folder: str, links: list[tuple[str, str]]) -> str:
    """A list of `links` (title, target relative to `folder`) that `text` does not link yet.

    The site's navigation lists sections in the order the home page links them and entries in
    the order their section page links them (faq.site_nav); without these lists it would sort
    them by file name, not in the order of the imported page."""
    linked = {posixpath.normpath(posixpath.join(folder, href)) for href in link_targets(text)}
    lines = [
        f"- [{_escape(title)}]({target})"
        for title, target in links
        if posixpath.normpath(posixpath.join(folder, target)) not in linked
    ]
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>]")


def _escape(text: str) -> str:
    """Plain `text` as Markdown link text that reads the same."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _anchor(title: str) -> str:
    """The anchor a heading had on the original page (GitHub's and Python-Markdown's rule)."""
    text = unicodedata.normalize("NFKC", title).lower()
    return re.sub(r"[^\w\- ]", "", text).strip().replace(" ", "-")


class _Links:
    """Rewrites the links of each page written, and collects the reports about them."""

    def __init__(self, plan: ImportPlan, lines: list[str], base_url: str | None, quiet: bool):
        self.anchors = {_anchor(s.title): f"{s.slug}/index.md" for s in plan.sections}
        self.anchors.update({_anchor(e.title): f"{e.section}/{e.id}.md" for e in plan.entries})
        self.lines, self.base_url, self.quiet = lines, base_url, quiet
        self.reports: list[tuple[int, str]] = []  # (source line, warning)
        # (text's first line, href) → (0-based line, links on it) reported so far
        self._after: dict[tuple[int, str], tuple[int, int]] = {}
        self.unlinked = 0

    def apply(self, text: str, folder: str, line: int) -> str:
        """`text` of a page in `folder` (relative to the language folder; "" for the home page),
        taken from the source from 1-based `line` on."""

        def change(href: str, image: bool) -> str | None:
            if is_page_anchor(href):
                # GitHub writes the anchor of a non-ASCII heading percent-encoded in its own
                # tables of contents: `#%E8%A8%98%E4%BA%8B` is `#記事`
                target = self.anchors.get(unquote(href[1:]).lower())
                return posixpath.relpath(target, folder or ".") if target else None
            if not is_relative(href):
                return None
            if self.base_url:
                return absolute(self.base_url, href)
            self.unlinked += 1
            if not self.quiet:
                at = self._line_of(href, line)
                self.reports.append(
                    (
                        at,
                        _(
                            "line {line}: link {href!r} points into the original site: written"
                            " as plain text (--base-url URL links there instead)"
                        ).format(line=at, href=href),
                    )
                )
            return ""

        # a reference whose definition was written as plain text above reads as its text too
        return carry_references(rewrite_links(text, change), {}).text

    @property
    def warnings(self) -> list[str]:
        """The reports in the order of the source's lines (pages are written entries first)."""
        return [text for _line, text in sorted(self.reports, key=lambda r: r[0])]

    def _line_of(self, href: str, start: int) -> int:
        """The 1-based source line of `href` in the text taken from line `start`: a link the
        text repeats is looked for after the place reported for it before."""
        wiki = href.split("#", 1)[0].replace("-", " ")  # [[Page name]] → Page-name
        last, seen = self._after.get((start, href), (max(start - 1, 0), 0))
        for number in range(last, len(self.lines)):
            line = self.lines[number]
            count = line.count(href) if href in line else ("[[" in line) * line.count(wiki)
            if count > (seen if number == last else 0):
                self._after[(start, href)] = (number, seen + 1 if number == last else 1)
                return number + 1
        return start


# mkdocs-macros' `{% include "x.yml" %}`, pymdownx.snippets' `--8<-- "x.md"`
_INCLUDE = re.compile(r"\{%-?\s*include\s[^%]*%\}|^\s*-{1,2}8<-{1,2}(?:\s|$)")


def _includes(lines: list[str]) -> list[tuple[int, str]]:
    """(1-based line, warning) for each line that pulls in a file of the page's own site: the
    entry keeps the line as written, and a reader would see it instead of the file."""
    return [
        (
            number,
            _(
                "line {line}: {text!r} includes a file of the original site (a mkdocs macro or"
                " snippet): kept as written, without the file"
            ).format(line=number, text=line.strip()),
        )
        for number, line in enumerate(lines, 1)
        if _INCLUDE.search(line)
    ]


def _read(source: Path) -> str:
    try:
        return source.read_text("utf-8")
    except FileNotFoundError:
        raise ImporterError(_("file not found: {path}").format(path=source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImporterError(
            _("cannot read {path}: {error}").format(path=source, error=exc)
        ) from None


def _is_placeholder(path: Path) -> bool:
    try:
        return PLACEHOLDER in path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def import_page(
    source: Path,
    lang: str,
    out: Path,
    *,
    id_map: Path | None = None,
    force: bool = False,
    dry_run: bool = False,
    base_url: str | None = None,
    unlink: bool = False,
    keep_all: bool = False,
    title: str | None = None,
) -> ImportReport:
    """Import `source` into `out/<lang>/<section>/<id>.md`, with a section page per section and
    the home page `out/<lang>/index.md`. Existing entry files are never overwritten unless
    `force` (ImporterError, nothing written); existing pages are kept, unless `force` or a
    placeholder of `faq init`. `base_url`: the URL the page was published at, against which its
    relative links are resolved; otherwise they become plain text (reported unless `unlink`).
    Questions whose answers are not answers are left out (`report.plan.left_out`) unless
    `keep_all` (see faq.boilerplate). `title`: the home page's title when the page names none
    (default: the file's name).
    """
    text = _read(source)
    rules = read_id_map(id_map) if id_map else None
    rst = source.suffix.lower() in RST_SUFFIXES
    # read as Markdown, a reStructuredText FAQ loses its "Why?\n++++" questions into one entry
    hint = (
        _(
            "{name} is reStructuredText and faq import reads Markdown: convert it first, e.g."
            " `pandoc -f rst -t gfm -o FAQ.md {name}`"
        ).format(name=source.name)
        if rst
        else ""
    )
    try:
        plan = plan_import(text, rules, lang=lang, keep_all=keep_all)
    except ImporterError as error:
        if rst:
            raise ImporterError(_("{error}; {hint}").format(error=error, hint=hint)) from None
        raise
    links = _Links(plan, text.splitlines(), base_url, unlink)
    report = ImportReport(plan, warnings=[hint, *plan.warnings] if rst else list(plan.warnings))
    folder = out / lang
    targets = [
        (
            folder / e.section / f"{e.id}.md",
            render_entry(_relinked(e, links)),
        )
        for e in plan.entries
    ]
    existing = [p for p, _text in targets if p.exists() and not _is_placeholder(p)]
    if existing and not force and not dry_run:
        raise ImporterError(
            _(
                "{count} file(s) already exist, e.g. {path}: nothing written (use --force to"
                " overwrite)"
            ).format(count=len(existing), path=existing[0])
        )
    if existing and not force:
        # a dry run still shows the plan: checking it again after an import is its use
        report.warnings.append(
            _(
                "{count} file(s) already exist, e.g. {path}: without --force the import would"
                " write nothing"
            ).format(count=len(existing), path=existing[0])
        )
    pages = []
    for s in plan.sections:
        intro = links.apply(s.intro, s.slug, s.line)
        entries = [(e.title, f"{e.id}.md") for e in plan.entries if e.section == s.slug]
        page = _render_page(s.title, intro, _contents(intro, s.slug, entries))
        pages.append((folder / s.slug / "index.md", page))
    intro = links.apply(plan.intro, "", 1)
    sections = [(s.title, f"{s.slug}/index.md") for s in plan.sections]
    home = _render_page(
        plan.title or title or source.stem,
        intro,
        _contents(intro, "", sections),
        links.apply(plan.outro, "", 1),
    )
    pages.append((folder / "index.md", home))
    links.reports.extend(_includes(text.splitlines()))  # in the page's order with the links'
    report.warnings.extend(links.warnings)
    if unlink and links.unlinked:
        report.warnings.append(
            _("{count} link(s) into the original site written as plain text").format(
                count=links.unlinked
            )
        )
    written = {p for p, _text in targets + pages}
    if folder.is_dir():
        for path in sorted(folder.glob("*/*.md"), key=lambda p: (p.parent, p.name == "index.md")):
            if path in written or not _is_placeholder(path):
                continue
            if path.name == "index.md" and any(
                p not in report.removed for p in path.parent.glob("*.md") if p != path
            ):
                continue  # the section page of entries that stay
            report.removed.append(path)
            if not dry_run:
                path.unlink()
                if not any(path.parent.iterdir()):
                    path.parent.rmdir()
    for path, content in targets + pages:
        if path.name == "index.md" and path.exists() and not force and not _is_placeholder(path):
            report.kept.append(path)
            continue
        if not dry_run:
            _write(path, content)
        report.written.append(path)
    return report


def _write(path: Path, content: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    except OSError as exc:  # a file where a folder goes, a read-only or full disk
        raise ImporterError(
            _("cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None


def _relinked(entry: ImportedEntry, links: _Links) -> ImportedEntry:
    return replace(entry, body=links.apply(entry.body, entry.section, entry.line))


def left_out_notes(plan: ImportPlan) -> list[str]:
    """One line per question the plan left out as not an answer, then a line on how to keep
    them; no lines when none was left out."""
    notes = []
    for item in plan.left_out:
        why = {
            "links": _("links and images make up {share} of its text").format(
                share=format_percent(item.reason.share)
            ),
            "licence": _("a licence notice"),
            "releases": _("release notes (a version or a date, or a list of dated items)"),
        }[item.reason.kind]
        notes.append(
            _("left out line {line} {title!r}: {why}").format(
                line=item.line, title=item.title, why=why
            )
        )
    if notes:
        notes.append(
            _("{count} section(s) left out as not answers (--keep-all imports them)").format(
                count=len(plan.left_out)
            )
        )
    return notes


def plan_table(plan: ImportPlan, *, title_width: int = 48) -> list[str]:
    """The entries of a plan as the lines of a text table: title, id, section, answer length
    (characters) and the number of error strings found."""
    head = (_("title"), _("id"), _("section"), _("answer"), _("errors"))
    rows = [(e.title, e.id, e.section, str(len(e.body)), str(len(e.errors))) for e in plan.entries]
    widths = [
        min(title_width, max(display_width(r[0]) for r in [head, *rows])),
        *(max(display_width(r[i]) for r in [head, *rows]) for i in range(1, 5)),
    ]
    lines = []
    for n, row in enumerate([head, *rows]):
        cells = [
            fit_columns(row[0], widths[0]),
            fit_columns(row[1], widths[1]),
            fit_columns(row[2], widths[2]),
        ]
        cells += [" " * (widths[i] - display_width(row[i])) + row[i] for i in (3, 4)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
