"""Variants of the quiz that the benchmark compares.

A variant is a function ``prepare(site_dir, catalogue)`` that changes a copy of the site built
by ``python -m generator build`` (the default build: the site as it is shipped). To compare a
new runtime choice, add one function here and one entry in VARIANTS.
"""
from __future__ import annotations

from pathlib import Path

from generator.browser import write_assets
from generator.site.publishing import publish


def as_built(site_dir: Path, catalogue) -> None:
    """The site exactly as `python -m generator build` writes it: trimmed, compiled stdlib; the
    memory snapshot published, and restored only when the worker measures a fast line."""


def without_snapshot(site_dir: Path, catalogue) -> None:
    """Python boots from scratch in the browser: no memory snapshot is published."""
    write_assets(site_dir, catalogue, snapshot=False)


def _before_the_worker_starts(site_dir: Path, catalogue, statement: str) -> None:
    """Put ``statement`` at the start of every quiz page's inline script that starts the worker."""
    marker = "var early = window.quizEarlyEvents = [];"
    for page in site_dir.glob("*/quiz/index.html"):
        text = page.read_text(encoding="utf-8")
        assert marker in text, page
        page.write_text(text.replace(marker, f"{statement} {marker}", 1), encoding="utf-8")
    publish(site_dir, catalogue)  # the changed inline script gets its hash in the page's CSP


def snapshot_always(site_dir: Path, catalogue) -> None:
    """The snapshot restored on every line (the quiz pages ask for it, as the tests do)."""
    _before_the_worker_starts(site_dir, catalogue, 'window.quizSnapshot = "always";')


def without_service_worker(site_dir: Path, catalogue) -> None:
    """The quiz pages do not register the runtime's service worker (quiz-sw.js): pyodide.asm.mjs
    comes as the host sends it, whole on a host that compresses nothing (the quiz before it)."""
    _before_the_worker_starts(site_dir, catalogue, "window.quizServiceWorker = false;")


def full_stdlib(site_dir: Path, catalogue) -> None:
    """Pyodide's whole standard library as the npm package ships it (sources), no snapshot:
    what the trimming and compiling at build time save."""
    write_assets(site_dir, catalogue, snapshot=False, trim_stdlib=False)


VARIANTS = {
    "snapshot": as_built,            # the shipped site (snapshot when it pays)
    "no-snapshot": without_snapshot,
    "snapshot-always": snapshot_always,
    "full-stdlib": full_stdlib,
    "no-sw": without_service_worker,
}
