"""The self-hosted Python runtime of the quiz, as the site publishes it under ``quiz-runtime/``.

    quiz-runtime.json        manifest (revalidated): which folder, file sizes, snapshot, rules files
    quiz-lock.json           Pyodide lock naming the wheel and its sha256 (revalidated)
    quiz.mjs quiz-worker.mjs quiz.css                      (small; revalidated)
    pyodide-<hash>/          pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip
                             (+ .br/.gz siblings): named by its content, cacheable for ever
    catalogue_rules-<version+hash>-py3-none-any.whl        rules code only, named by its content
    rules/<programme>.<hash>.json (+ siblings)             one programme's rules data
    python-<key>.snapshot    gzip'd memory snapshot of a booted Python (optional, see below),
                             named after what it is made of (snapshot_key), kept in .cache/
    quiz-runtime.json also gives the sha256 of the wasm and the stdlib, and their .br and .gz
    copies, which the worker fetches and decodes itself when the host does not send brotli (the
    .br with the brotli decoder the folder also holds: brotli_dec_wasm.js and its wasm).

Pyodide is the npm package pinned by package-lock.json (package.json: ``pyodide``). Its files
keep their names inside a folder named after their content (Pyodide finds them from
``indexURL``; the stdlib's name could be changed with ``stdLibURL`` but the wasm's cannot).
The standard library is trimmed at build time to the modules the quiz really imports
(``stdlib_usage.mjs`` boots Pyodide in Node and surveys ``sys.modules``), shipped as bytecode
compiled by Pyodide's own Python (no compilation at start-up: Python starts 3-4 times faster).

PRIVATE PYODIDE OPTIONS: the memory snapshot relies on ``_makeSnapshot`` (make_snapshot.mjs),
``makeMemorySnapshot()`` and ``_loadSnapshot`` (quiz-worker.mjs, tests/js/parity.mjs), which
Pyodide does not document nor promise to keep. Checked with pyodide 314.0.7; when the pin
moves, run tests/test_parity.py and the browser tests, which boot from the snapshot.
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .build_cache import cache_dir, keep
from .precompress import COMPRESSIBLE, write_siblings
from .rules_data import RULES_FOLDER, rules_file
from .service_worker import DECODED as SERVICE_WORKER_DECODED
from ..errors import StaffError
from .wheel import build_wheel, lock_json
from ..rules.kinds import kind_of

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYODIDE_DIR = PROJECT_DIR / "node_modules" / "pyodide"
# What Pyodide 314 fetches to boot when it is given its own lock file (lockFileContents): the
# stock pyodide-lock.json is then never requested, so it is not published.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
STDLIB = "python_stdlib.zip"
# Streamed by the worker, checked against their sha256, fetched as their .br copy (or .gz,
# without the brotli decoder) on a host that does not send brotli.
STREAMED = ("pyodide.asm.wasm", STDLIB)
FOLDER_PREFIX = "pyodide-"
LOCK_NAME = "quiz-lock.json"
CONFIG_NAME = "quiz-runtime.json"       # the manifest, read by the worker (revalidated)
SURVEYOR = Path(__file__).with_name("stdlib_usage.mjs")
SNAPSHOT_MAKER = Path(__file__).with_name("make_snapshot.mjs")
# The brotli decoder (npm brotli-dec-wasm, a Rust decoder built to WebAssembly: package.json):
# the worker decodes the .br copies with it where the host does not send brotli itself.
# QUIZ_BROTLI_DECODER names another folder holding its two files (the npm package's pkg/).
BROTLI_DECODER_DIR = Path(os.environ.get("QUIZ_BROTLI_DECODER", PROJECT_DIR / "node_modules" / "brotli-dec-wasm" / "pkg"))
BROTLI_DECODER_FILES = {"module": "brotli_dec_wasm.js", "wasm": "brotli_dec_wasm_bg.wasm"}
SNAPSHOT_CACHE = cache_dir("snapshots", "QUIZ_SNAPSHOT_CACHE")   # snapshots by what they are made of (snapshot_key)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# The stdlib survey's results, by what they depend on (survey_key): a text edit does not run it again.
SURVEY_CACHE = cache_dir("stdlib-survey", "QUIZ_SURVEY_CACHE")   # shared by the user's clones (build_cache.py)


class RuntimeMissing(StaffError):
    """Pyodide's npm package is not installed: the message says what to run."""


class SnapshotFailed(StaffError):
    """Node.js could not survey the standard library or make Pyodide's memory snapshot."""


