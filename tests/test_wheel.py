"""The rules wheel carries the very bytes the build imports (code only), with a correct RECORD
and lock; each programme's rules data is published beside it in a file named after its content."""
import base64
import csv
import hashlib
import io
import json
import shutil
import zipfile

from generator.browser import quiz_pages
from generator.browser.runtime import PYODIDE_DIR, write_runtime
from generator.browser.wheel import PACKAGE_NAME, build_wheel, lock_file
from generator.catalogue import load_catalogue

from .conftest import FIXTURES, ROOT
from .site_helpers import catalogue_copy


def _entries(built):
    with zipfile.ZipFile(io.BytesIO(built.content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_wheel_holds_the_source_files_byte_for_byte(catalogue):
    entries = _entries(build_wheel(catalogue))
    sources = sorted((ROOT / "generator" / "rules").rglob("*.py"))   # with rules/kinds/
    assert len(sources) >= 8
    for path in [ROOT / "generator" / "__init__.py", *sources]:
        inside = path.relative_to(ROOT).as_posix()
        assert entries[inside] == path.read_bytes(), inside
    assert entries["quiz_entry.py"] == (ROOT / "generator" / "browser" / "quiz_entry.py").read_bytes()
    python_inside = {name for name in entries if name.endswith(".py")}
    assert python_inside == {p.relative_to(ROOT).as_posix() for p in [ROOT / "generator" / "__init__.py", *sources]} | {"quiz_entry.py"}
    assert not [name for name in entries if name.endswith(".json")], "no programme data in the wheel"


def test_each_programme_rules_data_is_published_with_its_hash_and_named_by_its_page(catalogue, tmp_path):
    written = write_runtime(tmp_path, catalogue, snapshot=False, trim_stdlib=False)
    for entry in catalogue.programmes:
        published = written["rules"][entry.id]
        content = (tmp_path / published["file"]).read_bytes()
        assert content == entry.data_json().encode("utf-8")
        assert published["integrity"] == "sha256-" + base64.b64encode(hashlib.sha256(content).digest()).decode()
        page = next(p for p in quiz_pages(catalogue) if p.programme_id == entry.id)
        assert json.dumps(published["file"]) in page.body_html and json.dumps(published["integrity"]) in page.body_html


def test_editing_one_programme_changes_its_data_file_only(tmp_path):
    """Not the wheel's name, not the other programme's file, not Pyodide's folder."""
    def two_programmes(directory, edit=None):
        catalogue = catalogue_copy(directory, edit)
        shutil.copy(FIXTURES / "mini" / "titre-commis-cuisine.yaml", catalogue)
        return load_catalogue(catalogue)

    before = write_runtime(tmp_path / "before", two_programmes(tmp_path / "cat-before"), snapshot=False, trim_stdlib=False)
    edited = two_programmes(tmp_path / "cat-after", lambda text: text.replace(
        "\ntitle: CQP Assistant(e) médical(e)\n", "\ntitle: CQP Assistant(e) médical(e) — intitulé modifié\n"))
    after = write_runtime(tmp_path / "after", edited, snapshot=False, trim_stdlib=False)
    assert "intitulé modifié" in (tmp_path / "after" / after["rules"]["cqp-assistant-medical"]["file"]).read_text()
    assert after["rules"]["cqp-assistant-medical"]["file"] != before["rules"]["cqp-assistant-medical"]["file"]
    assert after["rules"]["titre-commis-cuisine"] == before["rules"]["titre-commis-cuisine"]
    assert after["wheel"] == before["wheel"]
    assert after["folder"] == before["folder"]


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


def test_wheel_is_deterministic_and_its_name_follows_its_content(monkeypatch):
    from generator.browser import wheel as wheel_module

    first, second = build_wheel(), build_wheel()
    assert first.content == second.content
    sources = wheel_module.source_files()
    sources["generator/rules/engine.py"] += b"\n# changed\n"
    monkeypatch.setattr(wheel_module, "source_files", lambda: sources)
    third = build_wheel()
    assert third.sha256 != first.sha256 and third.file_name != first.file_name


def test_lock_names_only_the_wheel_with_its_sha256(catalogue, tmp_path):
    written = write_runtime(tmp_path, catalogue, snapshot=False, trim_stdlib=False)
    lock = json.loads((tmp_path / written["lock"]).read_text())
    assert list(lock["packages"]) == [PACKAGE_NAME]
    package = lock["packages"][PACKAGE_NAME]
    wheel_bytes = (tmp_path / package["file_name"]).read_bytes()
    assert package["sha256"] == hashlib.sha256(wheel_bytes).hexdigest()
    assert package["imports"] == ["generator"] and package["depends"] == []
    stock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    assert lock["info"] == stock["info"]
    assert lock_file(build_wheel(catalogue), stock) == lock
