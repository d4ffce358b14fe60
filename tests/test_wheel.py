"""The rules wheel carries the very bytes the build imports, with a correct RECORD and lock."""
import base64
import csv
import hashlib
import io
import json
import zipfile

from generator.browser import wheel as wheel_module
from generator.browser.runtime import PYODIDE_DIR, write_runtime
from generator.browser.wheel import PACKAGE_NAME, build_wheel, lock_file

from .conftest import ROOT


def _entries(built):
    with zipfile.ZipFile(io.BytesIO(built.content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_wheel_holds_the_source_files_byte_for_byte(catalogue):
    entries = _entries(build_wheel(catalogue))
    sources = sorted((ROOT / "generator" / "rules").glob("*.py"))
    assert len(sources) >= 8
    for path in [ROOT / "generator" / "__init__.py", *sources]:
        inside = path.relative_to(ROOT).as_posix()
        assert entries[inside] == path.read_bytes(), inside
    python_inside = {name for name in entries if name.endswith(".py")}
    assert python_inside == {p.relative_to(ROOT).as_posix() for p in [ROOT / "generator" / "__init__.py", *sources]}


def test_wheel_holds_each_programme_data_as_the_catalogue_gives_it(catalogue):
    entries = _entries(build_wheel(catalogue))
    for entry in catalogue.programmes:
        assert entries[f"generator/catalogue_data/{entry.id}.json"] == entry.data_json().encode("utf-8")


def test_record_lists_every_file_with_its_sha256_and_size(catalogue):
    built = build_wheel(catalogue)
    entries = _entries(built)
    dist_info = f"catalogue_rules-{built.version}.dist-info"
    record_name = f"{dist_info}/RECORD"
    rows = list(csv.reader(io.StringIO(entries[record_name].decode())))
    assert {row[0] for row in rows} == set(entries)
    for name, digest, size in rows:
        if name == record_name:
            assert digest == size == ""
            continue
        expected = base64.urlsafe_b64encode(hashlib.sha256(entries[name]).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}", name
        assert int(size) == len(entries[name])
    metadata = entries[f"{dist_info}/METADATA"].decode()
    assert f"Version: {built.version}\n" in metadata
    assert "Tag: py3-none-any" in entries[f"{dist_info}/WHEEL"].decode()


def test_wheel_is_deterministic_and_its_name_follows_its_content(catalogue, monkeypatch):
    first, second = build_wheel(catalogue), build_wheel(catalogue)
    assert first.content == second.content
    entry = catalogue.programmes[0]
    changed = json.loads(entry.data_json())
    changed["title"] += " (modifié)"
    monkeypatch.setattr(wheel_module, "data_files",
                        lambda _: {f"generator/catalogue_data/{entry.id}.json": json.dumps(changed).encode()})
    third = build_wheel(catalogue)
    assert third.sha256 != first.sha256 and third.file_name != first.file_name


def test_lock_names_only_the_wheel_with_its_sha256(catalogue, tmp_path):
    written = write_runtime(tmp_path, catalogue, snapshot=False)
    lock = json.loads((tmp_path / written["lock"]).read_text())
    assert list(lock["packages"]) == [PACKAGE_NAME]
    package = lock["packages"][PACKAGE_NAME]
    wheel_bytes = (tmp_path / package["file_name"]).read_bytes()
    assert package["sha256"] == hashlib.sha256(wheel_bytes).hexdigest()
    assert package["imports"] == ["generator"] and package["depends"] == []
    stock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    assert lock["info"] == stock["info"]
    assert lock_file(build_wheel(catalogue), stock) == lock
