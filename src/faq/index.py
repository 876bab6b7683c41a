"""The search index: built from entries, written into a build folder, loaded and checked
against the settings and the docs (ranking is faq.search; rendering, faq.entries)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from faq.atomic import transaction
from faq.config import Settings
from faq.embedders import Embedder, Vectors, get_embedder
from faq.entries import Rendered, Renderer, entry_url, plain_text
from faq.errors import BuildError, IndexMismatchError, IndexNotFoundError
from faq.i18n import _
from faq.lexical import LexicalIndex
from faq.loader import entry_files
from faq.models import Entry
from faq.scoring import ConfidenceModel, Fusion

# 2: entry HTML sanitised, bare URLs linked; 3: HTML, snippets and indexed text from the site's
# Markdown configuration, entry links resolved (faq.entries); 4: the confidence model in meta;
# 5: fusion and confidence fitted to dense scores with a second-best-unit share (faq.search);
# 6: the confidence reads the lexical evidence of the query's content words (Legs.content)
FORMAT_VERSION = 6
ANSWER_CHARS = 300  # the opening of the answer that is embedded
# Up to this many text units an exact flat index answers in ~3 ms; above it, an HNSW graph
# keeps queries near-constant in time (measured in bench/build_scale.py).
FLAT_LIMIT = 20_000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IndexedEntry:
    """An entry as the index serves it: enough to show a hit and an entry page without docs/."""

    id: str
    lang: str
    section: str
    title: str
    snippet: str
    url: str
    body: str
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    translated_from: str | None = None
    stale: bool = False


@dataclass(frozen=True)
class IndexData:
    """Everything in an index folder, in memory (immutable: a new build is a new IndexData)."""

    meta: dict[str, Any]
    entries: list[IndexedEntry]
    unit_entry: np.ndarray  # unit → entries row
    unit_kind: list[str]
    unit_text: list[str]
    vectors: Vectors
    lexical: LexicalIndex
    faiss_index: Any = None
    fusion: Fusion = field(default_factory=Fusion)
    confidence: ConfidenceModel = field(default_factory=ConfidenceModel)
    folder: Path | None = None  # the build folder it was loaded from


def units_of(entry: Entry, text: str | None = None) -> list[tuple[str, str]]:
    """The texts of an entry that a query can match: (kind, text). `text` is the answer's
    plain text (faq.entries), rendered here when not given."""
    out = [("title", entry.title)]
    out += [("question", q) for q in entry.questions if q]
    out += [("error", e) for e in entry.errors if e]
    opening = (plain_text(entry.body) if text is None else text)[:ANSWER_CHARS]
    if opening:
        out.append(("answer", opening))
    return out


def lexical_document(entry: Entry, text: str | None = None) -> str:
    """What BM25 reads for an entry: title, questions, error strings, the answer's text."""
    answer = plain_text(entry.body) if text is None else text
    return "\n".join([entry.title, *entry.questions, *entry.errors, answer])


