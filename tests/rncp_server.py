"""A local server playing data.gouv.fr for ``rncp fetch``: the dataset's API page (JSON with
its ``resources``) and the files it names, with ETag, Last-Modified and Range.

Faults on demand: ``drop_after`` (send the full Content-Length, then close the connection after
that many bytes of body), ``status`` (answer every file request with that code), ``body``
(serve other bytes than the checksum announces), ``dataset_json`` (replace the API page).
Every request is recorded (path, Range header, status, body bytes it sends), before the body goes.
Run alone (``python -m tests.rncp_server FILE``) it serves FILE until stopped: the notes'
measurements use it.
"""
from __future__ import annotations

import hashlib
import json
import sys
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATASET = "repertoire-national-des-certifications-professionnelles-et-repertoire-specifique"
LAST_MODIFIED = formatdate(1764400000, usegmt=True)


@dataclass
class Served:
    path: str
    range: str | None
    status: int
    sent: int


@dataclass
class ExportServer:
    export: bytes
    export_name: str = "export-fiches-rncp-v4-1-2026-11-29.zip"
    checksum_type: str | None = "sha256"
    drop_after: int | None = None
    status: int | None = None
    body: bytes | None = None
    dataset_json: bytes | None = None
    log: list[Served] = field(default_factory=list)
    chunk_pause: float = 0.0

    def __post_init__(self):
        self.digest = hashlib.new(self.checksum_type, self.export).hexdigest() if self.checksum_type else None
        handler = type("Handler", (_Handler,), {"app": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def api(self) -> str:
        return f"{self.base}/api/1/"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.export).hexdigest()[:16] + '"'

    def resources(self) -> list[dict]:
        """The XML export among decoys: a newer CSV export (zipped), an older XML export, the RS export."""
        checksum = {"type": self.checksum_type, "value": self.digest} if self.checksum_type else None
        files = f"{self.base}/files"
        return [
            {"title": "export-fiches-csv-2026-11-30.zip", "format": "zip", "url": f"{files}/export-fiches-csv-2026-11-30.zip",
             "last_modified": "2026-11-30T02:10:00", "filesize": 1000},
            {"title": "Export RNCP au format CSV", "format": "csv", "url": f"{files}/export_rncp.csv",
             "last_modified": "2026-11-30T02:00:00+00:00", "filesize": 1000},
            {"title": "Export des fiches RNCP (XML) du 28/11/2026", "format": "zip",
             "url": f"{files}/export-fiches-rncp-v4-1-2026-11-28.zip", "last_modified": "2026-11-28T03:00:00+00:00",
             "filesize": 1000, "checksum": {"type": "sha1", "value": "0" * 40}},
            {"title": "Export des fiches RS (XML)", "format": "zip", "url": f"{files}/export-fiches-rs-v4-1-2026-11-30.zip",
             "last_modified": "2026-11-30T03:00:00+00:00", "filesize": 1000},
            {"title": self.export_name, "format": "zip",
             "url": f"{files}/{self.export_name}", "last_modified": "2026-11-29T03:00:00.123456+00:00",
             "filesize": len(self.export), "checksum": checksum},
            {"title": "Documentation du format XML", "format": "pdf", "url": f"{files}/notice-xml.pdf",
             "last_modified": "2026-12-01T00:00:00+00:00", "filesize": 1000},
        ]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.httpd.shutdown()
        self.httpd.server_close()

    def file_requests(self) -> list[Served]:
        return [s for s in self.log if s.path.startswith("/files/")]


class _Handler(BaseHTTPRequestHandler):
    app: ExportServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_GET(self):
        app = self.app
        if self.path.rstrip("/") == f"/api/1/datasets/{DATASET}":
            self._json(app.dataset_json if app.dataset_json is not None
                       else json.dumps({"id": "x", "title": "RNCP", "resources": app.resources()}).encode())
        elif self.path == f"/files/{app.export_name}":
            self._file()
        else:
            self._send(404, b"not found", "text/plain")

    def _json(self, body: bytes):
        self._send(200, body, "application/json")

    def _send(self, status: int, body: bytes, kind: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.app.log.append(Served(self.path, self.headers.get("Range"), status, len(body)))
        self.wfile.write(body)

    def _file(self):
        app = self.app
        data = app.body if app.body is not None else app.export
        wanted = self.headers.get("Range")
        if app.status:
            return self._send(app.status, b"erreur", "text/plain")
        validators = {"ETag": app.etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == app.etag:
            app.log.append(Served(self.path, wanted, 304, 0))
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.end_headers()
            return
        start, status = 0, 200
        if wanted and self.headers.get("If-Range") in (None, app.etag, LAST_MODIFIED):
            start = int(wanted.removeprefix("bytes=").split("-")[0])
            if start >= len(data):
                app.log.append(Served(self.path, wanted, 416, 0))
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        for key, value in validators.items():
            self.send_header(key, value)
        self.end_headers()
        limit = len(body) if app.drop_after is None else min(app.drop_after, len(body))
        # logged before the bytes go: the client may finish reading before this thread logs
        app.log.append(Served(self.path, wanted, status, limit))
        sent = 0
        while sent < limit:
            piece = body[sent:min(sent + (1 << 16), limit)]
            self.wfile.write(piece)
            sent += len(piece)
        if app.drop_after is not None:
            app.drop_after = None          # once: the next request gets everything
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)


def serve_forever(path: str) -> None:
    """Serve FILE (memory-mapped) until interrupted; print the API address, then each file request."""
    import mmap
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        server = ExportServer(mapped, export_name=Path(path).name)
        with server:
            print(server.api, flush=True)
            done = 0
            try:
                while server.thread.is_alive():
                    server.thread.join(0.5)
                    for served in server.log[done:]:
                        print(f"{served.path} Range={served.range} -> {served.status}, {served.sent} octets à envoyer", flush=True)
                    done = len(server.log)
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    serve_forever(sys.argv[1])
