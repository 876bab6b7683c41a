"""Builds all or nothing (faq.atomic): one lock, index and site swapped together, concurrent
builds under a live server, a build killed mid-write, a failed write."""

from __future__ import annotations

import errno
import fcntl
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.api.server import settings_environment
from faq.atomic import CURRENT, DONE, build_name, builds_folder
from faq.build import build
from faq.cli import cli
from faq.config import Settings
from faq.errors import BuildError
from faq.service import FaqService
from test_site import add_pages

PAGE = "/usage/quota-exceeded/"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    root = tmp_path / "kb"
    settings = write_corpus(root).replace(
        index_dir=str(tmp_path / "build" / "index"), site_dir=str(tmp_path / "build" / "site")
    )
    add_pages(settings)
    monkeypatch.chdir(root)
    return settings


def paths(settings: Settings) -> list[str]:
    return ["--index", str(settings.index), "--site-dir", str(settings.site)]


def site_files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}


def builds(settings: Settings) -> list[Path]:
    folder = builds_folder(settings.index)
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())


def faq_build(settings: Settings, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAQ_")}
    env.update(settings_environment(settings))
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "faq", "build", "-q", *args],
        cwd=settings.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


def test_index_and_site_point_through_one_link(settings: Settings) -> None:
    build(settings)
    current = (builds_folder(settings.index) / CURRENT).resolve()
    assert settings.index.is_symlink() and settings.site.is_symlink()
    assert settings.index.resolve() == current / "index"
    assert settings.site.resolve() == current / "site"
    assert (current / DONE).is_file()
    assert build_name(settings.index) == current.name


def test_a_build_without_the_site_keeps_the_site_of_the_build_before(settings: Settings) -> None:
    build(settings)
    pages = site_files(settings.site)
    first = build_name(settings.index)
    build(settings, site=False)
    assert build_name(settings.index) != first
    assert site_files(settings.site) == pages


def test_no_wait_says_another_build_is_running(settings: Settings, runner: CliRunner) -> None:
    folder = builds_folder(settings.index)
    folder.mkdir(parents=True)
    with (folder / "lock").open("ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another build is running"):
            build(settings, wait=False)
        result = runner.invoke(cli, ["build", "--no-wait", "-q", *paths(settings)])
        assert result.exit_code != 0
        assert "another build is running" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not settings.index.exists()


def test_a_second_build_waits_for_the_first(settings: Settings) -> None:
    folder = builds_folder(settings.index)
    folder.mkdir(parents=True)
    waited = threading.Event()
    with (folder / "lock").open("ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        thread = threading.Thread(target=build, args=(settings,), kwargs={"on_wait": waited.set})
        thread.start()
        assert waited.wait(30)
        time.sleep(0.2)
        assert not settings.index.exists()  # still waiting
    thread.join(120)
    assert (settings.index / "meta.json").is_file()


def test_concurrent_builds_while_serving_keep_a_complete_site(settings: Settings) -> None:
    build(settings)
    expected = site_files(settings.site)
    page = settings.docs / "en" / "usage" / "quota-exceeded.md"
    failures: list[str] = []
    stop = threading.Event()
    with TestClient(create_app(settings, reload_interval=0.05)) as client:
        page.write_text(page.read_text("utf-8") + "\nOne more line.\n", "utf-8")

        def watch() -> None:
            while not stop.is_set():
                for path in ("/", "/en/", PAGE, "/ko" + PAGE):
                    status = client.get(path).status_code
                    if status != 200:
                        failures.append(f"{path}: {status}")
                found = site_files(settings.site)
                if found != expected:
                    failures.append(f"site has {len(found)} of {len(expected)} files")

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            processes = [faq_build(settings) for _ in range(3)]
            outputs = [p.communicate(timeout=300) for p in processes]
        finally:
            stop.set()
            watcher.join()
        for process, (_out, err) in zip(processes, outputs, strict=True):
            assert process.returncode == 0, err.decode()
        assert not failures, failures[:5]
        assert "One more line" in client.get(PAGE).text
        search = client.get("/api/search", params={"q": "quota"})
        assert search.headers["x-faq-index"] == build_name(settings.index)
    done = builds(settings)
    assert len(done) == 2 and all((b / DONE).is_file() for b in done)  # current and previous


def test_a_build_killed_mid_write_changes_nothing(settings: Settings) -> None:
    build(settings)
    before = build_name(settings.index)
    pages = site_files(settings.site)
    process = faq_build(settings)
    deadline = time.monotonic() + 120
    victim: Path | None = None
    while time.monotonic() < deadline and victim is None:
        for folder in builds(settings):
            if folder.name.endswith(f"-{process.pid}") and (folder / "site").is_dir():
                victim = folder  # mkdocs is writing the site
        time.sleep(0.01)
    assert victim is not None, process.communicate()
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert not (victim / DONE).exists()
    assert build_name(settings.index) == before
    assert site_files(settings.site) == pages
    service = FaqService.open(settings)
    assert service.search("quota").results
    # the next build removes what the dead one left, and nothing else of value
    build(settings, site=False)
    assert not victim.exists()
    assert {b.name for b in builds(settings)} == {before, build_name(settings.index)}


def test_a_failed_index_write_is_one_line_and_changes_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    build(settings)
    before = build_name(settings.index)

    def disk_full(path: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(np, "save", disk_full)
    result = runner.invoke(cli, ["build", "-q", *paths(settings)])
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "No space left on device" in line and "previous build is still served" in line
    assert build_name(settings.index) == before
    assert [b.name for b in builds(settings)] == [before]
    FaqService.open(settings)  # what serves can still be loaded


def test_a_file_size_limit_mid_build_is_one_line_and_changes_nothing(settings: Settings) -> None:
    build(settings)
    before = build_name(settings.index)
    pages = site_files(settings.site)

    def limit() -> None:  # the theme's scripts are bigger than this: the site write fails
        resource.setrlimit(resource.RLIMIT_FSIZE, (48 * 1024, 48 * 1024))

    process = faq_build(settings, preexec_fn=limit)
    _out, err = process.communicate(timeout=300)
    message = err.decode().strip()
    assert process.returncode == 1, message
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert build_name(settings.index) == before
    assert site_files(settings.site) == pages
    assert [b.name for b in builds(settings)] == [before]
    # and the next `faq serve` starts on it
    with TestClient(create_app(settings)) as client:
        assert client.get(PAGE).status_code == 200
        assert client.get("/api/search", params={"q": "quota"}).status_code == 200


def test_the_site_served_is_the_one_of_the_index_served(settings: Settings) -> None:
    build(settings)
    page = settings.docs / "en" / "usage" / "quota-exceeded.md"
    with TestClient(create_app(settings, reload_interval=0)) as client:
        old = client.get(PAGE).text
        page.write_text(page.read_text("utf-8") + "\nA newer line.\n", "utf-8")
        build(settings)
        assert "A newer line" in (settings.site / "usage/quota-exceeded/index.html").read_text()
        assert client.get(PAGE).text == old  # the index served is still the old build's
        assert client.app.state.service.reload_if_changed()  # type: ignore[attr-defined]
        assert "A newer line" in client.get(PAGE).text


def test_a_folder_that_is_not_a_build_is_refused_before_any_work(settings: Settings) -> None:
    settings.site.mkdir(parents=True)
    (settings.site / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(BuildError, match="not a faq build"):
        build(settings)
    assert (settings.site / "notes.txt").read_text("utf-8") == "mine"
    assert not settings.index.exists()
