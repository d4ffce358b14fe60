"""``python -m generator serve``: serve the site and rebuild it when staff edit its sources.

Four times a second the modification times of ``catalogue/``, ``docs/``, the page templates and
``mkdocs.yml`` are compared (standard library only, no file-system events); after a change the
catalogue is checked and the site rebuilt. While the catalogue has problems, every page of the
local site shows the validator's sentences instead of the last good pages (which could be taken
for the result of the edit). Every page served gets the live-reload script of ``live_reload.py``:
the open page reloads after each rebuild, successful or not, and comes back once the problems
are fixed; ``/_apercu/a-faire/`` shows the last build's « À faire » report (serve only).
``/admin/`` and ``/api/v1`` are the catalogue editor's (``generator/editor/routes.py``), answered
first and never given the script: a save there changes a catalogue file, which the polling sees,
so the open preview pages reload like after any other edit.
Editor lock and backup files (``.#x.yaml``, ``x.yaml~``, ``.x.yaml.swp``, ``~$x.csv``…) are ignored
(``generator/editor_files.py``: the list the catalogue loader skips too).
"""
from __future__ import annotations

import errno
import functools
import os
import http.server
import threading
import time
from pathlib import Path

from ..browser.static_server import SiteRequestHandler  # the types the site needs (.mjs, .wasm)
from ..editor_files import is_editor_file
from ..errors import StaffError, UsageError
from ..today import parse_today
from . import live_reload
from .build import SiteBuildError, prepare

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCES = [PROJECT_DIR / "docs", PROJECT_DIR / "generator" / "site" / "templates",
           PROJECT_DIR / "generator" / "browser" / "templates", PROJECT_DIR / "mkdocs.yml"]


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


