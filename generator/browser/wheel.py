"""The rules engine packaged as a wheel (code only), plus the lock file that lists it.

Each programme's data is NOT in the wheel: it is published beside it (``rules_data``), so that
editing one programme changes one small file and leaves every visitor's cached wheel valid.

The browser (and the Node parity runner) load this wheel with ``pyodide.loadPackage`` through a
lock file naming only it, with its sha256: the browser checks the hash (Subresource Integrity).
The wheel is deterministic: same sources and data give the same bytes (fixed timestamps and
permissions, sorted entries), so its hash only moves when its content does.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

GENERATOR_DIR = Path(__file__).resolve().parents[1]
DISTRIBUTION = "catalogue_rules"        # file and dist-info names
PACKAGE_NAME = "catalogue-rules"        # the name given to pyodide.loadPackage
BASE_VERSION = "0.1.0"
ENTRY_MODULE = "quiz_entry"             # the function the worker calls (generator/browser/quiz_entry.py)
KINDS_MODULE = "quiz_kinds"             # written only when kinds are registered outside generator/rules
ZIP_TIME = (1980, 1, 1, 0, 0, 0)        # the earliest time a zip entry can hold


@dataclass(frozen=True)
class BuiltWheel:
    file_name: str
    content: bytes
    version: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def source_files() -> dict[str, bytes]:
    """The Python sources the wheel carries, by their path inside it: the very bytes the build imports."""
    files = {"generator/__init__.py": (GENERATOR_DIR / "__init__.py").read_bytes()}
    for path in sorted((GENERATOR_DIR / "rules").rglob("*.py")):   # with rules/kinds/
        files[path.relative_to(GENERATOR_DIR.parent).as_posix()] = path.read_bytes()
    files[f"{ENTRY_MODULE}.py"] = (GENERATOR_DIR / "browser" / f"{ENTRY_MODULE}.py").read_bytes()
    files.update(added_kinds())
    return files


def added_kinds() -> dict[str, bytes]:
    """The question kinds registered from a module outside ``generator/rules`` (``rules.kinds.register``),
    so that the browser knows them too: each such module, and ``quiz_kinds.py``, which ``quiz_entry``
    imports and which registers an instance of each kind. Such a module may import only the standard
    library and ``generator.rules``; its kind class is built with no argument. Nothing when every
    kind is a built-in one."""
    from ..rules.kinds import KINDS

    files, lines = {}, []
    for kind in KINDS.values():
        kind_class = type(kind)
        module_name = kind_class.__module__
        if module_name == "generator.rules" or module_name.startswith("generator.rules."):
            continue
        source = getattr(sys.modules.get(module_name), "__file__", None)
        if module_name == "__main__" or not source or "." in kind_class.__qualname__:
            raise ValueError(f"question kind {kind.name!r}: its class must be defined at the top level "
                             f"of an importable module file, not in {module_name}")
        files[module_name.replace(".", "/") + ".py"] = Path(source).read_bytes()
        lines.append(f"from {module_name} import {kind_class.__name__} as _{len(lines)}\n"
                     f"register(_{len(lines)}())\n")
    if files:
        files[f"{KINDS_MODULE}.py"] = ('"""Kinds registered outside generator/rules when this wheel was built."""\n'
                                       "from generator.rules.kinds import register\n"
                                       + "".join(lines)).encode()
    return files


def _record_hash(content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode("ascii")
    return f"sha256={digest}"


def build_wheel(catalogue=None) -> BuiltWheel:
    """The wheel of the rules code. ``catalogue`` is accepted for callers of old and ignored:
    no programme data goes in the wheel."""
    payload = source_files()
    # The version carries a digest of the content: a changed wheel gets a new file name, so a
    # browser never pairs a cached old wheel with a new lock file (the hash check would fail).
    content_digest = hashlib.sha256()
    for name in sorted(payload):
        content_digest.update(name.encode() + b"\0" + payload[name] + b"\0")
    version = f"{BASE_VERSION}+{content_digest.hexdigest()[:12]}"
    dist_info = f"{DISTRIBUTION}-{version}.dist-info"
    payload[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\n"
        f"Name: {PACKAGE_NAME}\n"
        f"Version: {version}\n"
        "Summary: Rules engine of the catalogue, for the in-browser self-assessment.\n"
    ).encode()
    payload[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\n"
        "Generator: generator.browser.wheel\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    ).encode()
    payload[f"{dist_info}/top_level.txt"] = f"generator\n{ENTRY_MODULE}\n".encode()
    record_path = f"{dist_info}/RECORD"
    record_lines = [f"{name},{_record_hash(data)},{len(data)}" for name, data in sorted(payload.items())]
    record_lines.append(f"{record_path},,")
    payload[record_path] = ("\n".join(record_lines) + "\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(payload):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload[name], compresslevel=9)
    file_name = f"{DISTRIBUTION}-{version}-py3-none-any.whl"
    return BuiltWheel(file_name, buffer.getvalue(), version)


def lock_file(wheel: BuiltWheel, stock_lock: dict) -> dict:
    """A lock file in Pyodide's format that lists only our wheel (``info`` copied from the stock one)."""
    return {
        "info": stock_lock["info"],
        "packages": {
            PACKAGE_NAME: {
                "name": PACKAGE_NAME,
                "version": wheel.version,
                "file_name": wheel.file_name,
                "install_dir": "site",
                "package_type": "package",
                "sha256": wheel.sha256,
                "imports": ["generator"],
                "depends": [],
                "unvendored_tests": False,
            }
        },
    }


def lock_json(wheel: BuiltWheel, stock_lock: dict) -> str:
    return json.dumps(lock_file(wheel, stock_lock), indent=1, sort_keys=True) + "\n"
