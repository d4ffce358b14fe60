"""``python -m generator build`` and ``serve``: run the site engine over the catalogue.

The engine (MkDocs, through ``mkdocs.yml`` and ``site_hooks/``) runs as a separate command,
so the generator itself imports nothing from it. It writes into a fresh directory that
replaces the site only when the whole build succeeded (``atomic.py``): a failed, interrupted
or killed build leaves the last good site as it was.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from ..errors import StaffError
from ..today import parse_today
from . import atomic
from ..browser.precompress import BEST_VARIABLE
from .build import CATALOGUE_VARIABLE, TODAY_VARIABLE

PROJECT_DIR = Path(__file__).resolve().parents[2]


def run_build(catalogue: Path, site_dir: Path, today: str | None = None, best_compression: bool = False,
              background: bool = False) -> int:
    """The engine's exit code; the site is replaced only when it is 0. Raises ``BuildBusy``.
    ``best_compression``: every brotli copy at its best quality, however long (a published build).
    ``background``: at a lower priority (serve's rebuild, while the browser shows the preview)."""
    site_dir = Path(site_dir).resolve()
    environment = {**os.environ, CATALOGUE_VARIABLE: str(Path(catalogue).resolve()),
                   "NO_MKDOCS_2_WARNING": "1"}  # MkDocs' own banner about its future, not for staff
    if today:
        environment[TODAY_VARIABLE] = today
    if best_compression:
        environment[BEST_VARIABLE] = "1"
    with atomic.building(site_dir) as (work, lock), _terminate_as_interrupt():
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                   "--config-file", str(PROJECT_DIR / "mkdocs.yml"), "--site-dir", str(work)]
        if background and shutil.which("nice"):   # (not preexec_fn: serve has threads)
            command = ["nice", "-n", "10", *command]
        code = subprocess.run(command, env=environment, cwd=PROJECT_DIR, pass_fds=(lock,)).returncode
        if code == 0:
            atomic.swap_in(work, site_dir)
    return code


class _terminate_as_interrupt:
    """A ``kill`` (SIGTERM) during the build cleans up like Ctrl-C does."""

    def __enter__(self):
        def interrupt(signum, frame):
            raise KeyboardInterrupt
        self.installed = threading.current_thread() is threading.main_thread()   # only there can it be
        if self.installed:
            self.previous = signal.signal(signal.SIGTERM, interrupt)

    def __exit__(self, *exc):
        if self.installed:
            signal.signal(signal.SIGTERM, self.previous or signal.SIG_DFL)
        return False


def cmd_build(args, background: bool = False) -> int:
    if args.today:
        parse_today(args.today)   # a wrong date is refused before anything is built
    kept = "le site précédent est conservé" if (Path(args.site_dir) / "index.html").is_file() \
        else "aucun site n'a été écrit"
    try:
        code = run_build(args.catalogue, args.site_dir, args.today, getattr(args, "best_compression", False),
                         background)
    except StaffError as error:
        print(f"Le site n'est pas construit : {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"\nConstruction du site interrompue : {kept} ({args.site_dir}/).", file=sys.stderr)
        return 130
    except OSError as error:   # beside site/: lock, temporary directory, swap (read-only, full disk…)
        print(f"Le site n'est pas construit : impossible d'écrire « {error.filename or args.site_dir} » "
              f"({error.strerror or error}) ; {kept}.", file=sys.stderr)
        return 1
    if code:
        print(f"La construction du site a échoué : voir les messages ci-dessus ; {kept} ({args.site_dir}/).",
              file=sys.stderr)
        return 1
    print(f"Site construit dans {args.site_dir}/")
    return 0


def cmd_serve(args) -> int:
    from .watch import serve_and_watch  # rebuilds after each edit; shows catalogue problems in the page
    return serve_and_watch(args, cmd_build)


def register(commands) -> None:
    build = commands.add_parser(
        "build", help="construire le site (dans site/)",
        description="Construit tout le site depuis le catalogue dans un dossier neuf, qui ne remplace le site "
                    "précédent qu'une fois la construction réussie ; écrit aussi le rapport « À faire ».",
        epilog="Codes de sortie : 0 site construit ; 1 le catalogue a des problèmes ou la construction a échoué "
               "(le site précédent est conservé) ; 2 option ou date invalide ; 130 interrompu (Ctrl-C).")
    serve = commands.add_parser(
        "serve", help="construire puis servir le site sur http://127.0.0.1:8000/ (aperçu)",
        description="Construit le site puis le sert pour l'aperçu, et le reconstruit à chaque enregistrement d'un "
                    "fichier du catalogue, de docs/ ou des modèles de pages. La page ouverte dans le navigateur se "
                    "recharge seule ; tant que le catalogue a des problèmes, elle les affiche, puis revient d'elle-même "
                    "une fois corrigés. La liste « À faire » est à l'adresse /_apercu/a-faire/ et l'éditeur du catalogue "
                    "à /admin/ (seulement sous serve ; l'éditeur seulement sur cet ordinateur, sans --host). "
                    "Ctrl-C pour arrêter.",
        epilog="Codes de sortie : 0 arrêté par Ctrl-C ; 1 le port est déjà pris ou le dossier du site ne peut pas "
               "être écrit ; 2 option ou date invalide ; 130 interrompu pendant la première construction.")
    for parser in (build, serve):
        parser.add_argument("--site-dir", type=Path, default=PROJECT_DIR / "site", metavar="DOSSIER",
                            help="dossier du site construit (par défaut : site/ du projet)")
        parser.add_argument("--today", metavar="AAAA-MM-JJ",
                            help="date de référence des contrôles et des sessions (par défaut : aujourd'hui)")
    serve.add_argument("--port", type=int, default=8000,
                       help="port du serveur (par défaut : 8000) ; changez-le si 8000 est déjà pris")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADRESSE",
                       help="adresse d'écoute (par défaut : 127.0.0.1, cet ordinateur seulement ; 0.0.0.0 pour "
                            "ouvrir l'aperçu aux autres appareils du réseau, un téléphone par exemple)")
    serve.add_argument("--git-commit", action="store_true",
                       help="éditeur du catalogue (/admin/) : chaque enregistrement est un commit git de ce seul "
                            "fichier (refusé si le fichier a des modifications non commitées)")
    build.add_argument("--compression-maximale", dest="best_compression", action="store_true",
                       help="pour publier : les gros fichiers du quiz en compression brotli maximale, même si le "
                            "cache ne l'a pas encore (jusqu'à une minute de plus) ; sans cette option, une "
                            "construction rapide en livre une copie un peu plus lourde, remplacée dès la "
                            "construction suivante (scripts/publish et les pipelines l'utilisent ; variable "
                            f"{BEST_VARIABLE}=1 équivalente)")
    build.set_defaults(run=cmd_build)
    serve.set_defaults(run=cmd_serve)
