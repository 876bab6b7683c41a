"""Atomic replacement of a build folder (the index, the site): build aside, then one rename."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from faq.errors import BuildError
from faq.i18n import _

KEEP_BUILDS = 2  # the current build and the one before, for a server still reading it


def new_build_folder(target: Path) -> Path:
    """A fresh, hidden folder next to `target` to build into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.perf_counter_ns() % 10**6}"
    return target.parent / f".{target.name}-{stamp}"


def swap_in(target: Path, folder: Path, marker: str) -> None:
    """Point `target` (a symbolic link) at `folder` in one atomic rename; older builds beyond
    KEEP_BUILDS are removed. A plain folder at `target` is taken over only if it is empty or an
    earlier build (it has `marker`): anything else is refused, never deleted."""
    if target.is_dir() and not target.is_symlink():
        if any(target.iterdir()) and not (target / marker).exists():
            shutil.rmtree(folder, ignore_errors=True)
            raise BuildError(
                _(
                    "refusing to replace {path}: it is not a faq build; choose another folder"
                ).format(path=target)
            )
    link = target.parent / f".{target.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(folder.name)
    if target.is_dir() and not target.is_symlink():
        target.rename(target.parent / f".{target.name}-{time.time_ns()}-previous")
    os.replace(link, target)
    current = target.resolve()
    builds = sorted(
        (p for p in target.parent.glob(f".{target.name}-*") if p.is_dir() and p != current),
        key=lambda p: p.stat().st_mtime,
    )
    for old in builds[: max(0, len(builds) - (KEEP_BUILDS - 1))]:
        shutil.rmtree(old, ignore_errors=True)
