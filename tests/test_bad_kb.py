"""A bad knowledge base end to end: `faq validate` and `faq build` name each problem at
path:line, and a failed build leaves the previous index and site serving."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.atomic import build_name, builds_folder
from faq.build import build
from faq.cli import cli
from faq.config import Settings
from faq.errors import BuildError
from faq.loader import MAX_FILE_BYTES

ENTRY = "---\nid: {id}\nsection: usage\ntitle: A title\n---\n\n{body}\n"


def invalid_yaml(docs: Path) -> tuple[str, int]:
    (docs / "en/usage/broken.md").write_text(
        "---\nid: broken\nsection: usage\ntitle: [unclosed\n---\n\nBody.\n", "utf-8"
    )
    return "docs/en/usage/broken.md", 5


def binary_file(docs: Path) -> tuple[str, int]:
    (docs / "en/usage/binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    return "docs/en/usage/binary.md", 1


def huge_file(docs: Path) -> tuple[str, int]:
    body = "A long answer line.\n" * (MAX_FILE_BYTES // 20 + 10)
    (docs / "en/usage/huge.md").write_text(ENTRY.format(id="huge", body=body), "utf-8")
    return "docs/en/usage/huge.md", 1


def duplicate_id(docs: Path) -> tuple[str, int]:
    (docs / "en/general/quota-exceeded.md").write_text(
        ENTRY.format(id="quota-exceeded", body="Another.").replace("usage", "general"), "utf-8"
    )
    return "docs/en/", 2  # either copy is named, with the other one


def symlink_outside(docs: Path) -> tuple[str, int]:
    outside = docs.parent.parent / "outside.md"
    outside.write_text(ENTRY.format(id="outside", body="Secret."), "utf-8")
    (docs / "en/usage/outside.md").symlink_to(outside)
    return "docs/en/usage/outside.md", 1


def unclosed_fence(docs: Path) -> tuple[str, int]:
    body = "Run this:\n\n```bash\necho hello\n\nAnd more text."
    (docs / "en/usage/fence.md").write_text(ENTRY.format(id="fence", body=body), "utf-8")
    return "docs/en/usage/fence.md", 9


BREAKERS: dict[str, Callable[[Path], tuple[str, int]]] = {
    "invalid YAML": invalid_yaml,
    "binary file": binary_file,
    "huge file": huge_file,
    "duplicate id": duplicate_id,
    "symlink outside docs": symlink_outside,
    "unclosed code fence": unclosed_fence,
}
MESSAGES = {
    "invalid YAML": "invalid YAML",
    "binary file": "binary file",
    "huge file": "file too large",
    "duplicate id": "duplicate id 'quota-exceeded' in en",
    "symlink outside docs": "symbolic link pointing outside the docs folder",
    "unclosed code fence": "code fence",
}


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    root = tmp_path / "kb"
    settings = write_corpus(root).replace(
        index_dir=str(tmp_path / "index"), site_dir=str(tmp_path / "site")
    )
    monkeypatch.chdir(root)
    return settings


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", list(BREAKERS))
def test_validate_and_build_name_the_problem_at_path_line(settings: Settings, kind: str) -> None:
    path, line = BREAKERS[kind](settings.docs)
    code, output = run("validate")
    assert code == 1, output
    found = [row for row in output.splitlines() if row.startswith(path) and MESSAGES[kind] in row]
    assert found, output
    assert re.match(rf"^{re.escape(path)}\S*:{line}: ", found[0]), found[0]
    code, output = run("build", "--no-site", "--quiet", "--index", str(settings.index))
    assert code == 1
    assert output.startswith("Error: ") and "run `faq validate`" in output
    assert re.search(rf"{re.escape(path)}\S*:{line}: ", output), output
    assert "Traceback" not in output
    assert not settings.index.exists()  # nothing half-built


@pytest.fixture
def built(tmp_path: Path) -> Settings:
    """The tiny knowledge base, built with its site."""
    from test_site import add_pages

    root = tmp_path / "built"
    settings = write_corpus(root).replace(
        index_dir=str(root / "build" / "index"),
        site_dir=str(root / "build" / "site"),
        feedback_db=str(root / "var" / "feedback.sqlite3"),
    )
    add_pages(settings)
    build(settings)
    return settings


def broken_link(docs: Path) -> tuple[str, int]:
    """Valid entries, but the site does not build (mkdocs --strict): fails after indexing."""
    page = docs / "en/usage/quota-exceeded.md"
    page.write_text(page.read_text("utf-8") + "\nSee [this](no-such-page.md).\n", "utf-8")
    return "docs/en/usage/quota-exceeded.md", 0


@pytest.mark.parametrize("kind", [*BREAKERS, "broken link"])
def test_a_failed_build_leaves_the_previous_index_and_site_serving(
    built: Settings, kind: str
) -> None:
    settings = built
    with TestClient(create_app(settings, reload_interval=0.05)) as client:
        before = client.get("/api/health").json()
        page = client.get("/deployment/streaming-nginx/")
        assert page.status_code == 200 and "streaming" in page.text
        {**BREAKERS, "broken link": broken_link}[kind](settings.docs)
        with pytest.raises(BuildError):
            build(settings)
        time.sleep(0.2)  # a few turns of the watcher that picks up new builds
        after = client.get("/api/health").json()
        assert after["index"] == before["index"] and after["built_at"] == before["built_at"]
        assert client.get("/deployment/streaming-nginx/").text == page.text
        search = client.get("/api/search", params={"q": "nginx streaming"})
        assert search.status_code == 200
        assert search.headers["x-faq-index"] == before["index"]
        assert search.json()["results"][0]["id"] == "streaming-nginx"
    assert build_name(settings.index) == before["index"]
    builds = [p for p in builds_folder(settings.index).iterdir() if not p.is_symlink()]
    assert [p.name for p in builds if p.is_dir()] == [settings.site.resolve().parent.name]
