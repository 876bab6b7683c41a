"""`faq stamp`: record in each translation the hash of its source entry's current text."""

from __future__ import annotations

import re
from pathlib import Path

from faq.config import Settings
from faq.errors import FaqError
from faq.i18n import _
from faq.loader import load, split_front_matter
from faq.models import Entry

_HASH_LINE = re.compile(r"^source_hash:.*$", re.MULTILINE)


def _write_hash(path: Path, value: str) -> bool:
    text = path.read_text("utf-8")
    parts = split_front_matter(text)
    if parts is None:
        return False
    raw = parts[0]
    line = f'source_hash: "{value}"'
    new_raw = _HASH_LINE.sub(line, raw, count=1) if _HASH_LINE.search(raw) else raw + line + "\n"
    if new_raw == raw:
        return False
    start = text.index(raw)
    path.write_text(text[:start] + new_raw + text[start + len(raw) :], "utf-8")
    return True


def stamp_translations(settings: Settings, paths: list[Path]) -> list[Path]:
    """Stamp the named translation files, or every unstamped translation. Returns changed files."""
    loaded = load(settings.docs, settings.languages)
    sources: dict[tuple[str, str], Entry] = {(e.lang, e.id): e for e in loaded.entries}
    wanted = {p.resolve() for p in paths}
    changed: list[Path] = []
    for entry in loaded.entries:
        path = (settings.docs / entry.lang / entry.section / f"{entry.id}.md").resolve()
        if not path.exists():
            path = Path(entry.path).resolve()
        if wanted and path not in wanted:
            continue
        if entry.translated_from is None:
            if wanted:
                raise FaqError(
                    _("{path}: not a translation (no translated_from)").format(path=entry.path)
                )
            continue
        if not wanted and entry.source_hash:
            continue
        source = sources.get((entry.translated_from, entry.id))
        if source is None:
            raise FaqError(
                _("{path}: source entry {id!r} not found in {lang}").format(
                    path=entry.path, id=entry.id, lang=entry.translated_from
                )
            )
        if _write_hash(path, source.content_hash):
            changed.append(path)
    return changed
