"""``python -m generator serve``: serve the site and rebuild it when staff edit its sources.

Ten times a second the modification times of ``catalogue/``, ``docs/``, the page templates and
``mkdocs.yml`` are compared (standard library only, no file-system events). After a change:

1. the catalogue is checked and the site's content generated again, reusing what the unchanged
   files gave (``build.Reuse``): a few hundredths of a second, also with hundreds of programmes;
2. while the catalogue has problems, every page of the local site shows the validator's
   sentences instead of the last good pages (which could be taken for the result of the edit);
3. else the pages the edit changed are shown at once from memory (``preview.py``: the built page
   with its new text), and the whole site is rebuilt in the background (the engine, a few
   seconds, at a lower priority, once the saves have paused for a second); once rebuilt, the
   site is served as built. An edit saved during a rebuild is
   previewed at once too, and rebuilt right after.

Every page served gets the live-reload script of ``live_reload.py``: the open page reloads as soon
as what its address shows changes (the preview, the problems page, the rebuilt site), and comes
back once the problems are fixed; ``/_apercu/a-faire/`` shows the last build's « À faire »
report (serve only).
``/admin/`` and ``/api/v1`` are the catalogue editor's (``generator/editor/routes.py``), answered
first and never given the script: a save there changes a catalogue file, which the polling sees,
so the open preview pages reload like after any other edit.
Editor lock and backup files (``.#x.yaml``, ``x.yaml~``, ``.x.yaml.swp``, ``~$x.csv``…) are ignored
(``generator/editor_files.py``: the list the catalogue loader skips too).
"""
from __future__ import annotations

import errno
import functools
import importlib
import os
import threading
import time
import urllib.parse
from pathlib import Path

from ..browser.static_server import SiteRequestHandler, SiteServer  # the types the site needs (.mjs, .wasm)
from ..editor_files import is_editor_file
from ..errors import StaffError, UsageError
from ..today import parse_today
from . import live_reload
from .build import PreparedSite, Reuse, SiteBuildError, prepare
from .preview import overlay

PROJECT_DIR = Path(__file__).resolve().parents[2]
BUILD_DELAY_SECONDS = 1.0   # after a previewed edit, before the background rebuild
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
    """The site as built, except that while ``watcher.problems`` is set, pages show them, and the
    preview's pages and files (``watcher.overlay``) are served instead of the built ones; every
    page gets the live-reload script, and serve's own addresses (``live_reload.py``) answer."""
    watcher = None

    def do_GET(self):
        # /admin/ first (editor/routes.py): the editor's page never gets the live-reload script
        if self.watcher.editor is not None and self.watcher.editor.get(self):
            return
        path = self.path.split("?")[0].split("#")[0]
        watcher = self.watcher
        if path == live_reload.STATE_PATH:   # what the open page asks: the version of what it shows
            shown = self._shown(live_reload.asked_page(self.path))
            self._send_whole(200, live_reload.state_json(live_reload.version(shown)), "application/json")
            return
        own = live_reload.own_answer(path, watcher.report)
        if own and not own[1].startswith("text/html"):   # the script, its style
            self._send_whole(200, *own)
            return
        shown = self._shown(path)
        if shown is not None:
            status, body, content_type = shown
            if content_type.startswith("text/html"):
                body = live_reload.with_live_reload(body, live_reload.version(shown))
            self._send_whole(status, body, content_type)
            return
        super().do_GET()

    def _shown(self, path: str) -> tuple[int, bytes, str] | None:
        """(status, body, type) of what serve itself answers at ``path`` — its « À faire » page, the
        problems page, a preview page or file, a built page — or None for a built file served as it is."""
        watcher = self.watcher
        problems, overlay = watcher.problems, watcher.overlay
        own = live_reload.own_answer(path, watcher.report)
        if own:
            return 200, *own
        page = path.endswith("/") or path.endswith(".html")
        if problems and page:
            return 503, live_reload.problems_page(problems), "text/html; charset=utf-8"
        relative = urllib.parse.unquote(path).lstrip("/") + ("index.html" if path.endswith("/") else "")
        if relative in overlay:
            return 200, overlay[relative], self.guess_type(relative)
        file = self._page_file(path) if page else None
        if file is not None:
            try:
                return 200, file.read_bytes(), "text/html; charset=utf-8"
            except OSError:   # replaced by a rebuild meanwhile: as if absent
                return None
        return None

    def _page_file(self, path: str) -> Path | None:
        """The built HTML file an address shows, if any (a directory's index.html)."""
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        return file if file.is_file() else None

    def guess_type(self, path):
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind == "application/json" else kind

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


def _import_for_edits() -> None:
    """What the first edit needs and a build with every PDF sheet cached did not import (fpdf2: ≈ 0.5 s)."""
    try:
        importlib.import_module("fpdf")
    except ImportError:   # the build said so already
        pass


