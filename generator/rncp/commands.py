"""``python -m generator rncp show|check|update|fetch|watch``: France Compétences' export
against the catalogue, and the export fetched from data.gouv.fr."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from ..errors import StaffError, UsageError
from ..today import parse_today
from .fiche import ExportError, parse_number
from .scanner import find_fiche

# ``rncp check`` and ``rncp watch``: 0 nothing to do, 1 only ever « the registry changed
# something », FAILED for every error.
FAILED = 2
WATCH_CODES = """Codes de sortie :
  0  rien à faire : chaque programme est à jour avec le registre
  1  le registre a changé quelque chose pour au moins un programme : le rapport dit quoi faire
     (« rncp update » pour la fiche, l'équipe pour les règles de dispense)
  2  erreur : réseau, serveur, export illisible, catalogue à corriger, disque ; rien n'a été vérifié
  130 interrompu (Ctrl-C)."""


def _number(text: str) -> int:
    number = parse_number(text)
    if number is None:
        raise UsageError(f"Numéro RNCP attendu (ex. 36358 ou RNCP36358), pas « {text} ».")
    return number


def cmd_show(args) -> int:
    number = _number(args.number)
    try:
        fiche = find_fiche(args.export, number)
    except ExportError as error:
        print(error, file=sys.stderr)
        return 2
    if fiche is None:
        print(f"RNCP {number} ne figure pas dans l'export « {args.export} ».", file=sys.stderr)
        return 1
    print(json.dumps(fiche.to_json(), ensure_ascii=False, indent=2))
    return 0


def _errors_exit_failed(run):
    """Any error of ``check``/``watch`` exits with FAILED (never 1, which means « changed »)."""
    try:
        return run()
    except StaffError as error:
        error.exit_code = FAILED
        raise
    except OSError as error:
        where = f"« {error.filename} » : " if error.filename else ""
        raise StaffError(f"{where}opération impossible sur le disque ({error.strerror or error}). Vérifiez "
                         "le chemin, les droits et la place libre, puis relancez.") from None


def cmd_check(args) -> int:
    from .compare import run_check
    return _errors_exit_failed(lambda: run_check(args.catalogue, args.export, parse_today(args.today), sys.stdout))


def _fetch(args):
    from .fetch import describe, fetch_export, progress_stream
    started = time.monotonic()
    outcome = fetch_export(args.source, args.dataset, args.output, progress_stream())
    print(describe(outcome, time.monotonic() - started), file=sys.stderr)
    return outcome.path


def cmd_fetch(args) -> int:
    print(_fetch(args))
    return 0


def cmd_watch(args) -> int:
    from .compare import run_check
    from .update import run_update

    def watch() -> int:
        today = parse_today(args.today)
        export = _fetch(args)
        reports: list = []
        code = run_check(args.catalogue, export, today, sys.stdout, reports)
        if args.update:
            for report in (r for r in reports if r.update_ready):
                print("", file=sys.stdout)
                if run_update(args.catalogue, export, report.programme, today, sys.stdout) != 0:
                    raise StaffError(f"« rncp update » n'a pas pu mettre à jour {report.programme} : voir ci-dessus.")
        return code
    return _errors_exit_failed(watch)


def cmd_update(args) -> int:
    from .update import run_update
    try:
        return run_update(args.catalogue, args.export, args.programme, parse_today(args.today), sys.stdout)
    except ExportError as error:
        print(error, file=sys.stderr)
        return 2


def register(subparsers) -> None:
    rncp = subparsers.add_parser(
        "rncp", help="export du RNCP (France compétences) : télécharger, consulter, vérifier, mettre à jour",
        description="Télécharge l'export quotidien du Répertoire national des certifications professionnelles "
                    "(data.gouv.fr) ou lit celui que vous donnez (le .zip tel quel ou son .xml) pour consulter une "
                    "fiche, vérifier le catalogue (veille) ou y écrire la fiche en vigueur. Aide d'une action : "
                    "python -m generator rncp ACTION --help.")
    commands = rncp.add_subparsers(dest="rncp_command", required=True, metavar="ACTION", title="actions")
    export_help = "export du RNCP : fichier .xml ou .zip quotidien de France compétences (format 4.1), tel que téléchargé"

    show = commands.add_parser(
        "show", help="afficher une fiche de l'export en JSON",
        description="Affiche en JSON une fiche de l'export, telle que le catalogue la lirait.",
        epilog="Codes de sortie : 0 fiche affichée ; 1 la fiche n'est pas dans l'export ; 2 export illisible ou "
               "numéro invalide.")
    show.add_argument("export", help=export_help)
    show.add_argument("number", metavar="numéro", help="numéro de la fiche, ex. 40913 ou RNCP40913")
    show.set_defaults(run=cmd_show)

    check = commands.add_parser(
        "check", help="comparer chaque programme du catalogue avec l'export",
        description="Compare chaque programme certifiant du catalogue avec l'export et dit, pour chaque "
                    "différence, quoi faire (fiche remplacée, date de fin dépassée, niveau changé…).",
        epilog=WATCH_CODES)
    check.add_argument("export", help=export_help)
    check.add_argument("--today", metavar="AAAA-MM-JJ", help="date de référence (par défaut : aujourd'hui)")
    check.set_defaults(run=cmd_check)

    update = commands.add_parser(
        "update", help="écrire la fiche en vigueur dans le fichier du programme",
        description="Écrit la fiche la plus récente dans « certification › current » du programme (les "
                    "commentaires sont gardés), déplace la précédente dans « certification › history » et dit "
                    "quels modules et règles de dispense revoir ; ne modifie jamais les dispenses ni les modules.",
        epilog="Codes de sortie : 0 fichier à jour ; 1 le catalogue a des problèmes ou le fichier n'a pas pu être "
               "écrit ; 2 export illisible, programme inconnu ou date invalide.")
    update.add_argument("export", help=export_help)
    update.add_argument("programme", help="identifiant du programme, ex. cqp-assistant-medical")
    update.add_argument("--today", metavar="AAAA-MM-JJ", help="date de la mise à jour (par défaut : aujourd'hui)")
    update.set_defaults(run=cmd_update)

    from .fetch import DEFAULT_API, DEFAULT_DATASET, DEFAULT_DIRECTORY, SOURCE_VARIABLE

    def source_options(command) -> None:
        command.add_argument("--source", default=os.environ.get(SOURCE_VARIABLE) or DEFAULT_API, metavar="URL",
                             help=f"adresse de l'API data.gouv.fr ou d'un miroir (par défaut : la variable "
                                  f"d'environnement {SOURCE_VARIABLE}, sinon {DEFAULT_API})")
        command.add_argument("--dataset", default=DEFAULT_DATASET, metavar="JEU",
                             help="identifiant ou nom court du jeu de données de France compétences")
        command.add_argument("--output", "-o", type=Path, metavar="FICHIER",
                             help="fichier (ou dossier) où écrire l'export (par défaut : le nom du fichier publié, "
                                  f"dans {DEFAULT_DIRECTORY.parent.name}/{DEFAULT_DIRECTORY.name}/ du projet, "
                                  "où seul le dernier export est gardé)")

    fetch = commands.add_parser(
        "fetch", help="télécharger le dernier export XML du RNCP depuis data.gouv.fr",
        description="Télécharge l'export XML le plus récent du jeu de données (zip ou non), reprend un "
                    "téléchargement interrompu, vérifie taille et empreinte, et ne télécharge rien si "
                    "l'export est déjà là. Affiche le chemin du fichier.",
        epilog="Codes de sortie : 0 fait (ou déjà à jour) ; 1 panne du réseau ou du serveur, fichier corrompu : "
               "relancez plus tard ; 2 adresse (--source, --dataset, -o) erronée.")
    source_options(fetch)
    fetch.set_defaults(run=cmd_fetch)

    watch = commands.add_parser(
        "watch", help="veille : télécharger l'export (fetch) puis vérifier le catalogue (check)",
        description="Télécharge le dernier export du RNCP (comme « rncp fetch ») puis compare chaque "
                    "programme avec lui (comme « rncp check ») et affiche le rapport.",
        epilog=WATCH_CODES)
    source_options(watch)
    watch.add_argument("--today", metavar="AAAA-MM-JJ", help="date de référence (par défaut : aujourd'hui)")
    watch.add_argument("--update", action="store_true",
                       help="écrire aussi la fiche en vigueur (« rncp update ») dans chaque programme concerné")
    watch.set_defaults(run=cmd_watch)