def corpus_hash(entries: Iterable[Entry]) -> str:
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: (e.lang, e.id)):
        record = [e.lang, e.id, e.section, e.title, e.body, *e.questions, "\0", *e.errors]
        record += ["\0", *e.tags, "\0", *e.related, str(e.translated_from), str(e.source_hash)]
        h.update("\x1f".join(record).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def files_fingerprint(settings: Settings) -> str:
    """A cheap fingerprint of the entry files (names, sizes, mtimes)."""
    h = hashlib.sha256()
    for lang in settings.languages:
        for path in entry_files(settings.docs, lang):
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(
                f"{path.relative_to(settings.docs)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode()
            )
    return h.hexdigest()


def indexed_entries(
    settings: Settings, entries: list[Entry], rendered: list[Rendered]
) -> list[IndexedEntry]:
    """The entries as the index serves them, with their rendered answers (same order)."""
    by_key = {(e.lang, e.id): e for e in entries}
    out = []
    for e, answer in zip(entries, rendered, strict=True):
        source = by_key.get((e.translated_from, e.id)) if e.translated_from else None
        stale = bool(source and e.source_hash and e.source_hash != source.content_hash)
        out.append(
            IndexedEntry(
                id=e.id,
                lang=e.lang,
                section=e.section,
                title=e.title,
                snippet=answer.snippet,
                url=entry_url(settings, e.lang, e.section, e.id),
                body=answer.html,
                tags=e.tags,
                related=e.related,
                errors=e.errors,
                translated_from=e.translated_from,
                stale=stale,
            )
        )
    return out


def _faiss_index(vectors: Vectors) -> Any:
    import faiss

    dim = vectors.shape[1]
    index: Any
    if len(vectors) > FLAT_LIMIT:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 64
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    return index


def _previous_vectors(settings: Settings, embedder_name: str) -> dict[str, np.ndarray]:
    """Vectors of the current index, reusable when the embedder is the same."""
    folder = settings.index
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("embedder") != embedder_name or meta.get("format") != FORMAT_VERSION:
            return {}
        texts = json.loads((folder / "units.json").read_text("utf-8"))["text"]
        vectors = np.load(folder / "vectors.npy")
    except (OSError, ValueError, KeyError):
        return {}
    if len(texts) != len(vectors):
        return {}
    return dict(zip(texts, vectors, strict=True))


def embed_texts(
    embedder: Embedder,
    texts: list[str],
    cache: dict[str, np.ndarray],
    progress: Progress | None = None,
    batch: int = 256,
) -> tuple[Vectors, int]:
    """Vectors for `texts`, embedding only those not in `cache`. Returns (vectors, reused)."""
    todo = sorted({t for t in texts if t not in cache})
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        for text, vec in zip(chunk, embedder.embed(chunk), strict=True):
            fresh[text] = vec
        if progress:
            # TRANSLATORS: a stage of `faq build` (computing vectors), as in "embedding 40/120"
            progress(_("embedding"), min(start + batch, len(todo)), len(todo))
    dim = embedder.dim
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, text in enumerate(texts):
        vec = fresh.get(text)
        out[i] = vec if vec is not None else cache[text]
    return out, len(set(texts)) - len(todo)


def build_index(
    settings: Settings,
    entries: list[Entry],
    *,
    embedder: Embedder | None = None,
    fusion: Fusion | None = None,
    progress: Progress | None = None,
) -> IndexData:
    """Embed and index every text unit of every entry (in memory; `save` writes it)."""
    if not entries:
        raise BuildError(_("no entries to index under {path}").format(path=settings.docs))
    embedder = embedder or get_embedder(settings.embedder)
    renderer = Renderer(settings)
    rendered = [renderer.render(e) for e in entries]
    served = indexed_entries(settings, entries, rendered)
    unit_entry: list[int] = []
    unit_kind: list[str] = []
    unit_text: list[str] = []
    for row, (entry, answer) in enumerate(zip(entries, rendered, strict=True)):
        for kind, text in units_of(entry, answer.text):
            unit_entry.append(row)
            unit_kind.append(kind)
            unit_text.append(text)
    started = time.perf_counter()
    cache = _previous_vectors(settings, embedder.name)
    vectors, reused = embed_texts(embedder, unit_text, cache, progress)
    lexical = LexicalIndex.build(
        [lexical_document(e, r.text) for e, r in zip(entries, rendered, strict=True)]
    )
    meta = {
        "format": FORMAT_VERSION,
        "embedder": embedder.name,
        "dim": int(vectors.shape[1]),
        "corpus_hash": corpus_hash(entries),
        "files": files_fingerprint(settings),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "languages": list(settings.languages),
        "default_language": settings.default_language,
        "entries": len({e.id for e in entries}),
        "documents": len(entries),
        "units": len(unit_text),
        "reused_vectors": reused,
        "embed_seconds": round(time.perf_counter() - started, 3),
        "fusion": asdict(fusion or Fusion()),
        "confidence": ConfidenceModel().as_meta(),
    }
    return IndexData(
        meta=meta,
        entries=served,
        unit_entry=np.asarray(unit_entry, dtype=np.int32),
        unit_kind=unit_kind,
        unit_text=unit_text,
        vectors=vectors,
        lexical=lexical,
        faiss_index=_faiss_index(vectors),
        fusion=fusion or Fusion(),
    )


def write_index(data: IndexData, folder: Path) -> None:
    """Write the index into `folder` (new, not yet served). Raises OSError or BuildError."""
    import faiss

    folder.mkdir()
    meta = {**data.meta, "fusion": asdict(data.fusion), "confidence": data.confidence.as_meta()}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2), "utf-8")
    entries = [asdict(e) for e in data.entries]
    (folder / "entries.json").write_text(json.dumps(entries, ensure_ascii=False), "utf-8")
    units = {"entry": data.unit_entry.tolist(), "kind": data.unit_kind, "text": data.unit_text}
    (folder / "units.json").write_text(json.dumps(units, ensure_ascii=False), "utf-8")
    np.save(folder / "vectors.npy", data.vectors)
    try:
        faiss.write_index(data.faiss_index, str(folder / "vectors.faiss"))
    except RuntimeError as exc:  # faiss reports a failed write (disk full…) as RuntimeError
        raise BuildError(
            _("the index could not be written to {path}: {error}").format(
                path=folder, error=" ".join(str(exc).split())[:200]
            )
        ) from None
    data.lexical.save(folder / "lexical")


