"""Precompressed siblings (``FILE.br``, ``FILE.gz``) for hosts that serve them as they are.

A host that finds ``pyodide.asm.wasm.br`` and a browser that accepts ``br`` gets it without
compressing anything per request (nginx ``brotli_static``/``gzip_static``, Caddy
``file_server { precompressed br gzip }``…). Brotli at its best quality is slow (≈45 s for the
9.6 MB wasm), so compressed bytes are kept in a cache keyed by the content's sha256, shared by
every clone of the project on the machine (``build_cache.py``).
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from .build_cache import cache_dir

try:
    import brotli
except ModuleNotFoundError:          # pyproject pins Brotli; without it, only .gz siblings
    brotli = None

CACHE_DIR = cache_dir("precompressed", "QUIZ_COMPRESS_CACHE")   # shared by the user's clones (build_cache.py)
COMPRESSIBLE = (".mjs", ".js", ".wasm", ".json", ".css", ".zip")   # .zip: the stdlib is stored uncompressed


def _cached(kind: str, content: bytes, compress) -> bytes:
    key = CACHE_DIR / f"{hashlib.sha256(content).hexdigest()}.{kind}"
    try:
        return key.read_bytes()
    except OSError:
        pass
    packed = compress(content)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = key.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(packed)
        temporary.replace(key)
    except OSError:
        pass                          # a read-only cache only makes the next build slower
    return packed


def siblings(content: bytes) -> dict[str, bytes]:
    """``{".gz": …, ".br": …}``, each kept only when it is smaller than the file itself."""
    found = {".gz": _cached("gz", content, lambda data: gzip.compress(data, compresslevel=9, mtime=0))}
    if brotli is not None:
        found[".br"] = _cached("br", content, lambda data: brotli.compress(data, quality=11))
    return {suffix: packed for suffix, packed in found.items() if len(packed) < len(content)}


def write_siblings(path: Path) -> list[str]:
    written = []
    for suffix, packed in siblings(path.read_bytes()).items():
        target = path.with_name(path.name + suffix)
        target.write_bytes(packed)
        written.append(target.name)
    return written
