"""Knowledge-base files → entries. Parsing only: every problem becomes a Problem, nothing raises."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from faq.i18n import _
from faq.models import Entry, Problem

MAX_FILE_BYTES = 512 * 1024
ENTRY_KEYS = (
    "id",
    "section",
    "title",
    "questions",
    "errors",
    "tags",
    "related",
    "translated_from",
    "source_hash",
)
_LIST_KEYS = ("questions", "errors", "tags", "related")
_STR_KEYS = ("id", "section", "title", "translated_from", "source_hash")


@dataclass
class LoadResult:
    """Entries that parsed, problems of those that did not, and what was looked at."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    languages: tuple[str, ...] = ()


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as users want to read it: relative to the working directory when below it."""
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return os.path.relpath(path, root) if path.is_relative_to(root) else str(path)
        except ValueError:
            continue
    return str(path)


def entry_files(docs: Path, lang: str) -> list[Path]:
    """The entry files of one language: `docs/<lang>/<section>/<id>.md`, section pages excluded."""
    folder = docs / lang
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*/*.md")
        if p.name != "index.md" and not p.parent.name.startswith((".", "_"))
    )


def discover_languages(docs: Path) -> tuple[str, ...]:
    """The language folders of a knowledge base (folders named like `ko`, `zh-TW`)."""
    import re

    from faq.config import LANG_CODE

    return tuple(
        sorted(p.name for p in docs.iterdir() if p.is_dir() and re.match(LANG_CODE, p.name))
    )


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(yaml, body, body's first line number) or None when the file has no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return None


def _line_map(node: yaml.Node) -> dict[str, int]:
    """Line numbers (1-based, in the file) of each top-level key and each list item."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}[{i}]"] = item.start_mark.line + 2
    return lines


def read_text(path: Path, shown: str) -> tuple[str | None, Problem | None]:
    """The file's text, or the problem that stops it being read (huge, binary, not UTF-8)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(
                shown,
                1,
                _("file too large ({size} bytes, the limit is {limit})").format(
                    size=size, limit=MAX_FILE_BYTES
                ),
                rule="file-size",
            )
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(
            shown, 1, _("cannot read: {error}").format(error=exc.strerror), rule="io"
        )
    if b"\0" in data[:8192]:
        return None, Problem(shown, 1, _("binary file, not Markdown text"), rule="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            shown,
            line,
            _("not valid UTF-8 (byte {offset})").format(offset=exc.start),
            rule="encoding",
        )
    return text.removeprefix("\ufeff"), None


def parse_entry(path: Path, lang: str, shown: str) -> tuple[Entry | None, list[Problem]]:
    """Parse one entry file. Returns the entry (None if it cannot be built) and its problems."""
    text, problem = read_text(path, shown)
    if text is None:
        return None, [problem] if problem else []
    problems: list[Problem] = []
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            Problem(
                shown,
                1,
                _("missing front matter: the file must start with a '---' line"),
                rule="front-matter",
            )
        ]
    raw, body, body_line = parts
    body_line += len(body) - len(body.lstrip("\n"))
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
        meta: Any = yaml.safe_load(raw) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [
            Problem(shown, line, _("invalid YAML: {reason}").format(reason=reason), rule="yaml")
        ]
    if not isinstance(meta, dict):
        return None, [Problem(shown, 2, _("front matter must be a YAML mapping"), rule="yaml")]
    lines = _line_map(node) if node is not None else {}

    values: dict[str, Any] = {}
    for key in _STR_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and key != "title":
            value = str(value)
        if not isinstance(value, str):
            problems.append(
                Problem(
                    shown,
                    lines.get(key, 1),
                    _("{key!r} must be a string").format(key=key),
                    rule="type",
                )
            )
            continue
        values[key] = value.strip()
    for key in _LIST_KEYS:
        value = meta.get(key)
        if value is None:
            values[key] = ()
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(
                Problem(
                    shown,
                    lines.get(key, 1),
                    _("{key!r} must be a list of strings").format(key=key),
                    rule="type",
                )
            )
            values[key] = ()
            continue
        values[key] = tuple(v.strip() for v in value)
    for key in meta:
        if key not in ENTRY_KEYS:
            problems.append(
                Problem(
                    shown,
                    lines.get(str(key), 1),
                    _("unknown key {key!r}").format(key=str(key)),
                    severity="warning",
                    rule="unknown-key",
                )
            )
    for key in ("id", "title"):
        if not values.get(key):
            problems.append(
                Problem(shown, 2, _("missing {key!r}").format(key=key), rule=f"missing-{key}")
            )
    if problems and any(p.severity == "error" and p.rule.startswith("missing") for p in problems):
        return None, problems
    entry = Entry(
        id=values["id"],
        lang=lang,
        section=values.get("section") or path.parent.name,
        title=values["title"],
        body=body.strip("\n"),
        questions=values["questions"],
        errors=values["errors"],
        tags=values["tags"],
        related=values["related"],
        translated_from=values.get("translated_from") or None,
        source_hash=values.get("source_hash") if "source_hash" in meta else None,
        path=shown,
        lines=lines,
        body_line=body_line,
    )
    if "section" not in values:
        problems.append(Problem(shown, 2, _("missing 'section'"), rule="missing-section"))
    return entry, problems


def load(docs: Path, languages: tuple[str, ...], *, base: Path | None = None) -> LoadResult:
    """Every entry of every language under `docs`, with the problems found while parsing."""
    result = LoadResult(languages=languages)
    root = docs.resolve()
    for lang in languages:
        for path in entry_files(docs, lang):
            shown = display_path(path, base)
            result.files += 1
            # a symlinked file or section folder must not pull in files from elsewhere
            if not path.resolve().is_relative_to(root):
                result.problems.append(
                    Problem(
                        shown,
                        1,
                        _("symbolic link pointing outside the docs folder"),
                        rule="symlink",
                    )
                )
                continue
            entry, problems = parse_entry(path, lang, shown)
            result.problems.extend(problems)
            if entry is not None:
                result.entries.append(entry)
    return result
