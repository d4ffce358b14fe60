"""Where the build keeps what it can reuse (precompressed copies, the stdlib survey): one folder per
user, shared by every clone of the project, so that a fresh clone's first build reuses what an
earlier build on this machine computed (brotli of the 9.6 MB wasm alone takes 30 to 45 s).
Entries are named after what they were made from, so clones at different revisions share it safely.
An environment variable per cache overrides it (tests, benchmarks)."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str, variable: str) -> Path:
    """``$variable`` if set, else ``$XDG_CACHE_HOME/catalogue-formations/<name>`` (``~/.cache`` by default)."""
    if os.environ.get(variable):
        return Path(os.environ[variable])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "catalogue-formations" / name


def keep(path: Path, content: bytes | str) -> None:
    """Into the cache all at once (temporary file + rename: a build running beside never reads half
    a file); a cache that cannot be written only makes the next build slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        temporary.replace(path)
    except OSError:
        pass
