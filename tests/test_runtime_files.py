"""What the build publishes for the worker to fetch whatever the host: the sha256 and the .br and
.gz copies of each streamed file, the brotli decoder, the manifest's own siblings, and a memory snapshot whose name stays the
same from build to build while nothing it is made of changes (returning visitors keep it)."""
import base64
import gzip
import hashlib
import json
import shutil

import brotli
import pytest

from generator.browser import runtime
from generator.browser.runtime import CONFIG_NAME, STREAMED, write_runtime


def test_the_manifest_gives_each_streamed_file_its_hash_and_its_gzip_copy(catalogue, tmp_path):
    written = write_runtime(tmp_path, catalogue, snapshot=False, trim_stdlib=False)
    folder = tmp_path / written["folder"]
    for name in STREAMED:
        plain = (folder / name).read_bytes()
        assert written["hashes"][name] == base64.b64encode(hashlib.sha256(plain).digest()).decode()
        for kind, suffix, decompress in (("gzip", ".gz", gzip.decompress), ("brotli", ".br", brotli.decompress)):
            copy = folder / written[kind][name]["file"]
            assert copy.name == name + suffix and written[kind][name]["size"] == copy.stat().st_size
            assert decompress(copy.read_bytes()) == plain
            # The worker keeps a copy that starts like the plain file as it is (the browser has
            # unpacked it): a compressed copy never does.
            assert copy.read_bytes()[:4] != plain[:4]
    decoder_wasm = (folder / "brotli_dec_wasm_bg.wasm").read_bytes()
    assert written["brotli_decoder"] == {
        "module": "brotli_dec_wasm.js", "wasm": "brotli_dec_wasm_bg.wasm", "size": len(decoder_wasm),
        "hash": base64.b64encode(hashlib.sha256(decoder_wasm).digest()).decode(),
        "gzip": {"file": "brotli_dec_wasm_bg.wasm.gz", "size": (folder / "brotli_dec_wasm_bg.wasm.gz").stat().st_size}}
    assert gzip.decompress((folder / "brotli_dec_wasm_bg.wasm.gz").read_bytes()) == decoder_wasm
    assert (folder / "brotli_dec_wasm.js").is_file()
    # Its encoding tells the worker whether the host sends brotli: it has siblings like the rest.
    assert (tmp_path / (CONFIG_NAME + ".gz")).is_file()
    assert json.loads(gzip.decompress((tmp_path / (CONFIG_NAME + ".gz")).read_bytes())) == json.loads(
        (tmp_path / CONFIG_NAME).read_text(encoding="utf-8"))


@pytest.mark.skipif(shutil.which("node") is None, reason="no snapshot without Node.js")
def test_the_snapshot_keeps_its_name_and_bytes_while_its_inputs_do_not_change(catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "SNAPSHOT_CACHE", tmp_path / "cache")
    first = write_runtime(tmp_path / "first", catalogue)
    made = first["snapshot"]
    assert (tmp_path / "first" / made["file"]).stat().st_size == made["size"]

    real_node = runtime._node

    def no_snapshot_maker(node, args, what):
        assert args[0] != runtime.SNAPSHOT_MAKER, "the snapshot was made again"
        real_node(node, args, what)
    monkeypatch.setattr(runtime, "_node", no_snapshot_maker)
    second = write_runtime(tmp_path / "second", catalogue)
    assert second["snapshot"] == made
    assert (tmp_path / "second" / made["file"]).read_bytes() == (tmp_path / "first" / made["file"]).read_bytes()

    # Any input that changes gives another name (and so another snapshot).
    node = shutil.which("node")
    folder, out = tmp_path / "first" / first["folder"], tmp_path / "first"
    modules = sorted(json.loads((tmp_path / "first" / CONFIG_NAME).read_text())["sizes"])  # any list will do
    key = runtime.snapshot_key(node, folder, out, modules)
    assert runtime.snapshot_key(node, folder, out, modules) == key
    assert runtime.snapshot_key(node, folder, out, modules + ["zipfile"]) != key
    assert runtime.snapshot_key(node, folder.with_name("pyodide-000000000000"), out, modules) != key
    (out / runtime.LOCK_NAME).write_text((out / runtime.LOCK_NAME).read_text() + " ", encoding="utf-8")
    assert runtime.snapshot_key(node, folder, out, modules) != key
