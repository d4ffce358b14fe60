"""``python -m generator build`` and ``serve``: run the site engine over the catalogue.

The engine (MkDocs, through ``mkdocs.yml`` and ``site_hooks/``) runs as a separate command,
so the generator itself imports nothing from it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .build import CATALOGUE_VARIABLE, TODAY_VARIABLE

PROJECT_DIR = Path(__file__).resolve().parents[2]


def run_build(catalogue: Path, site_dir: Path, today: str | None = None) -> int:
    environment = {**os.environ, CATALOGUE_VARIABLE: str(Path(catalogue).resolve()),
                   "NO_MKDOCS_2_WARNING": "1"}  # MkDocs' own banner about its future, not for staff
    if today:
        environment[TODAY_VARIABLE] = today
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(PROJECT_DIR / "mkdocs.yml"), "--site-dir", str(Path(site_dir).resolve())]
    return subprocess.run(command, env=environment, cwd=PROJECT_DIR).returncode


def cmd_build(args) -> int:
    code = run_build(args.catalogue, args.site_dir, args.today)
    if code:
        print("La construction du site a échoué : voir les messages ci-dessus.", file=sys.stderr)
        return 1
    print(f"Site construit dans {args.site_dir}/")
    return 0


def cmd_serve(args) -> int:
    from .watch import serve_and_watch  # rebuilds after each edit; shows catalogue problems in the page
    return serve_and_watch(args, cmd_build)


def register(commands) -> None:
    build = commands.add_parser("build", help="construire le site (dans site/)")
    serve = commands.add_parser("serve", help="construire puis servir le site sur http://127.0.0.1:8000/")
    for parser in (build, serve):
        parser.add_argument("--site-dir", type=Path, default=PROJECT_DIR / "site", help="dossier de sortie")
        parser.add_argument("--today", help="date de référence AAAA-MM-JJ des contrôles (par défaut : aujourd'hui)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    build.set_defaults(run=cmd_build)
    serve.set_defaults(run=cmd_serve)
