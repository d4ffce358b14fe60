"""A small threaded static server for a built site, for the browser tests and the benchmark.

It records every request path, serves .mjs and .wasm with the types browsers require, and can
send a long cache lifetime for the quiz runtime (to measure a cached reload).

As options, what a real static host does (all off by default, as the tests expect):
- ``gzip``: compress text-like files (html, css, js/mjs, json, wasm, svg, txt, xml, csv) on the
  fly when the client accepts gzip (cached in memory per file version, as hosts and CDNs do);
- ``precompressed``: send ``FILE.br`` / ``FILE.gz`` when such a sibling exists and the client
  accepts that encoding (nginx ``gzip_static``/``brotli_static``, Caddy ``precompressed``…);
  True for both, or a tuple of the codings served (``("gzip",)``: nginx ``gzip_static`` alone);
- ``keep_alive``: HTTP/1.1 persistent connections (the default is HTTP/1.0, one request per
  connection, as Python's own server does).
An encoded answer keeps the original file's Content-Type, names its Content-Encoding, says
``Vary: Accept-Encoding`` and gives the Content-Length of the bytes sent.

Every answer is also recorded in ``transfers`` (path, status, bytes written on the socket,
headers included, and the encoding): the benchmark's wire bytes, the Web Worker's requests
included.
"""
from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path


# Debian's Chromium, as the browser tests and the benchmark start it (Playwright's own browser
# download does not work here; without the background-networking flags Chromium calls home).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

COMPRESSIBLE_SUFFIXES = frozenset({".html", ".htm", ".css", ".js", ".mjs", ".json", ".wasm",
                                   ".svg", ".txt", ".xml", ".csv"})
# Sibling suffix -> Content-Encoding, in order of preference when the client accepts both.
PRECOMPRESSED = ((".br", "br"), (".gz", "gzip"))
# The kinds of host the quiz must work on, as StaticServer options (tests and benchmark).
HOSTS = {
    "brotli": {"gzip": True, "precompressed": ("br", "gzip")},   # Caddy precompressed, nginx brotli_static
    "gzip": {"gzip": True, "precompressed": ("gzip",)},          # nginx gzip_static + gzip (the README's)
    "plain": {},                                                 # S3-like, a shared host left as it is
}
GZIP_LEVEL = 6  # Apache mod_deflate's default; nginx defaults to 1 (larger files)


@dataclass(frozen=True)
class Transfer:
    path: str
    status: int
    bytes_sent: int        # status line, headers and body, as written on the socket
    encoding: str | None   # Content-Encoding of the body, None when sent as is


def accepted_encodings(header: str | None) -> set[str]:
    """The codings of an Accept-Encoding header with a non-zero quality ("br;q=0" refuses br)."""
    accepted = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip() and quality > 0:
            accepted.add(name.strip().lower())
    if "*" in accepted:
        accepted |= {"gzip", "br"}
    return accepted


class _CountingWriter:
    """Wraps the socket's writer to count what is sent."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def write(self, data):
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site (the types .mjs and .wasm need, the options below). Public: ``serve``'s
    watcher (``site/watch.py``) subclasses it to show the catalogue's problems instead of pages."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
    }
    cache_runtime = False
    gzip = False
    precompressed = False
    # Where to record requests and transfers (set per server by StaticServer; a subclass made
    # elsewhere, e.g. by a test, may leave them unset).
    requests: list | None = None
    transfers: list | None = None
    gzip_cache: dict
    gzip_lock: threading.Lock

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile)

    def end_headers(self):
        if self.cache_runtime and "/quiz-runtime/" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def do_GET(self):
        if self.requests is not None:
            self.requests.append(self.path)
        self._answer(super().do_GET)

    def do_HEAD(self):
        self._answer(super().do_HEAD)

    def _answer(self, serve):
        start = self.wfile.count
        self._status, self._encoding = 0, None
        try:
            serve()
        finally:
            if self.transfers is not None:
                self.transfers.append(Transfer(self.path, self._status, self.wfile.count - start, self._encoding))

    def send_head(self):
        if not (self.gzip or self.precompressed):
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # redirects, listings and 404 as usual
        return self._send_encoded_head(path)

    def _send_encoded_head(self, path: str):
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        stat = os.stat(path)
        if self._not_modified(stat):
            self.send_response(http.server.HTTPStatus.NOT_MODIFIED)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return None
        body, encoding = None, None
        if self.precompressed:
            for suffix, coding in PRECOMPRESSED:
                served = self.precompressed is True or coding in self.precompressed
                if served and coding in accepted and os.path.isfile(path + suffix):
                    with open(path + suffix, "rb") as sibling:
                        body, encoding = sibling.read(), coding
                    break
        if body is None and self.gzip and "gzip" in accepted and Path(path).suffix.lower() in COMPRESSIBLE_SUFFIXES:
            body, encoding = self._gzipped(path, stat), "gzip"
        if body is None:
            with open(path, "rb") as plain:
                body = plain.read()
        self._encoding = encoding
        self.send_response(http.server.HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.end_headers()
        return io.BytesIO(body)

    def _gzipped(self, path: str, stat) -> bytes:
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self.gzip_lock:
            cached = self.gzip_cache.get(key)
        if cached is None:
            with open(path, "rb") as plain:
                cached = gzip.compress(plain.read(), compresslevel=GZIP_LEVEL, mtime=0)
            with self.gzip_lock:
                self.gzip_cache[key] = cached
        return cached

    def _not_modified(self, stat) -> bool:
        """If-Modified-Since as Python's own server reads it (If-None-Match is not supported)."""
        since = self.headers.get("If-Modified-Since")
        if not since or "If-None-Match" in self.headers:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, IndexError, OverflowError, ValueError):
            return False
        return when is not None and when.tzinfo is not None and int(stat.st_mtime) <= when.timestamp()

    def log_message(self, *args):
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    """Public: ``serve``'s watcher (``site/watch.py``) serves through it too."""
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that drops a connection (a page closed or failed mid-download) is not an error."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class StaticServer:
    def __init__(self, directory: Path | str, cache_runtime: bool = False, port: int = 0, host: str = "127.0.0.1",
                 gzip: bool = False, precompressed: bool | tuple = False, keep_alive: bool = False):
        self.requests: list[str] = []
        self.transfers: list[Transfer] = []
        handler = type("Handler", (SiteRequestHandler,), {
            "cache_runtime": cache_runtime, "gzip": gzip, "precompressed": precompressed,
            "requests": self.requests, "transfers": self.transfers,
            "gzip_cache": {}, "gzip_lock": threading.Lock(),
            "protocol_version": "HTTP/1.1" if keep_alive else "HTTP/1.0",
        })
        self._server = SiteServer((host, port), functools.partial(handler, directory=str(directory)))
        self.origin = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def wait(self):
        """Block until interrupted (Ctrl+C): for `python -m generator serve`."""
        self._thread.join()