class Watcher:
    """Serves ``site_dir``, previews each change at once and rebuilds the site with ``build()``
    (0 when built) in the background."""

    def __init__(self, catalogue: Path, site_dir: Path, build, today: str | None = None,
                 host: str = "127.0.0.1", port: int = 0, poll_seconds: float = 0.1, sources=None,
                 editor=None):
        self.catalogue, self.site_dir, self.build, self.today = Path(catalogue), Path(site_dir), build, today
        self.roots = [self.catalogue, *(SOURCES if sources is None else sources)]
        self.poll_seconds = poll_seconds
        self.editor = editor   # the catalogue editor's routes (generator/editor/routes.py), or None
        self.problems: list[str] | None = None
        self.overlay: dict[str, bytes] = {}   # site path -> what the preview shows instead (preview.py)
        self.report: str | None = None      # the « À faire » report of the last successful build
        self.builds = 0
        self.last_code: int | None = None   # the last build's exit code (130: interrupted)
        self._reuse = Reuse()               # what the last preparation read and generated
        self._current: PreparedSite | None = None   # the sources as they are (when they have no problem)
        self._built: PreparedSite | None = None     # what the served site was built from
        self._lock = threading.Lock()       # around the state above: the watching and building threads
        self._build_wanted = threading.Event()
        self._stop = threading.Event()
        if not os.path.lexists(self.site_dir):   # a link to a folder still to be built is left to the build
            self.site_dir.mkdir(parents=True)
        handler = type("Handler", (_ProblemsHandler,), {"watcher": self, "requests": []})
        try:
            # SiteServer: a page closed while it was being answered (a reload) is not an error
            self._server = SiteServer((host, port), functools.partial(handler, directory=str(self.site_dir)))
        except OSError as error:
            raise UsageError(_address_sentence(error, host, port)) from None
        self._server.daemon_threads = True
        self.origin = f"http://{host}:{self._server.server_address[1]}"
        self._threads = [threading.Thread(target=self._server.serve_forever, daemon=True),
                         threading.Thread(target=self._watch, daemon=True),
                         threading.Thread(target=self._build_in_background, daemon=True)]

    def rebuild(self) -> None:
        """Check the catalogue, preview, then build (here, not in the background); whatever goes
        wrong is shown on every page and the next save rebuilds."""
        if self.refresh():
            self._build_now()

    def refresh(self) -> bool:
        """Check the catalogue and preview what changed; True when the site should be rebuilt. No
        exception leaves this method (it would end the watching thread)."""
        try:
            return self._refresh()
        except Exception as error:   # noqa: BLE001 - an unforeseen fault must not stop `serve`
            self.problems = [unexpected_sentence(error)]
            print(self.problems[0], flush=True)
            return False

    def _refresh(self) -> bool:
        try:  # the catalogue's problems, as `validate` states them, without starting the engine
            day = parse_today(self.today) if self.today else None
        except UsageError as error:
            self.problems = [error.sentence]
            print(self.problems[0], flush=True)
            return False
        try:
            prepared = prepare(self.catalogue, day, self._reuse)
        except (SiteBuildError, StaffError) as error:
            self.problems = [line for line in str(error).splitlines() if line.strip()]
            print(f"{error}\nLe site servi montre ces problèmes ; il sera reconstruit à la prochaine "
                  "modification.", flush=True)
            return False
        with self._lock:
            self._current = prepared
            self.overlay = self._preview()
            self.problems = None
        return True

    def _preview(self) -> dict[str, bytes]:
        """What the sources as they are change in the built site, when it can be shown without
        rebuilding (``preview.overlay``); else nothing until the rebuild."""
        if self._built is None or self._current is None:
            return {}
        return overlay(self._built.content, self._current.content, self.site_dir, self._current.catalogue) or {}

    def _build_now(self) -> None:
        with self._lock:
            launched = self._current
        try:
            code = self.build()
        except Exception as error:   # noqa: BLE001 - an unforeseen fault must not stop `serve`
            self.problems = [unexpected_sentence(error)]
            print(self.problems[0], flush=True)
            return
        with self._lock:
            self.last_code = code
            self.builds += 1
            if code == 0:
                self._built = launched
                self.report = self._todo_report(launched) if launched else None
                self.overlay = self._preview()   # {} unless an edit came during the build
                self.problems = None
            else:
                self.overlay = {}
                self.problems = [
                    "La construction du site a échoué : voir les messages dans le terminal. Le dernier site "
                    f"construit est conservé dans {self.site_dir}/ et revient ici dès qu'une construction réussit."]

    def _build_in_background(self) -> None:
        while not self._stop.is_set():
            if self._build_wanted.wait(self.poll_seconds) and not self._stop.is_set():
                self._build_wanted.clear()
                # When the preview shows the edit, the rebuild waits until the saves have paused
                # for a moment: the open page reloads first, and a burst of saves builds once.
                while self.overlay and not self._stop.wait(BUILD_DELAY_SECONDS) and self._build_wanted.is_set():
                    self._build_wanted.clear()
                if not self._stop.is_set():
                    self._build_now()

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
            time.sleep(min(0.05, self.poll_seconds))  # let an editor finish writing
            seen = self._state()
            print("Modification détectée : aperçu mis à jour, reconstruction du site…", flush=True)
            if self.refresh():
                self._build_wanted.set()

    def _state(self) -> dict:
        try:
            return source_state(self.roots)
        except OSError:   # a folder made unreadable meanwhile: compare again at the next tick
            return {}

    def __enter__(self):
        self._seen = self._state()   # before the first build: an edit made meanwhile rebuilds
        self.rebuild()
        _import_for_edits()
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
    """For ``cmd_serve``: ``build(args, background=True)`` builds the site (0 when built)."""
    from ..editor.routes import EditorRoutes, loopback
    # The editor writes the catalogue and has no login: offered on this computer only.
    editor = EditorRoutes(args.catalogue, git=getattr(args, "git_commit", False)) if loopback(args.host) else None
    # the rebuild runs at a lower priority: the preview and the browser showing it come first
    with Watcher(args.catalogue, args.site_dir, lambda: build(args, background=True), args.today,
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