def save(data: IndexData, target: Path) -> None:
    """Write the index at `target` as a new build that keeps the current site, under the build
    lock, swapped in at once (see faq.atomic). Raises BuildError."""
    with transaction(target) as (builds, slot):
        write_index(data, slot.index)
        builds.carry_over(slot, "site")
        builds.commit(slot)


def previous_build_time(settings: Settings) -> str | None:
    """When the current index was built (ISO 8601), or None when there is none."""
    try:
        value = json.loads((settings.index / "meta.json").read_text("utf-8")).get("built_at")
    except (OSError, ValueError):
        return None
    return value if isinstance(value, str) else None


def read_meta(folder: Path) -> dict[str, Any]:
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise IndexNotFoundError(_("no index at {path}: run `faq build` first").format(path=folder))
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(
            _("the index at {path} is unreadable ({error}): run `faq build`").format(
                path=folder, error=exc
            )
        ) from None
    return meta


def check_meta(meta: dict[str, Any], settings: Settings, folder: Path, *, corpus: bool) -> None:
    """Refuse an index that does not match the settings (and, if `corpus`, the docs)."""

    def mismatch(reason: str) -> IndexMismatchError:
        return IndexMismatchError(
            _("the index at {path} is out of date: {reason}; run `faq build`").format(
                path=folder, reason=reason
            )
        )

    if meta.get("format") != FORMAT_VERSION:
        raise mismatch(
            _("format {found} (this version reads {wanted})").format(
                found=meta.get("format"), wanted=FORMAT_VERSION
            )
        )
    if meta.get("embedder") != settings.embedder:
        raise mismatch(
            _("built with embedder {found!r}, the settings say {wanted!r}").format(
                found=meta.get("embedder"), wanted=settings.embedder
            )
        )
    if sorted(meta.get("languages", [])) != sorted(settings.languages):
        raise mismatch(
            _("built for languages {found}, the settings say {wanted}").format(
                found=", ".join(meta.get("languages", [])), wanted=", ".join(settings.languages)
            )
        )
    if corpus and settings.docs.is_dir() and meta.get("files") != files_fingerprint(settings):
        from faq.loader import load

        loaded = load(settings.docs, settings.languages)
        if corpus_hash(loaded.entries) != meta.get("corpus_hash"):
            raise mismatch(_("the entries under {docs} changed").format(docs=settings.docs))


def load_index(settings: Settings, *, check_corpus: bool = True) -> IndexData:
    """Load the index folder named by the settings, refusing a stale or mismatched one."""
    import faiss

    folder = settings.index
    meta = read_meta(folder)
    check_meta(meta, settings, folder, corpus=check_corpus)
    folder = folder.resolve()  # read one build even if a new one is swapped in meanwhile
    try:
        raw_entries = json.loads((folder / "entries.json").read_text("utf-8"))
        entries = [
            IndexedEntry(
                **{
                    **e,
                    "tags": tuple(e["tags"]),
                    "related": tuple(e["related"]),
                    "errors": tuple(e["errors"]),
                }
            )
            for e in raw_entries
        ]
        units = json.loads((folder / "units.json").read_text("utf-8"))
        vectors = np.load(folder / "vectors.npy")
        faiss_index = faiss.read_index(str(folder / "vectors.faiss"))
        lexical = LexicalIndex.load(folder / "lexical", len(entries))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexMismatchError(
            _("the index at {path} is incomplete ({error}): run `faq build`").format(
                path=folder, error=exc
            )
        ) from None
    try:
        fusion = Fusion(**meta["fusion"])
        confidence = ConfidenceModel.from_meta(meta["confidence"])
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexMismatchError(
            _("the index at {path} has no usable ranking model ({error}): run `faq build`").format(
                path=folder, error=exc
            )
        ) from None
    return IndexData(
        meta=meta,
        entries=entries,
        unit_entry=np.asarray(units["entry"], dtype=np.int32),
        unit_kind=list(units["kind"]),
        unit_text=list(units["text"]),
        vectors=vectors,
        lexical=lexical,
        faiss_index=faiss_index,
        fusion=fusion,
        confidence=confidence,
        folder=folder,
    )
