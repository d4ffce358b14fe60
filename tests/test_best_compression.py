"""Issue 16: a build on a machine that never built ships a quick brotli copy of the large runtime
files and computes the best one in a detached low-priority process for the next build; a
published build waits for the best one. Safe with two processes at once, a process killed
halfway and a cache that cannot be written."""
from __future__ import annotations

import fcntl
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest

from generator.browser import best_compression, precompress
from generator.site import commands

from .conftest import ROOT


def _content(size: int, seed: int = 1) -> bytes:
    """Text-like bytes that brotli compresses well, different for each seed."""
    words = [f"mot{n}".encode() for n in range(2000)]
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) + b" "
    return bytes(out[:size])


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "precompressed"
    monkeypatch.setattr(precompress, "CACHE_DIR", folder)
    monkeypatch.delenv(precompress.BEST_VARIABLE, raising=False)
    precompress._left_for_later.clear()
    precompress._quick_only.clear()
    yield folder
    precompress._left_for_later.clear()
    precompress._quick_only.clear()


def _best(content: bytes) -> bytes:
    return brotli.compress(content, quality=best_compression.BEST_QUALITY)


def test_a_large_file_gets_a_quick_copy_then_the_best_one_from_the_next_build(cache):
    content = _content(300_000)
    digest = hashlib.sha256(content).hexdigest()
    first = precompress.siblings(content)[".br"]
    assert brotli.decompress(first) == content and first != _best(content)   # quick, yet the same bytes once decoded
    assert (cache / f"{digest}.br-pending").read_bytes() == content and not (cache / f"{digest}.br").exists()
    assert best_compression.compress_pending(cache) == [digest]
    assert not (cache / f"{digest}.br-pending").exists()
    assert precompress.siblings(content)[".br"] == _best(content)


def test_a_small_file_gets_the_best_copy_at_once(cache):
    content = _content(precompress.QUICK_ABOVE)
    assert precompress.siblings(content)[".br"] == _best(content)
    assert not list(cache.glob("*.br-pending")) and precompress.finish_best_later() == ""


def test_the_build_starts_a_detached_process_that_leaves_the_best_copy(cache):
    content = _content(200_000, seed=2)
    digest = hashlib.sha256(content).hexdigest()
    precompress.siblings(content)
    line = precompress.finish_best_later()
    assert "compression brotli rapide" in line and "dès la prochaine construction" in line, line
    deadline = time.monotonic() + 120
    while not (cache / f"{digest}.br").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (cache / f"{digest}.br").read_bytes() == _best(content)
    while (cache / f"{digest}.br-pending").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(cache.iterdir()) or sorted(p.name for p in cache.iterdir()) == [f"{digest}.br", f"{digest}.gz"]


def test_a_published_build_waits_for_the_best_copy(cache, monkeypatch):
    monkeypatch.setenv(precompress.BEST_VARIABLE, "1")
    content = _content(300_000, seed=3)
    assert precompress.siblings(content)[".br"] == _best(content)
    assert not list(cache.glob("*.br-pending")) and precompress.finish_best_later() == ""


def test_build_compression_maximale_asks_the_engine_for_the_best_copies(tmp_path, monkeypatch):
    seen = []

    def engine(command, env, **kwargs):
        seen.append(env.get(precompress.BEST_VARIABLE))
        return subprocess.CompletedProcess(command, 1)
    monkeypatch.setattr(commands.subprocess, "run", engine)
    monkeypatch.delenv(precompress.BEST_VARIABLE, raising=False)
    commands.run_build(ROOT / "catalogue", tmp_path / "site")
    commands.run_build(ROOT / "catalogue", tmp_path / "site", best_compression=True)
    assert seen == [None, "1"]
    from generator.cli import build_parser
    assert build_parser().parse_args(["build", "--compression-maximale"]).best_compression is True


def test_publishing_and_the_pipelines_build_with_the_best_compression():
    assert "scripts/dev build --compression-maximale" in (ROOT / "scripts" / "publish").read_text(encoding="utf-8")
    for pipeline in (ROOT / ".github" / "workflows" / "site.yml", ROOT / ".gitlab-ci.yml"):
        builds = [line for line in pipeline.read_text(encoding="utf-8").splitlines() if "scripts/dev build" in line]
        assert builds and all("--compression-maximale" in line for line in builds), pipeline


def test_a_pending_file_another_process_holds_is_left_to_it(cache):
    content = _content(100_000, seed=4)
    digest = hashlib.sha256(content).hexdigest()
    assert best_compression.leave_pending(cache, digest, content)
    with open(best_compression.pending_path(cache, digest), "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert best_compression.compress_pending(cache) == [] and not (cache / f"{digest}.br").exists()
    assert best_compression.compress_pending(cache) == [digest]


def test_a_process_killed_halfway_leaves_no_broken_entry_and_the_next_one_finishes(cache):
    content = _content(4_000_000, seed=5)    # about 8 s at quality 11: killed long before the end
    digest = hashlib.sha256(content).hexdigest()
    assert best_compression.leave_pending(cache, digest, content)
    worker = subprocess.Popen([sys.executable, best_compression.__file__, str(cache)], start_new_session=True)
    time.sleep(1.0)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert not (cache / f"{digest}.br").exists()
    assert best_compression.pending_path(cache, digest).read_bytes() == content
    (cache / f".{digest}.br.{worker.pid}.tmp").write_bytes(b"half a copy")   # as if killed while writing it
    assert best_compression.compress_pending(cache, lambda data: _best(data[:1000])) == [digest]
    assert not list(cache.glob(".*.tmp")) and not best_compression.pending_path(cache, digest).exists()
    assert (cache / f"{digest}.br").read_bytes() == _best(content[:1000])


def test_a_pending_file_that_is_not_what_its_name_says_is_dropped(cache):
    cache.mkdir()
    best_compression.pending_path(cache, "0" * 64).write_bytes(b"other bytes")
    assert best_compression.compress_pending(cache) == []
    assert not list(cache.iterdir())


def test_a_cache_that_cannot_be_written_still_gives_a_quick_copy_and_says_so(tmp_path, monkeypatch, cache):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setattr(precompress, "CACHE_DIR", tmp_path / "a-file" / "precompressed")
    content = _content(300_000, seed=6)
    assert brotli.decompress(precompress.siblings(content)[".br"]) == content
    line = precompress.finish_best_later()
    assert "ne peut pas être écrit" in line and "--compression-maximale" in line, line
