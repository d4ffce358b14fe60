"""The self-hosted Python runtime of the quiz: Pyodide's files from ``node_modules`` (pinned by
``package-lock.json``), our wheel and the lock file naming it, all written under one folder.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from ..errors import StaffError
from .wheel import build_wheel, lock_json

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYODIDE_DIR = PROJECT_DIR / "node_modules" / "pyodide"
# What Pyodide 314 fetches to boot when it is given its own lock file (lockFileURL): the stock
# pyodide-lock.json is then never requested, so it is not published.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_NAME = "quiz-lock.json"
CONFIG_NAME = "quiz-runtime.json"       # read by the worker (revalidated): which snapshot to restore
SNAPSHOT_MAKER = Path(__file__).with_name("make_snapshot.mjs")


class RuntimeMissing(StaffError):
    """Pyodide's npm package is not installed: the message says what to run."""


class SnapshotFailed(StaffError):
    """Node.js could not make Pyodide's memory snapshot."""


def pyodide_dir(directory: Path = PYODIDE_DIR) -> Path:
    missing = [name for name in (*RUNTIME_FILES, "pyodide-lock.json") if not (directory / name).is_file()]
    if missing:
        raise RuntimeMissing(
            f"Fichiers de Pyodide introuvables dans {directory} ({', '.join(missing)}) : "
            "lancez « npm ci » (ou scripts/dev setup) puis relancez la construction.")
    return directory


def write_runtime(destination: Path, catalogue, source: Path = PYODIDE_DIR, snapshot: bool = True) -> dict:
    """Copy Pyodide's runtime and write the wheel, its lock and (with Node.js) a memory snapshot.

    Returns what was written: ``{"wheel": …, "lock": …, "sha256": …, "snapshot": name or None}``.
    """
    source = pyodide_dir(source)
    destination.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(source / name, destination / name)
    stock_lock = json.loads((source / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheel = build_wheel(catalogue)
    for old in [*destination.glob("*.whl"), *destination.glob("python-*.snapshot")]:
        old.unlink()
    (destination / wheel.file_name).write_bytes(wheel.content)
    (destination / LOCK_NAME).write_text(lock_json(wheel, stock_lock), encoding="utf-8")
    config = {"snapshot": _write_snapshot(destination) if snapshot else None}
    (destination / CONFIG_NAME).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return {"wheel": wheel.file_name, "lock": LOCK_NAME, "sha256": wheel.sha256,
            "snapshot": config["snapshot"]["file"] if config["snapshot"] else None}


def _write_snapshot(destination: Path) -> dict | None:
    """A gzip'd memory snapshot of a booted Pyodide: restoring it skips Python's start-up.

    Without Node.js there is no snapshot and the browser boots Python normally.
    """
    node = shutil.which("node")
    if node is None:
        return None
    made = destination / "snapshot.tmp"
    run = subprocess.run([node, str(SNAPSHOT_MAKER), str(destination), str(made)],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        made.unlink(missing_ok=True)
        raise SnapshotFailed(f"Instantané de Pyodide impossible à créer : {run.stderr.strip()[-800:]}")
    content = made.read_bytes()
    digest = hashlib.sha256(content).digest()
    # gzip inside, but no ".gz" suffix: a server that would label a .gz file "Content-Encoding:
    # gzip" would have the browser unpack it before the integrity check, which would then fail.
    name = f"python-{digest.hex()[:12]}.snapshot"
    made.rename(destination / name)
    return {"file": name, "integrity": "sha256-" + base64.b64encode(digest).decode("ascii")}
