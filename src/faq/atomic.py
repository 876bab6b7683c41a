"""All-or-nothing builds: one lock per build, the index and the site written aside, one swap.

Layout, beside the index folder (`build/index` by default)::

    build/.index-builds/lock                 flock(2): one build at a time
    build/.index-builds/<stamp>-<pid>/       one build: owner (pid), index/, site/, done
    build/.index-builds/current -> <stamp>   the build being served (one symlink, one rename)
    build/.index-builds/previous -> <stamp>  the one before, for a server still reading it
    build/index -> .index-builds/current/index
    build/site  -> .index-builds/current/site

`settings.index` and `settings.site` stay paths every reader can use; both go through the one
`current` link, so the index and the site always come from the same build.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from faq.errors import BuildError
from faq.i18n import _

CURRENT = "current"
PREVIOUS = "previous"
OWNER = "owner"  # the writing process's pid, written first
DONE = "done"  # written last: the build is complete
MARKERS = {"index": "meta.json", "site": "index.html"}  # what a plain folder of an older faq holds


def builds_folder(index_target: Path) -> Path:
    """The folder that holds every build of the index at `index_target` (absolute)."""
    target = index_target.absolute()
    return target.parent / f".{target.name}-builds"


def build_name(index: Path) -> str:
    """Which build an index path (a link or a build's own folder) stands for: the build
    folder's name, or the index folder's own for an index written elsewhere."""
    folder = index.resolve()
    return folder.parent.name if folder.name == "index" else folder.name


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def _link(path: Path, points_to: str) -> None:
    """Make `path` a symlink to `points_to` in one rename (a reader sees the old or the new)."""
    temp = path.parent / f".{path.name}.link-{os.getpid()}-{time.monotonic_ns()}"
    temp.symlink_to(points_to)
    try:
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


def _check_target(target: Path, marker: str) -> None:
    """A plain folder at `target` is taken over only if it is empty or an earlier build."""
    if target.is_symlink() or not target.exists():
        return
    if not target.is_dir() or (any(target.iterdir()) and not (target / marker).exists()):
        raise BuildError(
            _("refusing to replace {path}: it is not a faq build; choose another folder").format(
                path=target
            )
        )


@dataclass
class Slot:
    """One build being written: `index` and `site` are the folders to fill."""

    folder: Path

    @property
    def index(self) -> Path:
        return self.folder / "index"

    @property
    def site(self) -> Path:
        return self.folder / "site"


class Builds:
    """The builds of one index (and its site), under one lock. Use `transaction()`."""

    def __init__(self, index_target: Path, site_target: Path | None) -> None:
        self.index_target = index_target.absolute()
        self.site_target = site_target.absolute() if site_target is not None else None
        self.folder = builds_folder(self.index_target)

    @property
    def current(self) -> Path | None:
        """The build being served, or None before the first one."""
        link = self.folder / CURRENT
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    def new_slot(self) -> Slot:
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.monotonic_ns() % 10**6:06d}"
        slot = Slot(self.folder / f"{stamp}-{os.getpid()}")
        slot.folder.mkdir()
        (slot.folder / OWNER).write_text(str(os.getpid()), "ascii")
        return slot

    def carry_over(self, slot: Slot, part: str) -> None:
        """Put the current build's `part` ("index" or "site") into `slot` as hard links (no
        copy of the data), or a plain folder of an older faq at the target; nothing if none."""
        source: Path | None = None
        current = self.current
        if current is not None and (current / part).is_dir():
            source = current / part
        else:
            target = self.index_target if part == "index" else self.site_target
            if target is not None and target.is_dir() and (target / MARKERS[part]).exists():
                source = target.resolve()
        if source is None:
            return

        def link(src: str, dst: str) -> None:
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)

        shutil.copytree(source, slot.folder / part, symlinks=True, copy_function=link)

    def commit(self, slot: Slot) -> None:
        """Make `slot` the current build: one rename of `current`; then the targets' links."""
        (slot.folder / DONE).write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        before = self.current
        if before is not None:
            _link(self.folder / PREVIOUS, before.name)
        _link(self.folder / CURRENT, slot.folder.name)
        for target, part in ((self.index_target, "index"), (self.site_target, "site")):
            if target is not None and (slot.folder / part).is_dir():
                self._point(target, part)
        self.clean_up(keep={slot.folder.name, before.name if before else ""})

    def _point(self, target: Path, part: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        wanted = os.path.relpath(self.folder / CURRENT / part, target.parent)
        if target.is_symlink() and os.readlink(target) == wanted:
            return
        _check_target(target, MARKERS[part])
        if target.is_dir() and not target.is_symlink():  # an older faq's plain folder: kept aside
            target.rename(target.parent / f".{target.name}-{time.time_ns()}-previous")
        _link(target, wanted)

    def clean_up(self, keep: set[str]) -> None:
        """Remove builds that are neither current nor previous: finished ones, and unfinished
        ones whose writer is dead. Called under the lock, so no live build is being written."""
        for path in self.folder.iterdir():
            if path.is_symlink() or not path.is_dir() or path.name in keep:
                continue
            if not (path / DONE).exists():
                try:
                    pid = int((path / OWNER).read_text("ascii"))
                except (OSError, ValueError):
                    pid = 0
                if pid and pid != os.getpid() and _pid_alive(pid):
                    continue  # a build written without the lock (never by faq): not ours
            shutil.rmtree(path, ignore_errors=True)


def _lock(folder: Path, wait: bool, on_wait: Callable[[], None] | None) -> IO[bytes]:
    import fcntl  # POSIX; imported here so that `import faq.index` works everywhere

    handle = (folder / "lock").open("ab")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if not wait:
            handle.close()
            raise BuildError(
                _("another build is running (lock {path}); try again when it has finished").format(
                    path=folder / "lock"
                )
            ) from None
        if on_wait is not None:
            on_wait()
        fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


@contextlib.contextmanager
def transaction(
    index_target: Path,
    site_target: Path | None = None,
    *,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[tuple[Builds, Slot]]:
    """Hold the build lock, give a new slot to write; the caller commits it with
    `builds.commit(slot)`. Leaving without a commit (an error, a kill) leaves the current build
    serving; an OSError (disk full, file too large, permission) becomes one BuildError line.

    Raises BuildError when `wait` is false and another build holds the lock, or when a target is
    a folder that is not a faq build."""
    builds = Builds(index_target, site_target)
    try:
        _check_target(builds.index_target, MARKERS["index"])  # before anything is written
        if builds.site_target is not None:
            _check_target(builds.site_target, MARKERS["site"])
        builds.folder.mkdir(parents=True, exist_ok=True)
        handle = _lock(builds.folder, wait, on_wait)
    except OSError as exc:
        raise BuildError(_write_error(exc)) from None
    slot: Slot | None = None
    try:
        slot = builds.new_slot()
        yield builds, slot
    except OSError as exc:
        raise BuildError(_write_error(exc)) from None
    finally:
        if slot is not None and not (slot.folder / DONE).exists():
            shutil.rmtree(slot.folder, ignore_errors=True)
        handle.close()  # releases the lock


def _write_error(exc: OSError) -> str:
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason = _("{reason} (the disk or a file-size limit is full)").format(reason=reason)
    if exc.filename:
        return _(
            "the build could not be written to {path}: {reason}; the previous build is still served"
        ).format(path=exc.filename, reason=reason)
    return _("the build could not be written: {reason}; the previous build is still served").format(
        reason=reason
    )
