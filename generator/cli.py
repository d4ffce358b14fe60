"""Command line: ``python -m generator COMMAND``. Exit codes: 0 fine, 1 something needs
action (catalogue problems, a file another command is writing…), 2 the caller's input is wrong,
130 interrupted (Ctrl-C). A user's mistake never prints a traceback: every ``StaffError`` is
caught once, in ``main``, and printed as its sentence."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

# Only what every command needs is imported here: each command imports its own modules when it
# runs (`rncp update` never loads the site's templates), so that it starts fast and a Ctrl-C
# while starting meets little to interrupt (``__main__`` catches it anyway).
from .errors import StaffError, UsageError
from .french_argparse import EXIT_CODES, FrenchParser
from .paths import DEFAULT_CATALOGUE
from .spreadsheet_csv import DELIMITERS
from .today import parse_today


def _programme(args):
    from .catalogue import load_catalogue
    catalogue = load_catalogue(args.catalogue)
    try:
        return catalogue.programme(args.programme)
    except KeyError as error:
        raise UsageError(error.args[0]) from None


def cmd_validate(args) -> int:
    from .catalogue import check_catalogue
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
    from .catalogue.lheo_limits import catalogue_length_problems
    for warning in catalogue_length_problems(catalogue):   # the site does not need LHÉO: a warning here
        print(f"Avertissement (export LHÉO) : {warning}", file=sys.stderr)
    return 0


MAX_INTEGER_DIGITS = 18   # what a month count or a year needs, and far more
MAX_ANSWERS_BYTES = 1024 * 1024            # a candidate's answers: a few hundred bytes
MAX_APPLICANTS_BYTES = 32 * 1024 * 1024    # a batch: some 100,000 rows


class _HugeNumber(Exception):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _HugeNumber(text)
    return int(text)


def _read_answers(source: str):
    import json

    from .bounded_read import read_bytes
    data = read_bytes(source, MAX_ANSWERS_BYTES, "Les réponses")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"Les réponses « {source} » ne sont pas du texte UTF-8 : enregistrez le fichier en UTF-8.") from None
    try:
        return json.loads(text, parse_int=_bounded_int)
    except _HugeNumber:
        match = re.search(r"[0-9]{%d,}" % (MAX_INTEGER_DIGITS + 1), text)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        raise UsageError(f"Les réponses contiennent un nombre de plus de {MAX_INTEGER_DIGITS} chiffres (ligne {line}) : "
                         "aucune réponse n'en demande autant ; corrigez le nombre.") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"Les réponses ne sont pas du JSON valide (ligne {error.lineno}, colonne {error.colno} : {error.msg}).") from None
    except RecursionError:
        raise UsageError("Les réponses sont imbriquées trop profondément : un objet JSON simple est attendu.") from None


def _answers_from_link(entry, link: str) -> dict:
    """The answers in a self-assessment link as a prospect sends it (its fragment, section 6)."""
    from urllib.parse import urlsplit
    from .rules.text_answers import answers_from_fragment
    fragment = urlsplit(link.strip()).fragment
    if not fragment:
        raise UsageError(f"Le lien « {link} » ne contient pas de réponses (rien après « # ») : "
                         "copiez le lien entier, tel que le message l'a reçu.")
    return answers_from_fragment(entry.model, fragment)


def cmd_evaluate(args) -> int:
    from .rules.answers import InvalidAnswers
    from .rules.api import result_json
    from .rules.engine import evaluate
    today = parse_today(args.today)
    entry = _programme(args)
    if (args.answers is None) == (args.link is None):
        raise UsageError("Donnez soit un fichier de réponses, soit --link suivi du lien reçu (l'un des deux, pas les deux).")
    answers = _read_answers(args.answers) if args.link is None else _answers_from_link(entry, args.link)
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
    import csv
    import io

    from . import batch
    from .bounded_read import read_bytes
    from .safe_write import WriteFailed, kept_file, refuse_same_as_stdin, refuse_same_file
    today = parse_today(args.today)
    entry = _programme(args)
    if args.output and args.applicants != "-":
        refuse_same_file(args.applicants, args.output, "Le fichier de sortie (-o)")
    elif args.output:
        refuse_same_as_stdin(args.output, "Le fichier de sortie (-o)")
    shown = "entrée standard" if args.applicants == "-" else args.applicants
    data = read_bytes(args.applicants, MAX_APPLICANTS_BYTES, "Les candidats")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"« {args.applicants} » n'est pas du texte UTF-8 : enregistrez le CSV en UTF-8.") from None
    delimiter = DELIMITERS[args.delimiter] if args.delimiter else None
    rows, faulty, used = batch.evaluate_csv(entry.model, text, today, sys.stderr, delimiter, shown)
    if not args.output:
        sys.stdout.write(batch.output_text(rows, used, bom=False))
        return 2 if faulty else 0
    content = batch.output_text(rows, used, bom=True).encode("utf-8")

    def same_rows_read_back(written: Path) -> None:
        back = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig"), newline=""), delimiter=used))
        if len(back) != len(rows) + 1 or back[0] != batch.OUTPUT_COLUMNS:
            raise WriteFailed("le fichier écrit ne se relit pas comme prévu : rien n'a été remplacé. Relancez.", args.output)

    output = Path(args.output)
    if not output.parent.is_dir():
        raise UsageError(f"Impossible d'écrire « {args.output} » : le dossier « {output.parent} » n'existe pas.")
    with kept_file(output) as target:
        backup = target.replace(content, validate=same_rows_read_back)
    if backup:
        print(f"{args.output} : écrit ; la version précédente est gardée dans « {backup} ».", file=sys.stderr)
    return 2 if faulty else 0


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="python -m generator",
        description="Le catalogue des formations (dossier catalogue/) : le vérifier, construire et prévisualiser "
                    "le site, évaluer des candidats, suivre le RNCP, exporter l'offre en LHÉO.\n"
                    "Aide d'une commande : python -m generator COMMANDE --help.",
        epilog=EXIT_CODES)
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, metavar="DOSSIER",
                        help="dossier du catalogue (par défaut : catalogue/ du projet)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE", title="commandes")

    validate = commands.add_parser(
        "validate", help="vérifier tout le catalogue",
        description="Vérifie chaque fichier du catalogue et affiche tous les problèmes à la fois, chacun avec son "
                    "fichier, sa ligne et une phrase qui dit quoi corriger ; puis les avertissements, qui "
                    "n'empêchent rien.", epilog="Codes de sortie : 0 catalogue valide ; 1 au moins un problème.")
    validate.set_defaults(run=cmd_validate)

    evaluate_cmd = commands.add_parser(
        "evaluate", help="évaluer les réponses d'un candidat (JSON ou lien reçu)",
        description="Applique les règles d'admission et de dispense d'un programme aux réponses d'un candidat "
                    "(un fichier JSON : clé de question → réponse, ou --link suivi du lien de l'auto-évaluation "
                    "qu'il a envoyé) et affiche le résultat en JSON.",
        epilog="Codes de sortie : 0 résultat affiché ; 1 le catalogue a des problèmes ; 2 réponses, lien ou date "
               "invalides (chaque réponse fautive est nommée).")
    evaluate_cmd.add_argument("programme", help="identifiant du programme, ex. cqp-assistant-medical")
    evaluate_cmd.add_argument("answers", nargs="?", metavar="réponses",
                              help="fichier JSON des réponses, ou - pour l'entrée standard")
    evaluate_cmd.add_argument("--link", metavar="LIEN",
                              help="le lien de l'auto-évaluation reçu d'un candidat (avec ce qui suit « # »), "
                                   "à la place du fichier de réponses")
    evaluate_cmd.add_argument("--today", metavar="AAAA-MM-JJ", help="date d'évaluation (par défaut : aujourd'hui)")
    evaluate_cmd.set_defaults(run=cmd_evaluate)

    batch_cmd = commands.add_parser(
        "evaluate-batch", help="évaluer un fichier CSV de candidats",
        description="Évalue chaque ligne d'un CSV (un candidat par ligne, une colonne par clé de réponse) et écrit "
                    "un CSV de résultats, une ligne par candidat.",
        epilog="Codes de sortie : 0 toutes les lignes évaluées ; 1 le catalogue a des problèmes ; 2 au moins une "
               "ligne a des réponses invalides (nommées sur la sortie d'erreur, les autres sont évaluées) ou le "
               "fichier est illisible.")
    batch_cmd.add_argument("programme", help="identifiant du programme, ex. cqp-assistant-medical")
    batch_cmd.add_argument("applicants", metavar="candidats",
                           help="CSV : une ligne par candidat, une colonne par clé de réponse (colonne « id » "
                                "facultative), ou - pour l'entrée standard")
    batch_cmd.add_argument("--today", metavar="AAAA-MM-JJ", help="date d'évaluation (par défaut : aujourd'hui)")
    batch_cmd.add_argument("--output", "-o", metavar="FICHIER",
                           help="fichier CSV de sortie (par défaut : sortie standard) ; un fichier existant est "
                                "gardé en FICHIER.bak")
    batch_cmd.add_argument("--delimiter", choices=sorted(DELIMITERS), metavar="SÉPARATEUR",
                           help="séparateur du CSV d'entrée, repris en sortie : « , », « ; » ou « tab » (par "
                                "défaut : « ; » ou « , » d'après la ligne d'en-tête)")
    batch_cmd.set_defaults(run=cmd_evaluate_batch)

    for register in _extensions(argv):
        register(commands)
    return parser


# The commands that live in their own modules (site build, RNCP, LHÉO, reference), by name: only
# the module of the command being run is imported (all of them for --help or an unknown name).
EXTENSIONS = {"build": "generator.site.commands", "serve": "generator.site.commands",
              "rncp": "generator.rncp.commands", "lheo": "generator.lheo.commands",
              "reference": "generator.catalogue.commands", "rules": "generator.catalogue.commands"}
CORE_COMMANDS = ("validate", "evaluate", "evaluate-batch")


def _command_named(argv: list[str]) -> str | None:
    """The command word of ``argv`` (after the options and the value of ``--catalogue``)."""
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--catalogue":
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
    return None


def _extensions(argv: list[str] | None = None):
    import importlib
    command = _command_named(sys.argv[1:] if argv is None else list(argv))
    if command in CORE_COMMANDS:
        return []
    names = [EXTENSIONS[command]] if command in EXTENSIONS else list(dict.fromkeys(EXTENSIONS.values()))
    registers = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and name.startswith(error.name):
                continue
            raise
        registers.append(module.register)
    return registers


def _quiet_stdout() -> None:
    """Send what is still buffered for a closed pipe nowhere: Python would otherwise report the
    failed flush at exit, in English."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv=None) -> int:
    args = build_parser(argv).parse_args(argv)
    try:
        if getattr(args, "today", None) is not None:
            parse_today(args.today)  # checked before any command starts (the site build reads it later)
        return args.run(args)
    except StaffError as error:
        from .catalogue import CatalogueError   # imported once there is one to print
        if not isinstance(error, CatalogueError):
            print(str(error), file=sys.stderr)
            return error.exit_code
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problème(s) dans le catalogue : corrigez-les puis relancez.", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Interrompu (Ctrl-C) : relancez la commande si besoin.", file=sys.stderr)
        return 130
    except BrokenPipeError:   # `… | head`: the reader has what it wanted and closed the pipe
        _quiet_stdout()
        return 0
    except OSError as error:  # last resort: a file the command could not read or write
        where = f"« {error.filename} » : " if error.filename else ""
        print(f"{where}opération impossible sur le disque ({error.strerror or error}). Vérifiez le chemin, "
              "les droits et la place libre, puis relancez.", file=sys.stderr)
        return 1
    except MemoryError:
        print("Mémoire insuffisante : un fichier d'entrée est anormalement gros ou imbriqué. "
              "Vérifiez-le puis relancez.", file=sys.stderr)
        return 1
