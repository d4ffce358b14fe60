"""A small threaded static server for a built site, for the browser tests and the benchmark.

It records every request path, serves .mjs and .wasm with the types browsers require, and can
send a long cache lifetime for the quiz runtime (to measure a cached reload).
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


# Debian's Chromium, as the browser tests and the benchmark start it (Playwright's own browser
# download does not work here; without the background-networking flags Chromium calls home).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
    }
    cache_runtime = False
    requests: list

    def end_headers(self):
        if self.cache_runtime and "/quiz-runtime/" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()

    def do_GET(self):
        self.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


class StaticServer:
    def __init__(self, directory: Path | str, cache_runtime: bool = False, port: int = 0, host: str = "127.0.0.1"):
        self.requests: list[str] = []
        handler = type("Handler", (_Handler,), {"cache_runtime": cache_runtime, "requests": self.requests})
        self._server = http.server.ThreadingHTTPServer(
            (host, port), functools.partial(handler, directory=str(directory)))
        self._server.daemon_threads = True
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
