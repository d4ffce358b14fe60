"""``python -m generator serve``: serve the site and rebuild it when staff edit its sources.

Every second the modification times of ``catalogue/``, ``docs/``, the page templates and
``mkdocs.yml`` are compared (standard library only, no file-system events); after a change the
catalogue is checked and the site rebuilt. While the catalogue has problems, every page of the
local site shows the validator's sentences instead of the last good pages (which could be taken
for the result of the edit), and reloads itself every two seconds until the problems are fixed.
Editor lock and backup files (``.#x.yaml``, ``x.yaml~``, ``.x.yaml.swp``, ``~$x.csv``…) are ignored
(``generator/editor_files.py``: the list the catalogue loader skips too).
"""
from __future__ import annotations

import functools
import html
import http.server
import threading
import time
from pathlib import Path

from ..browser.static_server import SiteRequestHandler  # the types the site needs (.mjs, .wasm)
from ..editor_files import is_editor_file
from ..errors import StaffError, UsageError
from ..today import parse_today
from .build import SiteBuildError, prepare

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCES = [PROJECT_DIR / "docs", PROJECT_DIR / "generator" / "site" / "templates",
           PROJECT_DIR / "generator" / "browser" / "templates", PROJECT_DIR / "mkdocs.yml"]
REFRESH_SECONDS = 2


def source_state(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every source file under ``roots``; a vanished file is absent."""
    state = {}
    for root in roots:
        paths = [root] if root.is_file() else (root.rglob("*") if root.is_dir() else [])
        for path in paths:
            if path.is_file() and not is_editor_file(path) and not any(is_editor_file(p) for p in path.parents):
                try:
                    stat = path.stat()
                except OSError:  # removed between listing and reading
                    continue
                state[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return state


def problems_page(sentences: list[str]) -> bytes:
    # A line ending with a colon introduces the others (as `prepare` words it): not a problem.
    items = "\n".join(f"<li>{html.escape(sentence)}</li>" for sentence in sentences if not sentence.endswith(" :"))
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{REFRESH_SECONDS}">
<title>Le site n'est pas à jour : le catalogue a des problèmes</title></head>
<body><main>
<h1>Le catalogue a des problèmes : le site n'est pas reconstruit</h1>
<p>Corrigez ces points dans les fichiers du catalogue et enregistrez : la page se met à jour
d'elle-même.</p>
<ul>
{items}
</ul>
</main></body></html>
""".encode("utf-8")


class _ProblemsHandler(SiteRequestHandler):
    """The site as built, except that while ``watcher.problems`` is set, pages show them."""
    watcher = None

    def do_GET(self):
        if self.watcher.editor is not None and self.watcher.editor.get(self):  # /admin/ (editor/routes.py)
            return
        problems = self.watcher.problems
        path = self.path.split("?")[0].split("#")[0]
        if problems and (path.endswith("/") or path.endswith(".html")):
            body = problems_page(problems)
            self.send_response(503)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self):
        if self.watcher.editor is None or not self.watcher.editor.post(self):
            self.send_error(405)


class Watcher:
    """Serves ``site_dir`` and rebuilds it with ``build()`` (0 when built) after each change."""

    def __init__(self, catalogue: Path, site_dir: Path, build, today: str | None = None,
                 host: str = "127.0.0.1", port: int = 0, poll_seconds: float = 1.0, sources=None,
                 editor=None):
        self.catalogue, self.site_dir, self.build, self.today = Path(catalogue), Path(site_dir), build, today
        self.roots = [self.catalogue, *(SOURCES if sources is None else sources)]
        self.poll_seconds = poll_seconds
        self.editor = editor   # the catalogue editor's routes (generator/editor/routes.py), or None
        self.problems: list[str] | None = None
        self.builds = 0
        self.last_code: int | None = None   # the last build's exit code (130: interrupted)
        self._stop = threading.Event()
        self.site_dir.mkdir(parents=True, exist_ok=True)
        handler = type("Handler", (_ProblemsHandler,), {"watcher": self, "requests": []})
        self._server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(self.site_dir)))
        self._server.daemon_threads = True
        self.origin = f"http://{host}:{self._server.server_address[1]}"
        self._threads = [threading.Thread(target=self._server.serve_forever, daemon=True),
                         threading.Thread(target=self._watch, daemon=True)]

    def rebuild(self) -> None:
        try:  # the catalogue's problems, as `validate` states them, without starting the engine
            day = parse_today(self.today) if self.today else None
        except UsageError as error:
            self.problems = [error.sentence]
            print(self.problems[0], flush=True)
            return
        try:
            prepare(self.catalogue, day)
        except (SiteBuildError, StaffError) as error:
            self.problems = [line for line in str(error).splitlines() if line.strip()]
            print(f"{error}\nLe site servi montre ces problèmes ; il sera reconstruit à la prochaine "
                  "modification.", flush=True)
            return
        code = self.last_code = self.build()
        self.builds += 1
        self.problems = None if code == 0 else [
            "La construction du site a échoué : voir les messages dans le terminal. Le dernier site "
            f"construit est conservé dans {self.site_dir}/ et revient ici dès qu'une construction réussit."]

    def _watch(self) -> None:
        seen = source_state(self.roots)
        while not self._stop.wait(self.poll_seconds):
            now = source_state(self.roots)
            if now == seen:
                continue
            time.sleep(min(0.3, self.poll_seconds))  # let an editor finish writing
            seen = source_state(self.roots)
            print("Modification détectée : reconstruction du site…", flush=True)
            self.rebuild()

    def __enter__(self):
        self.rebuild()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join()

    def wait(self):
        """Block until interrupted (Ctrl+C)."""
        self._threads[0].join()


def serve_and_watch(args, build) -> int:
    """For ``cmd_serve``: ``build(args)`` builds the site (0 when built)."""
    from ..editor.routes import EditorRoutes, loopback
    # The editor writes the catalogue and has no login: offered on this computer only.
    editor = EditorRoutes(args.catalogue, git=getattr(args, "git_commit", False)) if loopback(args.host) else None
    with Watcher(args.catalogue, args.site_dir, lambda: build(args), args.today,
                 host=args.host, port=args.port, editor=editor) as watcher:
        if watcher.last_code == 130:   # Ctrl-C during the first build: stop there
            return 130
        print(f"Site servi sur {watcher.origin}/ ; il est reconstruit à chaque modification du "
              "catalogue, de docs/ ou des modèles (Ctrl+C pour arrêter)\n"
              + (f"Éditeur du catalogue : {watcher.origin}/admin/"
                 + (" (chaque enregistrement est commité)" if editor.editor.git else "") if editor else
                 "Éditeur du catalogue désactivé : il n'est offert que sur 127.0.0.1 (sans --host)."), flush=True)
        try:
            watcher.wait()
        except KeyboardInterrupt:
            print()
    return 0
