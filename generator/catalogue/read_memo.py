"""What reading each catalogue file gave, kept between two rebuilds of ``serve``.

A file whose bytes did not change is neither parsed nor checked again, and its result is the same
object as before: what was generated from an unchanged programme can be reused as it is
(``site.generate``'s ``reuse``). Results are keyed on the file's content (sha256), not its
modification time, which some file systems keep to the second or two.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .yaml_source import MAX_FILE_BYTES


def _content_key(path: Path) -> str | None:
    """The sha256 of a regular file of at most MAX_FILE_BYTES, else None (not kept: the reader
    states why such a file cannot be read, and a FIFO must not be opened here)."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


class ReadMemo:
    def __init__(self):
        self._kept: dict[tuple[str, str], tuple[str, object]] = {}

    def read(self, kind: str, path: Path, reader):
        """``reader(path)``, or what it returned for the same bytes last time. A result is kept only
        when the file held the same bytes before and after it was read (an edit saved meanwhile is
        read again at the next rebuild)."""
        key = _content_key(path)
        kept = self._kept.get((kind, str(path)))
        if key is not None and kept is not None and kept[0] == key:
            return kept[1]
        result = reader(path)
        if key is not None and _content_key(path) == key:
            self._kept[(kind, str(path))] = (key, result)
        return result
