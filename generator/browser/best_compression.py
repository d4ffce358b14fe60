"""Brotli at its best quality, computed after the build in a detached, low-priority process.

A build that finds no best-quality copy of a large file in the cache ships a quickly made one
(``precompress.py``) and leaves the file's bytes in the cache as ``<sha256>.br-pending``; this
process then writes ``<sha256>.br`` (quality 11), which the next build uses.

Safe with two builds at once (each pending file is compressed under its own ``flock``: a second
process skips it), with the process killed halfway (the result goes to a temporary file renamed
at the end: the cache holds a whole ``.br`` or none, and the pending file stays for the next
process; temporaries of dead processes are removed) and with a cache that cannot be written
(nothing is left pending, nothing is started).

Run by path (``python best_compression.py CACHE_DIR``): it imports nothing from the project.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

BEST_QUALITY = 11
PENDING = ".br-pending"


def pending_path(cache: Path, digest: str) -> Path:
    return cache / f"{digest}{PENDING}"


def leave_pending(cache: Path, digest: str, content: bytes) -> bool:
    """The content to compress later, in the cache all at once; False when the cache cannot be written."""
    target = pending_path(cache, digest)
    if target.is_file():
        return True
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{digest}{PENDING}.{os.getpid()}.tmp"
        temporary.write_bytes(content)
        temporary.replace(target)
        return True
    except OSError:
        return False


def start_in_background(cache: Path) -> bool:
    """One detached process (its own session: it outlives the build and its terminal) that
    compresses what is pending in ``cache``; False when it could not be started."""
    try:
        subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(cache)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
        return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead_temporaries(cache: Path) -> None:
    """``.<name>.<pid>.tmp`` left by a process killed halfway."""
    for temporary in cache.glob(".*.tmp"):
        pid = temporary.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            temporary.unlink(missing_ok=True)


def compress_pending(cache: Path, compress=None) -> list[str]:
    """Write ``<sha256>.br`` for each pending file no other process is compressing; the digests done."""
    if compress is None:
        import brotli
        compress = lambda data: brotli.compress(data, quality=BEST_QUALITY)   # noqa: E731
    done = []
    remove_dead_temporaries(cache)
    for pending in sorted(cache.glob(f"*{PENDING}")):
        digest = pending.name[: -len(PENDING)]
        target = cache / f"{digest}.br"
        try:
            handle = open(pending, "rb")
        except OSError:
            continue                            # done meanwhile by another process
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue                        # another process is on it
            if not target.is_file():
                content = handle.read()
                if hashlib.sha256(content).hexdigest() != digest:
                    pending.unlink(missing_ok=True)   # not what its name says: dropped, never compressed
                    continue
                temporary = cache / f".{digest}.br.{os.getpid()}.tmp"
                try:
                    temporary.write_bytes(compress(content))
                    temporary.replace(target)
                except OSError:                 # a full disk, the cache removed meanwhile: left pending
                    temporary.unlink(missing_ok=True)
                    continue
                done.append(digest)
            pending.unlink(missing_ok=True)
    return done


if __name__ == "__main__":
    os.nice(19)                                 # after the build, out of the way of what staff do
    compress_pending(Path(sys.argv[1]))
