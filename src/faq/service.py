"""FaqService: what the CLI and the API share (settings + index + ranking + languages)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from faq.atomic import build_name
from faq.config import Settings
from faq.embedders import Embedder, get_embedder
from faq.errors import FaqError, NotFoundError, QueryError
from faq.i18n import _, format_ago
from faq.index import IndexData, IndexedEntry, load_index, read_meta
from faq.language import detect
from faq.models import EntryPage, Health, SearchHit, SearchResult
from faq.query import parse_query
from faq.search import Ranker
from faq.text import MAX_K, MAX_QUERY_CHARS, clean_text

log = logging.getLogger("faq.service")


@dataclass(frozen=True)
class Snapshot:
    """One loaded index and everything derived from it, replaced whole by a reload: a request
    that took a snapshot answers from one index even if a new build is swapped in meanwhile."""

    data: IndexData
    ranker: Ranker
    by_key: dict[tuple[str, str], IndexedEntry]
    langs_of: dict[str, list[str]]
    path: Path

    @property
    def name(self) -> str:
        """Which build answered (see faq.atomic.build_name)."""
        return build_name(self.path)


class FaqService:
    """One knowledge base, ready to answer: search, entries, languages, health."""

    def __init__(
        self,
        settings: Settings,
        data: IndexData,
        embedder: Embedder | None = None,
        *,
        path: Path | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder or get_embedder(settings.embedder)
        self._lock = threading.Lock()
        self.refused: str | None = None  # why the last new build was not loaded
        self._refused_path: Path | None = None
        self._install(data, path or settings.index.resolve())

    @classmethod
    def open(
        cls, settings: Settings, *, embedder: Embedder | None = None, check_corpus: bool = True
    ) -> FaqService:
        """Load the configured index (raises IndexNotFoundError / IndexMismatchError)."""
        data = load_index(settings, check_corpus=check_corpus)
        return cls(settings, data, embedder, path=data.folder)

    def _install(self, data: IndexData, path: Path) -> None:
        ranker = Ranker(data, self._embedder)
        by_key = {(e.lang, e.id): e for e in data.entries}
        langs_of: dict[str, list[str]] = {}
        for e in data.entries:
            langs_of.setdefault(e.id, []).append(e.lang)
        with self._lock:
            self._snapshot = Snapshot(data, ranker, by_key, langs_of, path.resolve())

    def snapshot(self) -> Snapshot:
        """The index being served now (one attribute read: atomic)."""
        return self._snapshot

    @property
    def data(self) -> IndexData:
        return self._snapshot.data

    @property
    def ranker(self) -> Ranker:
        return self._snapshot.ranker

    @property
    def index_path(self) -> Path:
        return self._snapshot.path

    def warm(self) -> None:
        """Load the model and run one query, so the first real one is fast."""
        self.ranker.rank("warm up")

    def reload_if_changed(self) -> bool:
        """Pick up a newly built index (atomically swapped in by `faq build`). A build that
        cannot be loaded changes nothing: the current index keeps serving, and the reason is
        logged once per build folder and kept in `refused` (None after a successful load)."""
        current = self.settings.index.resolve()
        if current == self.index_path or current == self._refused_path:
            return False
        try:
            read_meta(current)
            data = load_index(self.settings, check_corpus=False)
        except FaqError as exc:  # a broken or foreign build
            self._refuse(current, str(exc))
            return False
        except Exception as exc:  # anything else unexpected: log it with its traceback
            log.exception("could not load the index at %s", current)
            self._refuse(current, f"{type(exc).__name__}: {exc}")
            return False
        self._install(data, data.folder or current)
        self.refused = None
        self._refused_path = None
        return True

    def _refuse(self, path: Path, reason: str) -> None:
        log.error("not loading the index at %s: %s", path, reason)
        self.refused = reason
        self._refused_path = path

    # ------------------------------------------------------------------ queries

    @property
    def languages(self) -> tuple[str, ...]:
        return self.settings.languages

    def check_query(self, query: str) -> str:
        text = clean_text(query)
        if not text:
            raise QueryError(_("the question is empty"))
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(
                _("the question is too long ({length} characters, at most {max})").format(
                    length=len(text), max=MAX_QUERY_CHARS
                )
            )
        return text

    def check_lang(self, lang: str | None) -> str | None:
        if lang is None or lang == "":
            return None
        if lang not in self.settings.languages:
            raise QueryError(
                _("unknown language {lang!r}: use one of {langs}").format(
                    lang=lang, langs=", ".join(self.settings.languages)
                )
            )
        return lang

    def reader_language(self, query: str, lang: str | None) -> str:
        """`lang` if given, else the query's detected language, else the default."""
        return (
            self.check_lang(lang)
            or detect(query, self.settings.languages)
            or self.settings.default_language
        )

    def search(
        self,
        query: str,
        lang: str | None = None,
        k: int | None = None,
        *,
        snapshot: Snapshot | None = None,
    ) -> SearchResult:
        """Rank the entries for `query`; hits are shown in the reader's language."""
        text = self.check_query(query)
        k = self.settings.top_k if k is None else k
        if not 1 <= k <= MAX_K:
            raise QueryError(_("k must be between 1 and {max}").format(max=MAX_K))
        # the question as typed (lines kept): faq.query reads issue-style structure from it
        parsed = parse_query(query if "\n" in query else text)
        reader = self.reader_language(parsed.text, lang)  # not the language of "[Bug]"
        current = snapshot or self._snapshot
        ranked = current.ranker.rank(parsed)
        hits = []
        for entry_id, score in zip(ranked.ids[:k], ranked.scores[:k], strict=True):
            entry, fallback = self.entry_for(entry_id, reader, snapshot=current)
            hits.append(
                SearchHit(
                    id=entry.id,
                    lang=entry.lang,
                    title=entry.title,
                    score=score,
                    url=entry.url,
                    snippet=entry.snippet,
                    section=entry.section,
                    fallback=fallback,
                )
            )
        return SearchResult(
            query=text,
            lang=reader,
            answered=ranked.answered,
            results=tuple(hits),
            confidence=ranked.confidence,
        )

    def entry_for(
        self, entry_id: str, lang: str, *, snapshot: Snapshot | None = None
    ) -> tuple[IndexedEntry, bool]:
        """The entry in `lang`, else in its source language (fallback=True)."""
        current = snapshot or self._snapshot
        entry = current.by_key.get((lang, entry_id))
        if entry is not None:
            return entry, False
        langs = current.langs_of.get(entry_id)
        if not langs:
            raise NotFoundError(_("no entry {id!r}").format(id=entry_id))
        order = [self.settings.default_language, *self.settings.languages, *langs]
        for candidate in order:
            found = current.by_key.get((candidate, entry_id))
            if found is not None:
                return found, True
        raise NotFoundError(_("no entry {id!r}").format(id=entry_id))  # pragma: no cover

    def entry(self, entry_id: str, lang: str | None = None) -> EntryPage:
        """An entry with what a page needs: answer HTML, languages, staleness.

        Raises QueryError for an unknown language, NotFoundError for an unknown id."""
        reader = self.check_lang(lang) or self.settings.default_language
        current = self._snapshot
        entry, fallback = self.entry_for(entry_id, reader, snapshot=current)
        return EntryPage(
            id=entry.id,
            lang=entry.lang,
            fallback=fallback,
            title=entry.title,
            section=entry.section,
            html=entry.body,
            url=entry.url,
            tags=entry.tags,
            related=entry.related,
            languages=tuple(current.langs_of.get(entry_id, [])),
            translated_from=entry.translated_from,
            stale=entry.stale,
        )

    def health(self) -> Health:
        """What is being served: cheap, no I/O (the liveness answer)."""
        current = self._snapshot
        meta = current.data.meta
        return Health(
            embedder=meta.get("embedder"),
            entries=meta.get("entries"),
            documents=meta.get("documents"),
            languages=self.settings.languages,
            default_language=self.settings.default_language,
            built_at=meta.get("built_at"),
            built_ago=format_ago(meta.get("built_at")),
            index=current.name,
        )
