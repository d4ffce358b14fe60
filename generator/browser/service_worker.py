"""quiz-runtime/quiz-sw.js: the service worker that hands the quiz's Python worker
pyodide.asm.mjs decoded from its .gz copy, on a host that compresses nothing (see the asset's
header, assets/quiz-sw.js). The build fills in the decoded file's path and sha256."""
from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

SERVICE_WORKER = "quiz-sw.js"
SOURCE = Path(__file__).with_name("assets") / SERVICE_WORKER
PLACEHOLDER = "{/* DECODED */}"
# The one file it decodes: imported as a module from its own URL, the worker cannot decode it.
DECODED = "pyodide.asm.mjs"


def write_service_worker(runtime: Path, folder: str) -> Path:
    """Write ``runtime/quiz-sw.js`` for the Pyodide folder ``folder`` (``pyodide-<hash>``):
    it decodes ``folder/pyodide.asm.mjs.gz`` when that copy exists, and answers nothing otherwise."""
    plain = runtime / folder / DECODED
    decoded = {}
    if plain.with_name(DECODED + ".gz").is_file():
        digest = base64.b64encode(hashlib.sha256(plain.read_bytes()).digest()).decode("ascii")
        decoded[f"{folder}/{DECODED}"] = digest
    source = SOURCE.read_text(encoding="utf-8")
    assert PLACEHOLDER in source, SOURCE
    path = runtime / SERVICE_WORKER
    path.write_text(source.replace(PLACEHOLDER, json.dumps(decoded)), encoding="utf-8")
    return path
