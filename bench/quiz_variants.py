"""Variants of the quiz that the benchmark compares.

A variant is a function ``prepare(site_dir, catalogue)`` that changes a copy of the site built
by ``python -m generator build`` (the default build: the site as it is shipped). To compare a
new runtime choice, add one function here and one entry in VARIANTS.
"""
from __future__ import annotations

from pathlib import Path

from generator.browser import write_assets


def as_built(site_dir: Path, catalogue) -> None:
    """The site exactly as `python -m generator build` writes it (with the memory snapshot)."""


def without_snapshot(site_dir: Path, catalogue) -> None:
    """Python boots from scratch in the browser: no memory snapshot is published."""
    write_assets(site_dir, catalogue, snapshot=False)


VARIANTS = {
    "snapshot": as_built,
    "no-snapshot": without_snapshot,
}
