"""Id maps of `faq import --ids`: which heading of the page gets which id (and section).

A Markdown table with `id`, `section` and a heading column, or `heading<TAB>id[<TAB>section]`
lines; a heading pattern may hold `…`, which matches anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from faq.errors import ImporterError
from faq.i18n import _
from faq.text import ID_PATTERN

__all__ = ["IdRule", "match_rule", "read_id_map"]


@dataclass(frozen=True)
class IdRule:
    """One row of an id map: a heading pattern ('…' matches anything) → id (and section)."""

    heading: str
    id: str
    section: str | None = None

    def pattern(self) -> re.Pattern[str]:
        parts = [re.escape(_norm(p)) for p in self.heading.split("…")]
        return re.compile(".*".join(p for p in parts), re.DOTALL)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.strip().strip("\"'“”‘’").strip()
    return " ".join(text.split())


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


def match_rule(title: str, rules: list[IdRule]) -> IdRule | None:
    """The rule of `rules` for a heading: the one that names it exactly, else the longest
    pattern that matches it; None when none does."""
    norm = _norm(title)
    for rule in rules:
        if _norm(rule.heading) == norm:
            return rule
    candidates = [r for r in rules if r.pattern().match(norm)]
    if not candidates:
        return None
    return max(candidates, key=lambda r: len(r.heading))
