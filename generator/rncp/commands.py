"""``python -m generator rncp show|check|update``: France Compétences' export against the catalogue."""
from __future__ import annotations

import json
import sys

from ..errors import UsageError
from ..today import parse_today
from .fiche import ExportError, parse_number
from .scanner import find_fiche


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


def cmd_check(args) -> int:
    from .compare import run_check
    try:
        return run_check(args.catalogue, args.export, parse_today(args.today), sys.stdout)
    except ExportError as error:
        print(error, file=sys.stderr)
        return 2


def cmd_update(args) -> int:
    from .update import run_update
    try:
        return run_update(args.catalogue, args.export, args.programme, parse_today(args.today), sys.stdout)
    except ExportError as error:
        print(error, file=sys.stderr)
        return 2


def register(subparsers) -> None:
    rncp = subparsers.add_parser(
        "rncp", help="export du RNCP (France compétences) : consulter, vérifier, mettre à jour",
        description="Lit l'export quotidien du Répertoire national des certifications professionnelles "
                    "(data.gouv.fr, le .zip tel quel ou son .xml) pour consulter une fiche, vérifier le catalogue "
                    "ou y écrire la fiche en vigueur. Aide d'une action : python -m generator rncp ACTION --help.")
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
        epilog="Codes de sortie : 0 rien à faire ; 1 au moins une différence demande votre action ; 2 export "
               "illisible ou date invalide.")
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
