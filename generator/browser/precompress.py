"""Precompressed siblings (``FILE.br``, ``FILE.gz``) for hosts that serve them as they are.

A host that finds ``pyodide.asm.wasm.br`` and a browser that accepts ``br`` gets it without
compressing anything per request (nginx ``brotli_static``/``gzip_static``, Caddy
``file_server { precompressed br gzip }``…). Compressed bytes are kept in a cache keyed by the
content's sha256, shared by every clone of the project on the machine (``build_cache.py``).

Brotli at its best quality is slow (≈35 s for the 9.6 MB wasm, 5 s for the stdlib, 2 s for
pyodide.asm.mjs on a 2-core machine). When the cache has no best copy of a large file, the build
ships a quick one (quality ``QUICK_QUALITY``: 0.4 s for the wasm, 18 % larger) and a detached
low-priority process computes the best one for the next build (``best_compression.py``). A build
that will be published asks for the best copies (``BEST_VARIABLE``, ``build
--compression-maximale``): it computes what the cache lacks, as before.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from . import best_compression
from .build_cache import cache_dir

try:
    import brotli
except ModuleNotFoundError:          # pyproject pins Brotli; without it, only .gz siblings
    brotli = None

CACHE_DIR = cache_dir("precompressed", "QUIZ_COMPRESS_CACHE")   # shared by the user's clones (build_cache.py)
COMPRESSIBLE = (".mjs", ".js", ".wasm", ".json", ".css", ".zip")   # .zip: the stdlib is stored uncompressed
BEST_VARIABLE = "GENERATOR_BEST_COMPRESSION"   # "1": every .br copy at the best quality, whatever it costs
# Measured on the wasm (9.6 MB), the trimmed stdlib (2.3 MB) and pyodide.asm.mjs (1.2 MB), quality
# 4 to 9: 3.44/3.23/3.15/3.13/3.11/3.10 MB in 0.5/0.4/0.6/1.2/1.7/2.0 s for the wasm; best (11):
# 2.74 MB. Quality 5 is as fast as 4 and nearly as small as 9.
QUICK_QUALITY = 5
QUICK_ABOVE = 64 * 1024      # smaller files get the best quality at once (a few milliseconds)

_left_for_later: set[str] = set()   # digests whose best copy a background process will make
_quick_only: set[str] = set()       # digests shipped quick with no way to leave them for later (read-only cache)


def best_wanted() -> bool:
    return os.environ.get(BEST_VARIABLE, "") not in ("", "0")


def _write_cache(key: Path, packed: bytes) -> None:
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = key.with_name(f".{key.name}.{os.getpid()}.tmp")
        temporary.write_bytes(packed)
        temporary.replace(key)
    except OSError:
        pass                          # a read-only cache only makes the next build slower


def _cached(kind: str, content: bytes, compress) -> bytes:
    key = CACHE_DIR / f"{hashlib.sha256(content).hexdigest()}.{kind}"
    try:
        return key.read_bytes()
    except OSError:
        pass
    packed = compress(content)
    _write_cache(key, packed)
    return packed


def _brotli(content: bytes) -> bytes:
    """The best copy when the cache has it, the content is small or the best is wanted; else a
    quick copy, the best one left to ``best_compression`` (in the cache, for the next build)."""
    digest = hashlib.sha256(content).hexdigest()
    key = CACHE_DIR / f"{digest}.br"
    try:
        return key.read_bytes()
    except OSError:
        pass
    if len(content) <= QUICK_ABOVE or best_wanted():
        packed = brotli.compress(content, quality=best_compression.BEST_QUALITY)
        _write_cache(key, packed)
        return packed
    (_left_for_later if best_compression.leave_pending(CACHE_DIR, digest, content) else _quick_only).add(digest)
    return brotli.compress(content, quality=QUICK_QUALITY)


def siblings(content: bytes) -> dict[str, bytes]:
    """``{".gz": …, ".br": …}``, each kept only when it is smaller than the file itself."""
    found = {".gz": _cached("gz", content, lambda data: gzip.compress(data, compresslevel=9, mtime=0))}
    if brotli is not None:
        found[".br"] = _brotli(content)
    return {suffix: packed for suffix, packed in found.items() if len(packed) < len(content)}


def write_siblings(path: Path) -> list[str]:
    written = []
    for suffix, packed in siblings(path.read_bytes()).items():
        target = path.with_name(path.name + suffix)
        target.write_bytes(packed)
        written.append(target.name)
    return written


def finish_best_later() -> str:
    """After the build: start the background process when quick copies were shipped; the
    report's line saying so ("" when every copy is the best)."""
    later, quick_only = len(_left_for_later), len(_quick_only)
    _left_for_later.clear()
    _quick_only.clear()
    if later and best_compression.start_in_background(CACHE_DIR):
        return (f"\nCompression : {later} gros fichier(s) du quiz en compression brotli rapide ; la compression "
                "maximale se calcule en arrière-plan et sera là dès la prochaine construction (pour publier, "
                "« build --compression-maximale » l'attend).\n")
    if later or quick_only:
        return (f"\nCompression : {later + quick_only} gros fichier(s) du quiz en compression brotli rapide (le cache "
                f"« {CACHE_DIR} » ne peut pas être écrit) ; pour publier, construisez avec « build "
                "--compression-maximale ».\n")
    return ""
