"""The editor's pages under ``serve`` (never in a built site): ``/admin/`` and its API ``/api/v1``.

``/admin/`` is Decap CMS's own bundle, served from ``node_modules/decap-cms/dist`` (pinned in
``package-lock.json``, installed by ``npm ci``, like Pyodide) with a page and a configuration
generated from the field declarations (``catalogue/editor_config.py``). Nothing is fetched from
elsewhere. The editor is offered only when ``serve`` listens on this computer (``loopback``); its
API answers requests addressed to 127.0.0.1/localhost from its own origin only (a page of another
site cannot post to it: its Origin or Host header differs, and a JSON body needs a preflight this
server never grants).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..catalogue.editor_config import editor_config
from .api import Editor

PROJECT_DIR = Path(__file__).resolve().parents[2]
DECAP_DIST = PROJECT_DIR / "node_modules" / "decap-cms" / "dist"
MAX_BODY = 4 * 1024 * 1024

INDEX = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Éditeur du catalogue</title>
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""

MISSING = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Éditeur indisponible</title></head>
<body><main><h1>L'éditeur du catalogue n'est pas installé</h1>
<p>Ses fichiers (le paquet npm « decap-cms ») manquent dans node_modules/ : lancez
<code>scripts/dev serve</code> (ou <code>npm ci</code>) puis rechargez cette page.</p></main></body></html>
"""

TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm"}


def loopback(host: str) -> bool:
    """Whether ``serve`` listens on this computer only: the editor is offered only then."""
    return host in ("127.0.0.1", "localhost", "::1")


class EditorRoutes:
    def __init__(self, catalogue: Path, git: bool = False, dist: Path = DECAP_DIST):
        self.editor = Editor(catalogue, git=git)
        self.dist = Path(dist)

    def get(self, handler) -> bool:
        """Answer a GET under /admin/ (True), or leave it to the site (False)."""
        path = handler.path.split("?")[0].split("#")[0]
        if path == "/admin":
            _send(handler, 301, b"", "text/plain", {"Location": "/admin/"})
            return True
        if not path.startswith("/admin/"):
            return False
        name = path[len("/admin/"):]
        if name in ("", "index.html"):
            if not (self.dist / "decap-cms.js").is_file():
                _send(handler, 503, MISSING.encode("utf-8"), "text/html; charset=utf-8")
            else:
                _send(handler, 200, INDEX.encode("utf-8"), "text/html; charset=utf-8")
        elif name == "config.yml":   # JSON is YAML; Decap reads it as its config.yml
            _send(handler, 200, json.dumps(editor_config(), ensure_ascii=False).encode("utf-8"),
                  "text/yaml; charset=utf-8")
        elif "/" not in name and Path(name).suffix in TYPES and (self.dist / name).is_file():
            _send(handler, 200, (self.dist / name).read_bytes(), TYPES[Path(name).suffix])
        else:
            _send(handler, 404, b"Introuvable.", "text/plain; charset=utf-8")
        return True

    def post(self, handler) -> bool:
        path = handler.path.split("?")[0]
        if path != "/api/v1":
            return False
        host = handler.headers.get("Host", "")
        origin = handler.headers.get("Origin")
        # A page of another site cannot reach it, even through a name resolving to 127.0.0.1.
        if host.rsplit(":", 1)[0] not in ("127.0.0.1", "localhost", "[::1]") or (
                origin is not None and origin != f"http://{host}"):
            _send_json(handler, 403, {"error": "Requête refusée : elle ne vient pas de l'éditeur de ce serveur."})
            return True
        try:
            length = int(handler.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            _send_json(handler, 413, {"error": "Requête vide ou trop grande."})
            return True
        try:
            body = json.loads(handler.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            _send_json(handler, 400, {"error": "Requête illisible (JSON attendu)."})
            return True
        status, answer = self.editor.answer(body if isinstance(body, dict) else {})
        if status == 200 and body.get("action") == "persistEntry":
            print(answer.get("message", ""), flush=True)
        elif status != 200:
            print(f"Éditeur : {answer.get('error')}", flush=True)
        _send_json(handler, status, answer)
        return True


def _send(handler, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Cache-Control", "no-store")
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _send_json(handler, status: int, answer) -> None:
    _send(handler, status, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")