def pyodide_dir(directory: Path = PYODIDE_DIR) -> Path:
    missing = [name for name in (*RUNTIME_FILES, "pyodide-lock.json") if not (directory / name).is_file()]
    if missing:
        raise RuntimeMissing(
            f"Fichiers de Pyodide introuvables dans {directory} ({', '.join(missing)}) : "
            "lancez « npm ci » (ou scripts/dev setup) puis relancez la construction.")
    return directory


def write_runtime(destination: Path, catalogue, source: Path = PYODIDE_DIR, snapshot: bool = True,
                  trim_stdlib: bool = True) -> dict:
    """Write the runtime folder (see the module's docstring) and its manifest; return the manifest.

    Without Node.js the full standard library is shipped and there is no snapshot.
    """
    source = pyodide_dir(source)
    destination.mkdir(parents=True, exist_ok=True)
    stock_lock = json.loads((source / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheel = build_wheel()
    for old in [*destination.glob("*.whl"), *destination.glob("python-*.snapshot")]:
        old.unlink()
    (destination / wheel.file_name).write_bytes(wheel.content)
    (destination / LOCK_NAME).write_text(lock_json(wheel, stock_lock), encoding="utf-8")
    rules = _write_rules(destination, catalogue)

    node = shutil.which("node")
    stdlib = (source / STDLIB).read_bytes()
    modules = None
    if node and trim_stdlib:
        modules, compiled = _survey_stdlib(node, source, destination, catalogue, wheel.sha256)
        stdlib = trimmed_stdlib(stdlib, modules.values(), compiled)
    files = {name: (source / name).read_bytes() for name in RUNTIME_FILES if name != STDLIB}
    files[STDLIB] = stdlib
    decoder = brotli_decoder_files()
    folder = _write_pyodide_folder(destination, {**files, **decoder})

    config = {
        "folder": folder + "/",
        "sizes": {name: len(content) for name, content in sorted(files.items())},
        **_streamed_copies(destination / folder, files),
        "brotli_decoder": _decoder_entry(destination / folder, decoder),
        "decoded_by_service_worker": _service_worker_copies(destination / folder),
        "wheel": {"file": wheel.file_name, "size": len(wheel.content)},
        "rules": rules,
        "snapshot": None,
    }
    if snapshot and node:
        config["snapshot"] = _write_snapshot(node, destination / folder, destination, sorted(modules or ()))
    (destination / CONFIG_NAME).write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    write_siblings(destination / CONFIG_NAME)   # its encoding tells the worker whether the host sends brotli
    return {**config, "lock": LOCK_NAME, "sha256": wheel.sha256, "trimmed": modules is not None}


def brotli_decoder_files(directory: Path | None = None) -> dict[str, bytes]:
    """The brotli decoder's module and wasm, or nothing when its npm package is not installed
    (the worker then decodes the .gz copies, with the browser's own gzip decoder)."""
    directory = directory or BROTLI_DECODER_DIR
    paths = [directory / name for name in BROTLI_DECODER_FILES.values()]
    if not all(path.is_file() for path in paths):
        return {}
    return {path.name: path.read_bytes() for path in paths}


def _decoder_entry(folder: Path, decoder: dict[str, bytes]) -> dict | None:
    """The manifest's ``brotli_decoder``: its module, its wasm (size, sha256) and the wasm's .gz copy."""
    if not decoder:
        return None
    wasm = decoder[BROTLI_DECODER_FILES["wasm"]]
    entry = {**BROTLI_DECODER_FILES, "size": len(wasm), "hash": base64.b64encode(hashlib.sha256(wasm).digest()).decode("ascii")}
    copy = folder / (BROTLI_DECODER_FILES["wasm"] + ".gz")
    if copy.is_file():
        entry["gzip"] = {"file": copy.name, "size": copy.stat().st_size}
    return entry


def _service_worker_copies(folder: Path) -> dict:
    """The manifest's ``decoded_by_service_worker``: the .gz copy (name and size) of each file the
    runtime's service worker hands the worker decoded on a host that compresses nothing
    (service_worker.py), so that the progress counts the bytes that really come."""
    copy = folder / (SERVICE_WORKER_DECODED + ".gz")
    return {SERVICE_WORKER_DECODED: {"file": copy.name, "size": copy.stat().st_size}} if copy.is_file() else {}


def _streamed_copies(folder: Path, files: dict[str, bytes]) -> dict:
    """The manifest's ``hashes`` (sha256 in base64 of the plain bytes) of the files the worker
    streams, and their compressed copies (``FILE.br`` under ``brotli``, ``FILE.gz`` under
    ``gzip``: name and size), which it fetches and decodes itself when the host does not send
    brotli (see quiz-worker.mjs)."""
    digests, copies = {}, {"brotli": {}, "gzip": {}}
    for name in STREAMED:
        digests[name] = base64.b64encode(hashlib.sha256(files[name]).digest()).decode("ascii")
        for kind, suffix in (("brotli", ".br"), ("gzip", ".gz")):
            copy = folder / (name + suffix)
            if copy.is_file():
                copies[kind][name] = {"file": copy.name, "size": copy.stat().st_size}
    return {"hashes": digests, **copies}


def _write_rules(destination: Path, catalogue) -> dict:
    folder = destination / RULES_FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    published = {}
    for entry in catalogue.programmes:
        data = rules_file(entry)
        path = destination / data.path
        path.write_bytes(data.content)
        write_siblings(path)
        published[entry.id] = {"file": data.path, "integrity": data.integrity, "size": len(data.content)}
    return published


def _write_pyodide_folder(destination: Path, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    folder = FOLDER_PREFIX + digest.hexdigest()[:12]
    for old in destination.glob(FOLDER_PREFIX + "*"):
        if old.name != folder:
            shutil.rmtree(old)
    target = destination / folder
    if (target / "complete").is_file():
        return folder                          # same content already written (rebuild in place)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for name, content in files.items():
        (target / name).write_bytes(content)
        if name.endswith(COMPRESSIBLE):
            write_siblings(target / name)
    (target / "complete").touch()
    return folder


def probe_cases(catalogue) -> list[dict]:
    """Evaluations the stdlib survey runs: each programme with no answer, with every question
    answered and with faulty answers (each kind's own ``sample_answers``, so a kind added later runs
    its valid path too), a faulty date and text that is not JSON (every code path the worker can
    take, so that no module it imports is left out of the trimmed zip)."""
    cases = []
    for entry in catalogue.programmes:
        text = entry.data_json()
        full, faulty = {}, {}
        for question in entry.model.questions:   # each kind gives its own (rules/kinds/)
            full[question.key], faulty[question.key] = kind_of(question).sample_answers(question)
        for answers in ({}, full, faulty, {**full, "not_a_question": 1}):
            cases.append({"programme_json": text, "answers": json.dumps(answers), "today": "2026-11-22"})
            # The same as the page sends them: what was typed, read by Python (quiz_entry.evaluate_typed).
            typed = [[key, "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)]
                     for key, value in answers.items()]
            cases.append({"programme_json": text, "answers": json.dumps(typed), "today": "2026-11-22", "typed": True})
        for raw in ("{not json", "[1, 2]", "null"):
            cases.append({"programme_json": text, "answers": raw, "today": "2026-11-22"})
        cases.append({"programme_json": text, "answers": "{}", "today": "2026-13-01"})
        cases.append({"programme_json": text, "answers": json.dumps(full), "today": _dt.date(2028, 2, 29).isoformat()})
    return cases


def _node(node: str, args: list, what: str) -> None:
    run = subprocess.run([node, *map(str, args)], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise SnapshotFailed(f"{what} : {run.stderr.strip()[-800:]}")


def _survey_stdlib(node: str, source: Path, runtime: Path, catalogue, wheel_sha256: str = "") -> tuple[dict[str, str], dict[str, bytes]]:
    """({module name: its file inside the stdlib zip}, {"path/module.pyc": bytecode}) for every
    stdlib module the quiz imports, compiled by Pyodide's own Python (see stdlib_usage.mjs).
    Reused from SURVEY_CACHE when what it depends on is unchanged (``survey_key``)."""
    cases = probe_cases(catalogue)
    cached = SURVEY_CACHE / f"{survey_key(source, wheel_sha256, cases)}.json"
    try:
        found = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = None
    if found is None:
        with tempfile.TemporaryDirectory() as work:
            probes, out = Path(work) / "probes.json", Path(work) / "modules.json"
            probes.write_text(json.dumps(cases), encoding="utf-8")
            _node(node, [SURVEYOR, source, runtime, probes, out], "Inventaire de la bibliothèque standard de Pyodide impossible à dresser")
            text = out.read_text(encoding="utf-8")
        found = json.loads(text)
        keep(cached, text)
    return found["modules"], {path: base64.b64decode(code) for path, code in found["compiled"].items()}


_IDENTIFIER = re.compile(r"[a-z0-9_.:+-]{1,60}")   # keys, ids, kinds, operators, values, dates


def _code_paths(value):
    """What of the probes decides which code the rules run: their structure, numbers, dates,
    identifiers (keys, kinds, operators, choice values); free text (titles, labels) is blanked,
    so that editing a text does not run the survey again."""
    if isinstance(value, dict):
        return {key: _code_paths(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_code_paths(item) for item in value]
    if isinstance(value, str) and not _IDENTIFIER.fullmatch(value):
        return ""
    return value


def survey_key(source: Path, wheel_sha256: str, cases: list[dict]) -> str:
    """The survey's inputs: Pyodide (its stdlib, interpreter and loader), the surveyor, the rules'
    code (the wheel) and the probes' code paths (``_code_paths``)."""
    digest = hashlib.sha256()
    for path in (source / STDLIB, source / "pyodide.asm.wasm", source / "pyodide.asm.mjs", SURVEYOR):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    digest.update(wheel_sha256.encode() + b"\0")
    shapes, programmes = [], {}
    for case in cases:
        shape = {key: value for key, value in case.items() if key != "programme_json"}
        text = case["programme_json"]   # the same for every case of a programme: read and hashed once
        if text not in programmes:
            paths = json.dumps(_code_paths(json.loads(text)), sort_keys=True)
            programmes[text] = hashlib.sha256(paths.encode()).hexdigest()
        shape["programme"] = programmes[text]
        shapes.append(shape)
    digest.update(json.dumps(shapes, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def trimmed_stdlib(full_zip: bytes, used_files, compiled: dict[str, bytes] | None = None) -> bytes:
    """A zip of the used files (their bytecode when ``compiled`` has it) and the ``__init__`` of
    every package above them, stored uncompressed (the transport's brotli/gzip then compresses
    them better, once)."""
    compiled = compiled or {}
    wanted = set(used_files)
    for name in list(wanted):
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            wanted.add("/".join(parts[:depth]) + "/__init__.py")
    entries = {}
    with zipfile.ZipFile(io.BytesIO(full_zip)) as full:
        present = set(full.namelist())
        for name in wanted & present:
            if name + "c" in compiled:
                entries[name + "c"] = compiled[name + "c"]
            else:
                entries[name] = full.read(name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            out.writestr(info, entries[name])
    return buffer.getvalue()


def snapshot_key(node: str, folder: Path, runtime: Path, modules: list[str]) -> str:
    """What the snapshot is made of: the Pyodide folder (named after its wasm, JS and trimmed
    stdlib, so Pyodide's version and the modules the kinds' sample answers import), the lock (the
    wheel's name and sha256), the modules imported, the maker script and Node's version. Making
    a snapshot is not reproducible (two runs differ byte for byte): named after these inputs and
    kept in SNAPSHOT_CACHE, it keeps its name, and returning visitors their cached copy, until one
    of them changes."""
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    digest = hashlib.sha256()
    for part in (folder.name.encode(), (runtime / LOCK_NAME).read_bytes(), json.dumps(sorted(modules)).encode(),
                 SNAPSHOT_MAKER.read_bytes(), version.encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _write_snapshot(node: str, folder: Path, runtime: Path, modules: list[str]) -> dict:
    """A gzip'd memory snapshot of a Python booted on the shipped (trimmed) stdlib, with the
    quiz's stdlib modules imported: restoring it skips Python's start-up. Taken from
    SNAPSHOT_CACHE when the same inputs made one before (snapshot_key)."""
    key = snapshot_key(node, folder, runtime, modules)
    cached = SNAPSHOT_CACHE / f"{key}.snapshot"
    try:
        content = cached.read_bytes()
    except OSError:
        with tempfile.TemporaryDirectory() as work:
            listed, made = Path(work) / "modules.json", Path(work) / "snapshot.gz"
            listed.write_text(json.dumps(modules), encoding="utf-8")
            _node(node, [SNAPSHOT_MAKER, folder, runtime, listed, made], "Instantané de Pyodide impossible à créer")
            content = made.read_bytes()
        keep(cached, content)
    digest = hashlib.sha256(content).digest()
    # gzip inside, but no ".gz" suffix: a server that would label a .gz file "Content-Encoding:
    # gzip" would have the browser unpack it before the integrity check, which would then fail.
    name = f"python-{key[:12]}.snapshot"
    (runtime / name).write_bytes(content)
    return {"file": name, "integrity": "sha256-" + base64.b64encode(digest).decode("ascii"), "size": len(content)}
