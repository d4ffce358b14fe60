"""The self-hosted Python runtime of the quiz: Pyodide's files from ``node_modules`` (pinned by
``package-lock.json``), our wheel and the lock file naming it, all written under one folder.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .wheel import build_wheel, lock_json

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYODIDE_DIR = PROJECT_DIR / "node_modules" / "pyodide"
# What Pyodide 314 fetches to boot when it is given its own lock file (lockFileURL): the stock
# pyodide-lock.json is then never requested, so it is not published.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_NAME = "quiz-lock.json"


class RuntimeMissing(Exception):
    """Pyodide's npm package is not installed: the message says what to run."""


def pyodide_dir(directory: Path = PYODIDE_DIR) -> Path:
    missing = [name for name in (*RUNTIME_FILES, "pyodide-lock.json") if not (directory / name).is_file()]
    if missing:
        raise RuntimeMissing(
            f"Fichiers de Pyodide introuvables dans {directory} ({', '.join(missing)}) : "
            "lancez « npm ci » (ou scripts/dev setup) puis relancez la construction.")
    return directory


def write_runtime(destination: Path, catalogue, source: Path = PYODIDE_DIR) -> dict:
    """Copy Pyodide's runtime and write the wheel and its lock into ``destination``.

    Returns the names written: ``{"wheel": …, "lock": …, "sha256": …}``.
    """
    source = pyodide_dir(source)
    destination.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(source / name, destination / name)
    stock_lock = json.loads((source / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheel = build_wheel(catalogue)
    for old in destination.glob("*.whl"):
        old.unlink()
    (destination / wheel.file_name).write_bytes(wheel.content)
    (destination / LOCK_NAME).write_text(lock_json(wheel, stock_lock), encoding="utf-8")
    return {"wheel": wheel.file_name, "lock": LOCK_NAME, "sha256": wheel.sha256}
