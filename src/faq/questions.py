"""`faq questions add`: write alternate questions into an entry file, changing nothing else.

The front matter is edited as text at the place the YAML parser says the `questions` list is
(PyYAML's node marks), so every other byte of the file — comments, quoting, key order, flow or
block style — stays as the maintainer wrote it; the result is parsed again and checked before it
is written (atomically: a temporary file, then a rename).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from faq.errors import NotFoundError, QueryError
from faq.i18n import _
from faq.loader import entry_files, split_front_matter
from faq.text import clean_question, norm_key


@dataclass(frozen=True)
class Added:
    """What `add_questions` did to one file."""

    path: Path
    added: tuple[str, ...]  # the questions written, in order
    skipped: tuple[str, ...]  # already there (same text after normalisation), or the title


def find_entry_file(docs: Path, entry_id: str, lang: str) -> Path:
    """The file of entry `entry_id` in `lang`. Raises NotFoundError."""
    for path in entry_files(docs, lang):
        if path.stem == entry_id:
            return path
    raise NotFoundError(_("no entry {id!r} in {lang}").format(id=entry_id, lang=lang))


def _scalar(text: str) -> str:
    """`text` as one YAML flow scalar, quoted only when it must be."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000, default_flow_style=True)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _mapping(raw: str) -> yaml.MappingNode:
    node = yaml.compose(raw, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        raise QueryError(_("the front matter is not a YAML mapping"))
    return node


def _insert(raw: str, new: list[str]) -> str:
    """The front matter `raw` with `new` appended to its `questions` list."""
    node = _mapping(raw)
    lines = raw.splitlines(keepends=True)
    items = [_scalar(q) for q in new]
    for key, value in node.value:
        if key.value != "questions":
            continue
        if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
            last = value.value[-1]
            item_line = lines[last.start_mark.line]
            dash = item_line.rfind("-", 0, last.start_mark.column)
            indent = item_line[:dash] if dash >= 0 else "  "
            at = last.end_mark.line + (1 if last.end_mark.column > 0 else 0)
            while at > 0 and not lines[at - 1].strip():
                at -= 1  # after the last item, not after blank lines that follow it
            added = "".join(f"{indent}- {item}\n" for item in items)
            return "".join(lines[:at]) + added + "".join(lines[at:])
        if isinstance(value, yaml.SequenceNode) and value.flow_style:
            start, end = value.start_mark, value.end_mark
            if start.line != end.line:
                raise QueryError(_("a multi-line flow list of questions cannot be edited"))
            line = lines[start.line]
            inner = line[start.column + 1 : end.column - 1].strip()
            joined = ", ".join([inner, *items] if inner else items)
            lines[start.line] = line[: start.column] + f"[{joined}]" + line[end.column :]
            return "".join(lines)
        if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
            line = lines[key.start_mark.line]
            lines[key.start_mark.line] = line[: key.end_mark.column] + f": [{', '.join(items)}]\n"
            return "".join(lines)
        raise QueryError(_("'questions' must be a list"))
    tail = "" if not raw or raw.endswith("\n") else "\n"
    return raw + tail + "questions:\n" + "".join(f"  - {item}\n" for item in items)


def add_questions(path: Path, questions: list[str]) -> Added:
    """Append `questions` (cleaned; duplicates and the title skipped) to the entry at `path`.

    Raises QueryError for an empty or too long question or an entry file that can't be edited."""
    text = path.read_text("utf-8")
    parts = split_front_matter(text)
    if parts is None:
        raise QueryError(_("{path}: no front matter").format(path=path))
    raw = parts[0]
    meta = yaml.safe_load(raw) or {}
    if not isinstance(meta, dict):
        raise QueryError(_("the front matter is not a YAML mapping"))
    seen = {norm_key(str(q)) for q in meta.get("questions") or []}
    seen.add(norm_key(str(meta.get("title", ""))))
    new: list[str] = []
    skipped: list[str] = []
    for question in questions:
        cleaned = clean_question(question)
        if norm_key(cleaned) in seen:
            skipped.append(cleaned)
            continue
        seen.add(norm_key(cleaned))
        new.append(cleaned)
    if not new:
        return Added(path, (), tuple(skipped))
    edited = _insert(raw, new)
    after = yaml.safe_load(edited) or {}
    before_questions = list(meta.get("questions") or [])
    if after.get("questions") != before_questions + new or {
        k: v for k, v in after.items() if k != "questions"
    } != {k: v for k, v in meta.items() if k != "questions"}:
        raise QueryError(_("{path}: the questions could not be added safely").format(path=path))
    start = len(text.splitlines(keepends=True)[0])  # after the opening `---` line
    _write_atomically(path, text[:start] + edited + text[start + len(raw) :])
    return Added(path, tuple(new), tuple(skipped))


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