def _address_sentence(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (f"Le port {port} est déjà utilisé sur {host} (un autre « serve » tourne-t-il ?) : arrêtez-le, ou "
                f"choisissez un autre port (--port {port + 1}).")
    if error.errno == errno.EACCES:
        return f"Le port {port} est réservé (moins de 1024) : choisissez-en un autre, par exemple --port 8000."
    return f"Impossible de servir le site sur {host}:{port} ({error.strerror or error}) : vérifiez --host et --port."


def unexpected_sentence(error: BaseException) -> str:
    """A fault no check foresaw, in French, with what Python said (for whoever reports it)."""
    said = f"{type(error).__name__} : {error}"
    if len(said) > 300:
        said = said[:297] + "…"
    return (f"La reconstruction du site a échoué sur une erreur imprévue ({said}). Le dernier site construit "
            "est conservé ; corrigez le dernier fichier modifié et enregistrez : le site est reconstruit à "
            "la prochaine modification. Si l'erreur revient, signalez-la avec ce message.")


class _ProblemsHandler(SiteRequestHandler):
    """The site as built, except that while ``watcher.problems`` is set, pages show them; every
    page gets the live-reload script, and serve's own addresses (``live_reload.py``) answer."""
    watcher = None

    def do_GET(self):
        # /admin/ first (editor/routes.py): the editor's page never gets the live-reload script
        if self.watcher.editor is not None and self.watcher.editor.get(self):
            return
        path = self.path.split("?")[0].split("#")[0]
        watcher = self.watcher
        own = live_reload.own_answer(path, watcher.generation, bool(watcher.problems), watcher.report)
        if own:
            self._send_whole(200, *own)
            return
        if watcher.problems and (path.endswith("/") or path.endswith(".html")):
            self._send_whole(503, live_reload.problems_page(watcher.problems, watcher.generation),
                             "text/html; charset=utf-8")
            return
        page = self._page_file(path)
        if page is not None:
            self._send_whole(200, live_reload.with_live_reload(page.read_bytes(), watcher.generation),
                             "text/html; charset=utf-8")
            return
        super().do_GET()

    def _page_file(self, path: str) -> Path | None:
        """The built HTML file an address shows, if any (a directory's index.html)."""
        if not (path.endswith("/") or path.endswith(".html")):
            return None
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        return file if file.is_file() else None

    def _send_whole(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", live_reload.policy_header(body))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.watcher.editor is None or not self.watcher.editor.post(self):
            self.send_error(405)


class Watcher:
    """Serves ``site_dir`` and rebuilds it with ``build()`` (0 when built) after each change."""

    def __init__(self, catalogue: Path, site_dir: Path, build, today: str | None = None,
                 host: str = "127.0.0.1", port: int = 0, poll_seconds: float = 0.25, sources=None,
                 editor=None):
        self.catalogue, self.site_dir, self.build, self.today = Path(catalogue), Path(site_dir), build, today
        self.roots = [self.catalogue, *(SOURCES if sources is None else sources)]
        self.poll_seconds = poll_seconds
        self.editor = editor   # the catalogue editor's routes (generator/editor/routes.py), or None
        self.problems: list[str] | None = None
        self.generation = 0                 # what is served: changes after each rebuild (live reload)
        self.report: str | None = None      # the « À faire » report of the last successful build
        self.builds = 0
        self.last_code: int | None = None   # the last build's exit code (130: interrupted)
        self._stop = threading.Event()
        if not os.path.lexists(self.site_dir):   # a link to a folder still to be built is left to the build
            self.site_dir.mkdir(parents=True)
        handler = type("Handler", (_ProblemsHandler,), {"watcher": self, "requests": []})
        try:
            self._server = http.server.ThreadingHTTPServer((host, port),
                                                           functools.partial(handler, directory=str(self.site_dir)))
        except OSError as error:
            raise UsageError(_address_sentence(error, host, port)) from None
        self._server.daemon_threads = True
        self.origin = f"http://{host}:{self._server.server_address[1]}"
        self._threads = [threading.Thread(target=self._server.serve_forever, daemon=True),
                         threading.Thread(target=self._watch, daemon=True)]

    def rebuild(self) -> None:
        """Check the catalogue and build; whatever goes wrong is shown on every page and the next
        save rebuilds: no exception leaves this method (it would end the watching thread)."""
        try:
            self._rebuild()
        except Exception as error:   # noqa: BLE001 - an unforeseen fault must not stop `serve`
            self.problems = [unexpected_sentence(error)]
            print(self.problems[0], flush=True)
        finally:
            self.generation += 1   # the open pages reload (live_reload.py)

    def _rebuild(self) -> None:
        try:  # the catalogue's problems, as `validate` states them, without starting the engine
            day = parse_today(self.today) if self.today else None
        except UsageError as error:
            self.problems = [error.sentence]
            print(self.problems[0], flush=True)
            return
        try:
            prepared = prepare(self.catalogue, day)
        except (SiteBuildError, StaffError) as error:
            self.problems = [line for line in str(error).splitlines() if line.strip()]
            print(f"{error}\nLe site servi montre ces problèmes ; il sera reconstruit à la prochaine "
                  "modification.", flush=True)
            return
        code = self.last_code = self.build()
        self.builds += 1
        if code == 0:
            self.report = self._todo_report(prepared)
        self.problems = None if code == 0 else [
            "La construction du site a échoué : voir les messages dans le terminal. Le dernier site "
            f"construit est conservé dans {self.site_dir}/ et revient ici dès qu'une construction réussit."]

    def _todo_report(self, prepared) -> str:
        """What the build printed as « À faire »: the programmes' and organisation's lines, then publishing's."""
        from .publishing import HEADERS_FILE, publication_todo, read_headers_file, site_url
        try:
            rules = len(read_headers_file((self.site_dir / HEADERS_FILE).read_text(encoding="utf-8")))
        except OSError:
            rules = 0
        todo = publication_todo(site_url(prepared.catalogue.organisation), rules)
        return prepared.content.report.text() + ("\nPublication\n" + "\n".join(todo) + "\n" if todo else "")

    def _watch(self) -> None:
        seen = self._seen
        while not self._stop.wait(self.poll_seconds):
            now = self._state()
            if now == seen:
                continue
            time.sleep(min(0.3, self.poll_seconds))  # let an editor finish writing
            seen = self._state()
            print("Modification détectée : reconstruction du site…", flush=True)
            self.rebuild()

    def _state(self) -> dict:
        try:
            return source_state(self.roots)
        except OSError:   # a folder made unreadable meanwhile: compare again at the next tick
            return {}

    def __enter__(self):
        self._seen = self._state()   # before the first build: an edit made meanwhile rebuilds
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
              "catalogue, de docs/ ou des modèles, et la page ouverte se met à jour seule (Ctrl+C pour "
              f"arrêter). La liste « À faire » : {watcher.origin}{live_reload.TODO_PATH}\n"
              + (f"Éditeur du catalogue : {watcher.origin}/admin/"
                 + (" (chaque enregistrement est commité)" if editor.editor.git else "") if editor else
                 "Éditeur du catalogue désactivé : il n'est offert que sur 127.0.0.1 (sans --host)."), flush=True)
        try:
            watcher.wait()
        except KeyboardInterrupt:
            print()
    return 0
