"""A flat FAQ page (one heading per question) → one entry file per question."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.errors import ImporterError
from faq.i18n import _
from faq.markdown import classify
from faq.text import ID_PATTERN, MAX_ID_LENGTH

DEFAULT_SECTION = "general"
# a question written as a quoted line: "## NotFoundError: …"
_QUOTED_HEADING = re.compile(r"""^\s*(?P<quote>["“'])\s*(?P<hashes>#{1,6})\s+(?P<text>.+)$""")


@dataclass(frozen=True)
class IdRule:
    """One row of an id map: a heading pattern ('…' matches anything) → id (and section)."""

    heading: str
    id: str
    section: str | None = None

    def pattern(self) -> re.Pattern[str]:
        parts = [re.escape(_norm(p)) for p in self.heading.split("…")]
        return re.compile(".*".join(p for p in parts), re.DOTALL)


@dataclass(frozen=True)
class ImportedEntry:
    id: str
    section: str
    title: str
    body: str
    line: int  # 1-based line of the heading in the source


@dataclass(frozen=True)
class ImportedSection:
    slug: str
    title: str
    intro: str
    line: int


@dataclass
class ImportPlan:
    """What an import would write."""

    entries: list[ImportedEntry] = field(default_factory=list)
    sections: list[ImportedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.strip().strip("\"'“”‘’").strip()
    return " ".join(text.split())


def slug(text: str, *, fallback: str) -> str:
    """An ASCII slug (transliterated) for ids and section folders."""
    from slugify import slugify

    value: str = slugify(text, max_length=MAX_ID_LENGTH, word_boundary=True)
    return value if value and ID_PATTERN.match(value) else fallback


def read_id_map(path: Path) -> list[IdRule]:
    """Read an id map: a Markdown table with `id`, `section` and a heading column, or
    `heading<TAB>id[<TAB>section]` lines."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImporterError(
            _("cannot read id map {path}: {error}").format(path=path, error=exc)
        ) from None
    rules: list[IdRule] = []
    header: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("|"):
            cells = [c.strip().strip("`").strip() for c in line.strip("|").split("|")]
            if header is None:
                header = [c.lower() for c in cells]
                continue
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                continue
            cols = _columns(header, path, number)
            if max(cols) >= len(cells):
                raise ImporterError(
                    _("{path}:{line}: table row has too few cells").format(path=path, line=number)
                )
            rules.append(
                IdRule(cells[cols[2]], cells[cols[0]], cells[cols[1]] if cols[1] >= 0 else None)
            )
        elif "\t" in raw:
            parts = [p.strip() for p in raw.split("\t")]
            rules.append(IdRule(parts[0], parts[1], parts[2] if len(parts) > 2 else None))
        elif line and header is not None and rules:
            header = None  # the table ended
    if not rules:
        raise ImporterError(
            _(
                "{path}: no id map found (a Markdown table with 'id' and heading columns,"
                " or heading<TAB>id lines)"
            ).format(path=path)
        )
    for rule in rules:
        if not ID_PATTERN.match(rule.id):
            raise ImporterError(
                _("{path}: ill-formed id {id!r} in the id map").format(path=path, id=rule.id)
            )
    return rules


def _columns(header: list[str], path: Path, line: int) -> tuple[int, int, int]:
    try:
        id_col = header.index("id")
    except ValueError:
        raise ImporterError(
            _("{path}:{line}: the table has no 'id' column").format(path=path, line=line)
        ) from None
    section_col = header.index("section") if "section" in header else -1
    for i, name in enumerate(header):
        if any(word in name for word in ("heading", "question", "title")):
            return id_col, section_col, i
    raise ImporterError(
        _("{path}:{line}: the table has no heading/question column").format(path=path, line=line)
    )


def _headings(text: str) -> list[tuple[int, int, str]]:
    """(0-based line, level, text) of every level-1/2 heading, quoted-line questions included."""
    found: list[tuple[int, int, str]] = []
    for line in classify(text):
        if line.in_code:
            continue
        if line.heading and line.heading[0] <= 2:
            found.append((line.number, line.heading[0], line.heading[1]))
            continue
        quoted = _QUOTED_HEADING.match(line.text)
        if quoted and len(quoted.group("hashes")) <= 2:
            q = quoted.group("quote")
            found.append((line.number, len(quoted.group("hashes")), q + quoted.group("text")))
    return found


def plan_import(text: str, rules: list[IdRule] | None = None) -> ImportPlan:
    """Split a flat FAQ page into sections and entries (nothing is written)."""
    plan = ImportPlan()
    lines = text.splitlines()
    heads = _headings(text)
    if not heads:
        raise ImporterError(_("no '#' or '##' headings found: nothing to import"))
    question_level = 2 if any(level == 2 for _n, level, _t in heads) else 1
    blocks = []
    for i, (number, level, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(lines)
        body = "\n".join(lines[number + 1 : end]).strip("\n")
        blocks.append((number, level, title, body))

    unused = list(rules or [])
    section = ImportedSection(DEFAULT_SECTION, "", "", 1)
    used_ids: set[str] = set()
    used_sections: dict[str, ImportedSection] = {}
    for index, (number, level, title, body) in enumerate(blocks):
        rule = _match(title, unused) if rules else None
        is_question = rule is not None or (
            level == question_level and body.strip() != "" and not rules
        )
        if rules and rule is None and level == question_level and body.strip():
            plan.warnings.append(
                _(
                    "line {line}: heading {title!r} matches no id in the map; imported with a"
                    " derived id"
                ).format(line=number + 1, title=title)
            )
            is_question = True
        if not is_question:
            # a section title (or the page title, when a question follows at once)
            page_title = index == 0 and level < question_level and not body.strip()
            page_title = page_title or (index == 0 and level == 1 and len(heads) > 1)
            if page_title and not plan.entries:
                section = ImportedSection(DEFAULT_SECTION, title, body, number + 1)
            else:
                slug_ = slug(title, fallback=f"section-{len(plan.sections) + 1}")
                section = ImportedSection(slug_, title, body, number + 1)
            plan.sections.append(section)
            continue
        if rule is not None:
            unused.remove(rule)
            entry_id = rule.id
            entry_section = rule.section or section.slug
        else:
            entry_id = slug(title, fallback=f"entry-{len(plan.entries) + 1}")
            entry_section = section.slug
        base, n = entry_id, 2
        while entry_id in used_ids:
            entry_id, n = f"{base}-{n}", n + 1
        used_ids.add(entry_id)
        used_sections.setdefault(entry_section, section)
        if not body.strip():
            plan.warnings.append(
                _("line {line}: question {title!r} has no answer").format(
                    line=number + 1, title=title
                )
            )
        plan.entries.append(ImportedEntry(entry_id, entry_section, title, body, number + 1))
    for rule in unused:
        plan.warnings.append(_("id {id!r} of the map matched no heading").format(id=rule.id))
    # a section named by the map takes the title and intro of the page section it came from
    plan.sections = [
        ImportedSection(slug_, page.title or slug_, page.intro, page.line)
        for slug_, page in used_sections.items()
    ]
    return plan


def _match(title: str, rules: list[IdRule]) -> IdRule | None:
    norm = _norm(title)
    for rule in rules:
        if _norm(rule.heading) == norm:
            return rule
    candidates = [r for r in rules if r.pattern().match(norm)]
    if not candidates:
        return None
    return max(candidates, key=lambda r: len(r.heading))


def render_entry(entry: ImportedEntry) -> str:
    """The file text of one imported entry."""
    meta = {
        "id": entry.id,
        "section": entry.section,
        "title": entry.title,
        "questions": [],
        "errors": [],
        "tags": [],
        "related": [],
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{entry.body.strip()}\n"


def _render_section(section: ImportedSection) -> str:
    front = yaml.safe_dump({"title": section.title}, allow_unicode=True, width=1000)
    intro = section.intro.strip()
    return f"---\n{front}---\n" + (f"\n{intro}\n" if intro else "")


def import_page(
    source: Path,
    lang: str,
    out: Path,
    *,
    id_map: Path | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import `source` into `out/<lang>/<section>/<id>.md`. Refuses to overwrite unless `force`."""
    try:
        text = source.read_text("utf-8")
    except FileNotFoundError:
        raise ImporterError(_("file not found: {path}").format(path=source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImporterError(
            _("cannot read {path}: {error}").format(path=source, error=exc)
        ) from None
    rules = read_id_map(id_map) if id_map else None
    plan = plan_import(text, rules)
    report = ImportReport(warnings=list(plan.warnings))
    targets = [(out / lang / e.section / f"{e.id}.md", render_entry(e)) for e in plan.entries]
    existing = [p for p, _text in targets if p.exists()]
    if existing and not force:
        raise ImporterError(
            _(
                "{count} file(s) already exist, e.g. {path}: nothing written (use --force to"
                " overwrite)"
            ).format(count=len(existing), path=existing[0])
        )
    pages = [(out / lang / s.slug / "index.md", _render_section(s)) for s in plan.sections]
    for path, content in targets + pages:
        if path.name == "index.md" and path.exists() and not force:
            report.kept.append(path)
            continue
        if not dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, "utf-8")
        report.written.append(path)
    return report
