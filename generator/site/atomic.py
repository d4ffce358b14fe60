"""A site build that replaces ``site/`` all at once, or not at all.

The engine writes into a fresh directory beside ``site/`` (``site.building-<pid>/``, same
file system); only when every step succeeded (pages, quiz runtime, snapshot, report) is it
swapped in. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call: ``site/`` is the old
build, then the new one, never absent nor mixed, and it stays a plain directory staff can copy
and publish. Where that call is missing (another system or file system) it falls back to two
renames, ``site/`` → ``site.old-<pid>/`` then the new build → ``site/``: between them (a few
microseconds) ``site/`` is absent; if the process dies exactly there, the next build renames
``site.old-<pid>/`` back before anything else.

A failed or interrupted build removes its directory (Ctrl-C, an error, a failed step); a
``kill -9`` cannot, so every build first removes what earlier builds left. Two builds at once:
a lock file beside ``site/`` (``.site.lock``, ``fcntl.flock``) refuses the second one with a
sentence; the engine's process inherits the lock, so a build whose parent was killed still
holds it until its engine has stopped writing.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
from pathlib import Path
from typing import Iterator

from ..errors import StaffError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class BuildBusy(StaffError):
    """Another build of the same site is running."""

    exit_code = 1


def lock_path(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.lock"


def work_path(site_dir: Path) -> Path:
    return site_dir.parent / f"{site_dir.name}.building-{os.getpid()}"


@contextlib.contextmanager
def building(site_dir: Path) -> Iterator[tuple[Path, int]]:
    """Lock the site, clear what earlier builds left, give (a fresh directory to build into,
    the lock's file descriptor for the engine's process to inherit). The directory is removed
    on the way out, whatever happened (after ``swap_in`` it holds the previous site)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock_path(site_dir), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(f"une autre construction de « {site_dir} » est en cours (verrou « "
                            f"{lock_path(site_dir)} ») : attendez qu'elle se termine, puis relancez.") from None
        clear_leftovers(site_dir)
        work = work_path(site_dir)
        work.mkdir()
        try:
            yield work, descriptor
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        os.close(descriptor)   # releases the lock (once the engine's process has ended too)


def clear_leftovers(site_dir: Path) -> None:
    """Under the lock no other build runs: every ``site.building-*`` or ``site.old-*`` is what
    an interrupted build left. A ``site.old-*`` with no ``site/`` is the last good site caught
    between the two renames of the fallback swap: it is put back."""
    parent, name = site_dir.parent, site_dir.name
    for old in sorted(parent.glob(f"{name}.old-*")):
        if not site_dir.exists() and old.is_dir():
            old.rename(site_dir)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for work in parent.glob(f"{name}.building-*"):
        shutil.rmtree(work, ignore_errors=True)


def swap_in(work: Path, site_dir: Path) -> None:
    """Make ``work`` the site; ``work`` then holds the previous site (removed by ``building``)."""
    if not site_dir.exists():
        os.rename(work, site_dir)
        work.mkdir()   # nothing to remove: an empty directory keeps ``building``'s contract
        return
    if _exchange(work, site_dir):
        return
    old = site_dir.parent / f"{site_dir.name}.old-{os.getpid()}"
    os.rename(site_dir, old)
    os.rename(work, site_dir)
    os.rename(old, work)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one system call (Linux ≥ 3.15, glibc ≥ 2.28); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))
