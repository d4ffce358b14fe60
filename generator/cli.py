"""Command line: ``python -m generator COMMAND``. Exit codes: 0 fine, 1 something needs
action (catalogue problems…), 2 the caller's input is wrong. A user's mistake never prints
a traceback: it prints a sentence."""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import sys
from pathlib import Path

from . import batch
from .catalogue import DEFAULT_DIRECTORY, CatalogueError, check_catalogue, load_catalogue
from .rules.answers import InvalidAnswers
from .rules.api import result_json
from .rules.dates import BadDate, parse_iso_date
from .rules.engine import evaluate


class UsageError(Exception):
    """The caller's input is wrong: message printed, exit 2."""


def _today(text: str | None) -> _dt.date:
    if text is None:
        return _dt.date.today()
    try:
        return parse_iso_date(text)
    except BadDate:
        raise UsageError(f"--today : date attendue au format AAAA-MM-JJ, pas « {text} ».") from None


def _programme(args):
    catalogue = load_catalogue(args.catalogue)
    try:
        return catalogue.programme(args.programme)
    except KeyError as error:
        raise UsageError(error.args[0]) from None


def cmd_validate(args) -> int:
    catalogue, problems = check_catalogue(args.catalogue)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problème(s) dans le catalogue.", file=sys.stderr)
        return 1
    names = ", ".join(entry.id for entry in catalogue.programmes)
    print(f"Catalogue valide : {len(catalogue.programmes)} programme(s) ({names}).")
    for warning in (w for entry in catalogue.programmes for w in entry.warnings):  # never fail validate
        print(f"Avertissement : {warning}", file=sys.stderr)
    return 0


def _read_answers(source: str):
    import json
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Impossible de lire les réponses « {source} » : {error.strerror}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"Les réponses « {source} » ne sont pas du texte UTF-8 : enregistrez le fichier en UTF-8.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"Les réponses ne sont pas du JSON valide (ligne {error.lineno}, colonne {error.colno} : {error.msg}).") from None
    except RecursionError:
        raise UsageError("Les réponses sont imbriquées trop profondément : un objet JSON simple est attendu.") from None


def cmd_evaluate(args) -> int:
    today = _today(args.today)
    entry = _programme(args)
    answers = _read_answers(args.answers)
    try:
        result = evaluate(entry.model, answers, today)
    except InvalidAnswers as invalid:
        for problem in invalid.problems:
            label = problem.key or "réponses"
            print(f"{label} : {problem.fr} ({problem.en})", file=sys.stderr)
        return 2
    print(result_json(result))
    return 0


def cmd_evaluate_batch(args) -> int:
    today = _today(args.today)
    entry = _programme(args)
    try:
        source = sys.stdin if args.applicants == "-" else open(args.applicants, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UsageError(f"Impossible de lire « {args.applicants} » : {error.strerror}.") from None
    try:
        output = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as error:
        source.close()
        raise UsageError(f"Impossible d'écrire « {args.output} » : {error.strerror}.") from None
    with source, (output if args.output else _nullcontext()):
        try:
            faulty = batch.evaluate_csv(entry.model, source, output, today, sys.stderr)
        except UnicodeDecodeError:
            raise UsageError(f"« {args.applicants} » n'est pas du texte UTF-8 : enregistrez le CSV en UTF-8.") from None
        except csv.Error as error:
            raise UsageError(f"« {args.applicants} » n'est pas un CSV lisible ({error}).") from None
    return 2 if faulty else 0


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n")[0])
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_DIRECTORY,
                        help="dossier du catalogue (par défaut : catalogue/ du projet)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    validate = commands.add_parser("validate", help="vérifier tout le catalogue")
    validate.set_defaults(run=cmd_validate)

    evaluate_cmd = commands.add_parser("evaluate", help="évaluer les réponses d'un candidat (JSON)")
    evaluate_cmd.add_argument("programme", help="identifiant du programme, ex. cqp-assistant-medical")
    evaluate_cmd.add_argument("answers", help="fichier JSON des réponses, ou - pour l'entrée standard")
    evaluate_cmd.add_argument("--today", help="date d'évaluation AAAA-MM-JJ (par défaut : aujourd'hui)")
    evaluate_cmd.set_defaults(run=cmd_evaluate)

    batch_cmd = commands.add_parser("evaluate-batch", help="évaluer un fichier CSV de candidats")
    batch_cmd.add_argument("programme")
    batch_cmd.add_argument("applicants", help="CSV : une ligne par candidat, une colonne par clé de réponse (colonne « id » facultative)")
    batch_cmd.add_argument("--today", help="date d'évaluation AAAA-MM-JJ (par défaut : aujourd'hui)")
    batch_cmd.add_argument("--output", "-o", help="fichier CSV de sortie (par défaut : sortie standard)")
    batch_cmd.set_defaults(run=cmd_evaluate_batch)

    for register in _extensions():
        register(commands)
    return parser


def _extensions():
    """Commands that live in their own modules (site build, RNCP import)."""
    registers = []
    for name in ("generator.site.commands", "generator.rncp.commands", "generator.catalogue.commands"):
        try:
            module = __import__(name, fromlist=["register"])
        except ModuleNotFoundError as error:
            if error.name and name.startswith(error.name):
                continue
            raise
        registers.append(module.register)
    return registers


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return 2
    except CatalogueError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problème(s) dans le catalogue : corrigez-les puis relancez.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
