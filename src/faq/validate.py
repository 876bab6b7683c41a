"""Rules over a loaded knowledge base → problems at path:line."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.i18n import N_, _
from faq.links import check_home_page, check_links
from faq.loader import LoadResult, display_path, load
from faq.markdown import shallow_blocks, unclosed_fence
from faq.models import Entry, Problem
from faq.text import ID_PATTERN, MAX_ID_LENGTH, norm_key


@dataclass(frozen=True)
class Report:
    """The outcome of `faq validate`."""

    problems: tuple[Problem, ...]
    files: int
    entries: int
    languages: tuple[str, ...]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "entries": self.entries,
            "languages": list(self.languages),
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.as_dict() for p in self.problems],
        }


# how a block is named in the list-indent warning
_BLOCK_NAMES = {
    "paragraph": N_("paragraph"),
    "list": N_("nested list"),
    "code": N_("code block"),
    "quote": N_("quote"),
    "heading": N_("heading"),
    "html": N_("HTML block"),
    "rule": N_("horizontal rule"),
}


def check_entry(entry: Entry, file_stem: str, folder: str) -> list[Problem]:
    """Rules about one entry on its own."""
    out: list[Problem] = []

    def add(line: int, message: str, rule: str, severity: str = "error") -> None:
        out.append(Problem(entry.path, line, message, severity, rule))  # type: ignore[arg-type]

    if not ID_PATTERN.match(entry.id) or len(entry.id) > MAX_ID_LENGTH:
        add(
            entry.line("id"),
            _(
                "ill-formed id {id!r}: use lower-case letters, digits and single hyphens,"
                " at most {max} characters"
            ).format(id=entry.id, max=MAX_ID_LENGTH),
            "id-format",
        )
    elif entry.id != file_stem:
        add(
            entry.line("id"),
            _("id {id!r} differs from the file name {name!r}").format(
                id=entry.id, name=file_stem + ".md"
            ),
            "id-filename",
        )
    if entry.section != folder:
        add(
            entry.line("section"),
            _("section {section!r} differs from the folder {folder!r}").format(
                section=entry.section, folder=folder
            ),
            "section-folder",
        )
    if not entry.body.strip():
        add(entry.body_line, _("empty answer"), "empty-answer")
    fence = unclosed_fence(entry.body)
    if fence is not None:
        add(
            entry.body_line + fence,
            _("unclosed code fence"),
            "unclosed-fence",
        )
    for block in shallow_blocks(entry.body):
        add(
            entry.body_line + block.line,
            _(
                "this {kind} is indented {indent} spaces under a list item: the site shows it"
                " outside the list; indent it by {wanted} spaces to keep it in the item"
            ).format(
                kind=_(_BLOCK_NAMES.get(block.kind, block.kind)),
                indent=block.indent,
                wanted=block.wanted,
            ),
            "list-indent",
            "warning",
        )
    for key in ("questions", "errors"):
        seen: dict[str, int] = {}
        if key == "questions":
            seen[norm_key(entry.title)] = -1
        for i, text in enumerate(getattr(entry, key)):
            line = entry.line(f"{key}[{i}]")
            if not text:
                add(line, _("empty item in {key!r}").format(key=key), "empty-item")
                continue
            norm = norm_key(text)
            if norm in seen:
                message = (
                    _("alternate question repeats the title: {text!r}")
                    if seen[norm] == -1
                    else _("duplicate alternate question: {text!r}")
                    if key == "questions"
                    else _("duplicate error string: {text!r}")
                )
                add(line, message.format(text=text), "duplicate-question")
            else:
                seen[norm] = i
    return out


def check_corpus(entries: list[Entry], languages: tuple[str, ...], default: str) -> list[Problem]:
    """Rules across entries: duplicates, missing translations, related links, staleness."""
    out: list[Problem] = []
    by_lang: dict[str, dict[str, Entry]] = defaultdict(dict)
    for entry in entries:
        first = by_lang[entry.lang].get(entry.id)
        if first is not None:
            out.append(
                Problem(
                    entry.path,
                    entry.line("id"),
                    _("duplicate id {id!r} in {lang} (also in {other})").format(
                        id=entry.id, lang=entry.lang, other=first.path
                    ),
                    rule="duplicate-id",
                )
            )
        else:
            by_lang[entry.lang][entry.id] = entry
    present = [lang for lang in languages if by_lang.get(lang)]
    reference = default if default in present else (present[0] if present else default)
    ref_ids = set(by_lang.get(reference, {}))
    all_ids = {e.id for e in entries}
    for lang in present:
        if lang == reference:
            continue
        ids = by_lang[lang]
        for missing in sorted(ref_ids - set(ids)):
            src = by_lang[reference][missing]
            out.append(
                Problem(
                    src.path,
                    src.line("id"),
                    _("entry {id!r} has no {lang} version (readers get the {default} one)").format(
                        id=missing, lang=lang, default=reference
                    ),
                    severity="warning",
                    rule="missing-translation",
                )
            )
        for extra in sorted(set(ids) - ref_ids):
            e = ids[extra]
            out.append(
                Problem(
                    e.path,
                    e.line("id"),
                    _(
                        "entry {id!r} exists in {lang} but not in the default language {default}"
                    ).format(id=extra, lang=lang, default=reference),
                    rule="missing-source",
                )
            )
    for entry in by_lang_entries(by_lang):
        for i, rel in enumerate(entry.related):
            if rel not in all_ids:
                out.append(
                    Problem(
                        entry.path,
                        entry.line(f"related[{i}]"),
                        _("related id {id!r} does not exist").format(id=rel),
                        rule="related",
                    )
                )
            elif rel == entry.id:
                out.append(
                    Problem(
                        entry.path,
                        entry.line(f"related[{i}]"),
                        _("entry lists itself as related"),
                        severity="warning",
                        rule="related",
                    )
                )
        out.extend(_staleness(entry, by_lang, languages))
    return out


def by_lang_entries(by_lang: dict[str, dict[str, Entry]]) -> list[Entry]:
    return [e for lang in sorted(by_lang) for e in by_lang[lang].values()]


def _staleness(
    entry: Entry, by_lang: dict[str, dict[str, Entry]], languages: tuple[str, ...]
) -> list[Problem]:
    src_lang = entry.translated_from
    if src_lang is None:
        return []
    line = entry.line("translated_from")
    if src_lang == entry.lang or src_lang not in languages:
        return [
            Problem(
                entry.path,
                line,
                _("translated_from {lang!r} is not another configured language").format(
                    lang=src_lang
                ),
                rule="translated-from",
            )
        ]
    source = by_lang.get(src_lang, {}).get(entry.id)
    if source is None:
        if not by_lang.get(src_lang):
            return []  # the source language is not part of this check
        return [
            Problem(
                entry.path,
                line,
                _("source entry {id!r} not found in {lang}").format(id=entry.id, lang=src_lang),
                rule="translated-from",
            )
        ]
    if not entry.source_hash:
        return [
            Problem(
                entry.path,
                entry.line("source_hash") if "source_hash" in entry.lines else line,
                _("translation has no source_hash: run `faq stamp` once it is up to date"),
                severity="warning",
                rule="stale",
            )
        ]
    if entry.source_hash != source.content_hash:
        return [
            Problem(
                entry.path,
                entry.line("source_hash"),
                _("stale translation: the {lang} source changed since it was translated").format(
                    lang=src_lang
                ),
                severity="warning",
                rule="stale",
            )
        ]
    return []


def _unconfigured_languages(docs: Path, languages: tuple[str, ...]) -> list[Problem]:
    """A folder with a home page and entries (`docs/<x>/index.md`, `docs/<x>/<section>/*.md`)
    named with a language code that the settings do not list: loading, search and the site skip
    it (e.g. after `faq import --lang fr` with `languages = ["en"]`), so say so."""
    from faq.config import LANG_CODE

    problems = []
    folders = sorted(docs.iterdir()) if docs.is_dir() else []
    for folder in folders:
        if (
            folder.is_dir()
            and folder.name not in languages
            and re.match(LANG_CODE, folder.name)
            and (folder / "index.md").is_file()  # a home page and entries: a language
            and any(folder.glob("*/*.md"))
        ):
            problems.append(
                Problem(
                    display_path(folder),
                    1,
                    _(
                        "{lang!r} is not one of the configured languages ({languages}): its"
                        " entries are not checked, searched or built; add it to `languages`"
                    ).format(lang=folder.name, languages=", ".join(languages)),
                    "warning",
                    "unknown-language",
                )
            )
    return problems


def validate(
    docs: Path,
    languages: tuple[str, ...],
    default: str,
    *,
    base: Path | None = None,
    site: bool = True,
) -> Report:
    """Load and check a knowledge base. Never raises for a bad file: it becomes a problem.

    `site`: also check what only the site build needs (the default language's home page)."""
    loaded: LoadResult = load(docs, languages, base=base)
    problems = list(loaded.problems)
    for entry in loaded.entries:
        path = Path(entry.path)
        problems.extend(check_entry(entry, path.stem, path.parent.name))
    problems.extend(check_corpus(loaded.entries, languages, default))
    problems.extend(check_links(docs, languages, default))  # what the strict site build refuses
    if site:
        problems.extend(check_home_page(docs, default))
    problems.extend(_unconfigured_languages(docs, languages))
    problems.sort(key=lambda p: (p.path, p.line, p.message))
    present = tuple(lang for lang in languages if (docs / lang).is_dir())
    return Report(tuple(problems), loaded.files, len(loaded.entries), present)
