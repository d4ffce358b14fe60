"""The static server's host-like options: gzip on the fly, precompressed siblings, wire bytes."""
import gzip
import http.client

import pytest

from generator.browser.static_server import StaticServer, accepted_encodings

SCRIPT = "export const greeting = 'bonjour';\n" * 200
BROTLI_STAND_IN = b"not really brotli, but only this sibling has these bytes"


@pytest.fixture
def site(tmp_path):
    (tmp_path / "quiz-runtime").mkdir()
    (tmp_path / "quiz-runtime" / "quiz.mjs").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "quiz-runtime" / "engine.wasm").write_bytes(b"\0asm" + bytes(4000))
    (tmp_path / "quiz-runtime" / "engine.wasm.br").write_bytes(BROTLI_STAND_IN)
    (tmp_path / "quiz-runtime" / "python.snapshot").write_bytes(bytes(3000))
    (tmp_path / "index.html").write_text("<!doctype html><title>Accueil</title>" + "<p>texte</p>" * 100, encoding="utf-8")
    return tmp_path


def get(server, path, accept_encoding=None):
    connection = http.client.HTTPConnection(server.origin.removeprefix("http://"))
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_a_compressible_file_is_gzipped_only_for_a_client_that_accepts_it(site):
    with StaticServer(site, gzip=True) as server:
        response, body = get(server, "/quiz-runtime/quiz.mjs", "gzip, deflate")
        assert response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Content-Type") == "text/javascript"
        assert response.getheader("Vary") == "Accept-Encoding"
        assert int(response.getheader("Content-Length")) == len(body) < len(SCRIPT)
        assert gzip.decompress(body).decode("utf-8") == SCRIPT

        for refusing in (None, "identity", "gzip;q=0, br"):
            response, body = get(server, "/quiz-runtime/quiz.mjs", refusing)
            assert response.getheader("Content-Encoding") is None, refusing
            assert body.decode("utf-8") == SCRIPT

        response, body = get(server, "/", "gzip")  # a directory's index.html
        assert response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Content-Type") == "text/html"
        assert b"<title>Accueil</title>" in gzip.decompress(body)

        response, body = get(server, "/quiz-runtime/python.snapshot", "gzip")  # not a text-like type
        assert response.getheader("Content-Encoding") is None
        assert body == bytes(3000)


def test_a_br_sibling_is_sent_when_br_is_accepted(site):
    with StaticServer(site, precompressed=True) as server:
        response, body = get(server, "/quiz-runtime/engine.wasm", "gzip, deflate, br")
        assert response.getheader("Content-Encoding") == "br"
        assert response.getheader("Content-Type") == "application/wasm"
        assert response.getheader("Vary") == "Accept-Encoding"
        assert int(response.getheader("Content-Length")) == len(body)
        assert body == BROTLI_STAND_IN

        response, body = get(server, "/quiz-runtime/engine.wasm", "gzip, deflate")
        assert response.getheader("Content-Encoding") is None  # no .gz sibling, no on-the-fly gzip
        assert body == b"\0asm" + bytes(4000)


def test_a_host_that_serves_only_gz_siblings_ignores_the_br_one(site):
    (site / "quiz-runtime" / "engine.wasm.gz").write_bytes(gzip.compress(b"\0asm" + bytes(4000)))
    with StaticServer(site, precompressed=("gzip",)) as server:   # nginx gzip_static without ngx_brotli
        response, body = get(server, "/quiz-runtime/engine.wasm", "gzip, deflate, br")
        assert response.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == b"\0asm" + bytes(4000)


def test_a_gz_sibling_is_preferred_to_compressing_on_the_fly(site):
    (site / "quiz-runtime" / "quiz.mjs.gz").write_bytes(gzip.compress(b"// precompressed\n"))
    with StaticServer(site, gzip=True, precompressed=True) as server:
        response, body = get(server, "/quiz-runtime/quiz.mjs", "gzip")
        assert response.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == b"// precompressed\n"


def test_by_default_files_are_sent_as_they_are_and_wire_bytes_are_recorded(site):
    with StaticServer(site) as server:
        response, body = get(server, "/quiz-runtime/quiz.mjs", "gzip, br")
        assert response.getheader("Content-Encoding") is None
        assert body.decode("utf-8") == SCRIPT
        get(server, "/missing.js", "gzip")
    assert server.requests == ["/quiz-runtime/quiz.mjs", "/missing.js"]
    sent, missing = server.transfers
    assert (sent.path, sent.status, sent.encoding) == ("/quiz-runtime/quiz.mjs", 200, None)
    assert len(SCRIPT) < sent.bytes_sent < len(SCRIPT) + 1000  # body and headers
    assert missing.status == 404


def test_accept_encoding_qualities():
    assert accepted_encodings("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted_encodings("") == set()
