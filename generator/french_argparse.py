"""argparse in French: ``--help`` and argument errors read by the staff.

argparse writes its own words in English (« usage: », « positional arguments », « show this help
message and exit », « the following arguments are required »…). ``FrenchParser`` replaces them
for its parser and every sub-command's; a command's own texts are written in French where it is
declared.
"""
from __future__ import annotations

import argparse
import re
import sys
import textwrap

EXIT_CODES = ("Codes de sortie : 0 tout s'est bien passé ; 1 quelque chose demande votre action (problèmes "
              "du catalogue, site non construit, fichier en cours d'écriture par une autre commande…) ; 2 une "
              "entrée est fausse (option, date, fichier de réponses, export) ; 130 interrompu (Ctrl-C).")

# argparse's error messages (Python 3.11–3.13), in the order they are tried.
_ERRORS = [
    (r"the following arguments are required: (.*)", r"il manque : \1."),
    (r"unrecognized arguments: (.*)", r"option ou argument inconnu : \1."),
    (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)", r"« \2 » n'est pas possible pour \1 : choisissez parmi \3."),
    (r"argument (\S+): invalid int value: '?([^']*)'?", r"\1 attend un nombre entier, pas « \2 »."),
    (r"argument (\S+): invalid (\S+) value: '?([^']*)'?", r"valeur invalide pour \1 : « \3 »."),
    (r"argument (\S+): expected one argument", r"\1 attend une valeur."),
    (r"argument (\S+): ignored explicit argument '?([^']*)'?", r"\1 ne prend pas de valeur (« \2 »)."),
    (r"ambiguous option: (\S+) could match (.*)", r"option ambiguë : \1 peut être \2."),
]


class _FrenchFormatter(argparse.HelpFormatter):
    def _fill_text(self, text, width, indent):
        """Each line of a description or an epilog wrapped on its own (a line break stays one)."""
        wrapped = []
        for line in text.splitlines():
            lead = line[:len(line) - len(line.lstrip())]   # an indented line (a list of codes) hangs under its text
            wrapped.append(textwrap.fill(line.strip(), width, initial_indent=indent + lead,
                                         subsequent_indent=indent + (lead + "   " if lead else "")))
        return "\n".join(wrapped)

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", _FrenchFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="afficher cette aide et quitter")

    def error(self, message: str):
        """The usage line and a French sentence on stderr, exit code 2 (as argparse does)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : {french_error(message)}\n")


def french_error(message: str) -> str:
    for pattern, replacement in _ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            return _expand(match, replacement)
    return f"commande incorrecte ({message}) ; voir --help."


def _expand(match: re.Match, replacement: str) -> str:
    """The replacement with argparse's quotes taken off the values it quotes."""
    return re.sub(r"\\(\d)", lambda group: match.group(int(group.group(1))).replace("'", ""), replacement)
